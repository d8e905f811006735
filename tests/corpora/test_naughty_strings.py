"""The big list of naughty strings through every field and address a reader
(or the writer, for a post's title and slug) can type into.

For each string and each field: the site never answers with a server error;
a refusal comes with a message; what is accepted is stored as typed and
comes back that way. The pages where accepted strings end up (the comment
thread, the listing of posts with naughty titles, search results) are read
in Chromium with script hooked.
"""

from __future__ import annotations

import re
import time
from urllib.parse import quote

import html5lib
import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape

from afterword.discussion import defences
from afterword.discussion.models import Comment
from afterword.outbox.models import OutgoingEmail
from afterword.posts import actions as post_actions
from afterword.posts.models import Post
from afterword.subscriptions.models import Subscriber
from tests import factories

from .chromium import Renderer
from .conftest import comment_token, comment_url
from .forms import form_errors, form_fields

pytestmark = pytest.mark.corpora

# Strings that try to break out of markup or run script; the search page is
# read in Chromium for a spread of these (all are parsed on the server side).
SCRIPTISH = re.compile(r"[<>\"']|script|alert|on\w+=", re.IGNORECASE)
SEARCH_PAGES_IN_CHROMIUM = 30
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def parse(page: str):
    return html5lib.parse(page, namespaceHTMLElements=False)


def text_of(tree, selector_id: str) -> str | None:
    element = tree.find(f".//*[@id='{selector_id}']")
    return None if element is None else "".join(element.itertext())


def message_of(page: str, css_class: str) -> str:
    tree = parse(page)
    for element in tree.iter():
        if css_class in (element.get("class") or "").split():
            return " ".join("".join(element.itertext()).split())
    return ""


def refused_with_a_message(response, css_class: str = "form-error") -> bool:
    return response.status_code in (400, 403, 409) and bool(
        message_of(response.content.decode(), css_class)
    )


def served_hazards(page: str) -> list[str]:
    """Event handlers and scripts without the page's nonce in a served page.

    The site's own scripts all carry the nonce; a page with an ordinary
    title or query has none of these.
    """
    tree = parse(page)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name in element.attrib:
            if str(name).lower().startswith("on"):
                found.append(f"<{element.tag} {name}>")
        if element.tag == "script" and not element.get("nonce"):
            found.append("<script> without a nonce")
    return found


@pytest.fixture
def fragments_on(settings):
    """The header and other fragments from the cache, as on a real site.

    Each string is sent to several pages; rendering the same navigation for
    each of thousands of requests tests nothing about the string and made
    these the suite's slowest tests.
    """
    settings.AFTERWORD_FRAGMENT_CACHE = True


@pytest.fixture
def reader_post(post_factory, writer, open_policy):
    return post_factory(author=writer, title="Naughty thread", slug="naughty-thread")


@pytest.fixture
def site(settings, live_server, tmp_path):
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AFTERWORD_PAGE_SIZE = 2000
    return live_server


def guest_comment(client, post, number: int, **fields):
    data = {
        "token": comment_token(post),
        "name": "Naughty reader",
        "email": f"naughty-{number}@example.test",
        "url": "",
        "body": f"Comment number {number}.",
        "parent": "",
    }
    data.update(fields)
    return client.post(comment_url(post), data)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_naughty_strings_in_the_comment_form(
    site, client, reader_post, naughty_strings, browser, tally
):
    client.raise_request_exception = False
    found = []
    for number, string in enumerate(naughty_strings):
        typed = string.strip()
        # Name and body together: both are free text.
        response = guest_comment(client, reader_post, number, name=string, body=string)
        if response.status_code == 303:
            comment = Comment.objects.latest("id")
            if (comment.author_name, comment.body) != (typed, typed):
                found.append(f"{string!r}: stored as {comment.author_name!r}")
        else:
            found.extend(refusal_problems(response, string, name=string, body=string))
        response = guest_comment(client, reader_post, number, email=string)
        if response.status_code == 303:
            stored = Comment.objects.latest("id").author_email
            if stored.lower() != typed.lower():
                found.append(f"{string!r} as email: stored as {stored!r}")
        else:
            found.extend(refusal_problems(response, string, email=string))
        response = guest_comment(
            client, reader_post, number + 100_000, url=string, body=f"Site {number}"
        )
        if response.status_code == 303:
            stored = Comment.objects.latest("id").author_url
            # Only spaces typed: no website, which the form allows.
            if (stored == "") != (typed == "") or (
                stored and not stored.startswith(("http://", "https://"))
            ):
                found.append(f"{string!r} as url: stored as {stored!r}")
        else:
            found.extend(refusal_problems(response, string, url=string))
        client.cookies.clear()  # the next string comes from another guest

    names = text_of_names(client.get(reader_post.get_absolute_url()).content.decode())
    for comment in Comment.objects.filter(status=Comment.Status.APPROVED):
        if comment.author_name and comment.author_name not in names:
            found.append(f"{comment.author_name!r} is not shown as typed")
    renderer = Renderer(browser, site.url)
    try:
        renderer.render(reader_post.get_absolute_url())
    finally:
        renderer.close()
    tally(
        "blns",
        strings=len(naughty_strings),
        executions=len(renderer.tally.executions),
        pages=renderer.tally.pages,
    )

    assert found == [], "\n".join(found[:40])
    assert renderer.tally.escapes == []
    assert renderer.tally.executions == []


def refusal_problems(response, string: str, **typed: str) -> list[str]:
    """A refused comment: a status, a message, and the form as it was typed."""
    if not refused_with_a_message(response):
        return [f"{string!r} in {sorted(typed)}: {response.status_code}"]
    page = response.content.decode()
    if response.status_code != 400:
        return []  # a duplicate or a closed thread: said, with no form to fill
    shown = form_fields(page, "commentform")
    return [
        f"{string!r} as {field}: the form came back with {shown.get(field)!r}"
        for field, value in typed.items()
        # A browser drops a newline that opens a textarea; so does the reader.
        if shown.get(field) != [value.removeprefix("\n") if field == "body" else value]
    ]


def text_of_names(page: str) -> set[str]:
    tree = parse(page)
    return {
        "".join(element.itertext())
        for element in tree.iter()
        if "comment-author" in (element.get("class") or "").split()
    }


@pytest.mark.django_db
def test_naughty_strings_in_the_contact_form(
    client, writer, naughty_strings, open_policy, post_factory, fragments_on
):
    client.raise_request_exception = False
    writer.email = "writer-private@example.test"
    writer.save()
    # Only an author with a live post takes messages.
    post_factory(author=writer, slug="a-published-review")
    url = reverse("discussion:contact", args=[writer.username])
    token = defences.make_token(f"contact:{writer.pk}", now=time.time() - 10)
    found = []
    for number, string in enumerate(naughty_strings):
        sent_before = OutgoingEmail.objects.count()
        response = client.post(
            url,
            {
                "token": token,
                "name": string,
                "email": f"contact-{number}@example.test",
                "subject": string,
                "message": string,
            },
        )
        if response.status_code == 200:
            email = OutgoingEmail.objects.latest("id")
            if OutgoingEmail.objects.count() != sent_before + 1:
                found.append(f"{string!r}: accepted but nothing queued")
            elif string.strip() not in email.text:
                found.append(f"{string!r}: the message was not sent as typed")
        elif not refused_with_a_message(response):
            found.append(f"{string!r} as name/subject/message: {response.status_code}")
        response = client.post(
            url,
            {"token": token, "name": "Reader", "email": string, "message": "Hello."},
        )
        if response.status_code not in (200,) and not refused_with_a_message(response):
            found.append(f"{string!r} as email: {response.status_code}")

    assert found == [], "\n".join(found[:40])


@pytest.mark.django_db
def test_naughty_strings_in_the_follow_form(client, naughty_strings, fragments_on):
    client.raise_request_exception = False
    url = reverse("subscriptions:follow")
    token = defences.make_token("follow", now=time.time() - 10)
    found = []
    for number, string in enumerate(naughty_strings):
        # Each string from its own reader: the form allows ten an hour each.
        reader = {"REMOTE_ADDR": f"127.1.{number // 250}.{number % 250 + 1}"}
        response = client.post(
            url, {"token": token, "email": string, "target": "site"}, **reader
        )
        if response.status_code == 200:
            address = string.strip()
            if not Subscriber.objects.filter(email__iexact=address).exists():
                found.append(f"{string!r}: accepted but not stored as typed")
        elif response.status_code != 400 or not form_message(response):
            found.append(f"{string!r} as email: {response.status_code}")
        response = client.post(
            url,
            {"token": token, "email": f"f{number}@example.test", "target": string},
            **reader,
        )
        if response.status_code not in (200, 400):
            found.append(f"{string!r} as target: {response.status_code}")
        elif response.status_code == 400 and not form_message(response):
            found.append(f"{string!r} as target: refused without a message")

    assert found == [], "\n".join(found[:40])


def form_message(response) -> str:
    page = response.content.decode()
    return message_of(page, "form-error") or message_of(page, "follow-message")


@pytest.mark.django_db
def test_naughty_strings_in_addresses_and_the_search_box(
    client, post_factory, writer, naughty_strings, tally, fragments_on
):
    client.raise_request_exception = False
    tag = factories.TagFactory(name="Ordinary", slug="ordinary")
    category = factories.CategoryFactory(name="Reviews", slug="reviews")
    post = post_factory(author=writer, slug="a-post", title="A findable post")
    post.tags.add(tag)
    post.categories.add(category)
    year_month = post.published_at.strftime("%Y/%m")
    # Addresses whose part is matched by Django's slug converter: a string
    # with any other character is refused by the URL resolver before a view
    # runs, the same way for each of them, so it is sent to one of them
    # (in turn); a string the converter accepts goes to all of them.
    slug_addresses = [
        "/tag/{}/",
        "/category/{}/",
        f"/{year_month}/{{}}/",
        "/{}/",
        "/series/{}/",
        "/catalog/works/{}/",
        "/catalog/people/{}/",
        "/catalog/organisations/{}/",
    ]
    # Addresses whose part reaches a view whatever it is.
    view_addresses = [
        "/author/{}/",
        f"/{post.published_at.year}/{{}}/",
        "/tag/ordinary/?page={}",
        "/catalog/works/?page={}",
        "/search/?q=findable&page={}",
    ]
    found = []
    for number, string in enumerate(naughty_strings):
        if SLUG.fullmatch(string):
            patterns = [*slug_addresses, *view_addresses]
        else:
            patterns = [slug_addresses[number % len(slug_addresses)], *view_addresses]
        for pattern in patterns:
            response = client.get(pattern.format(quote(string, safe="")))
            if response.status_code >= 500:
                found.append(f"{string!r} in {pattern}: {response.status_code}")
        response = client.get("/search/", {"q": string})
        if response.status_code != 200:
            found.append(f"{string!r} searched: {response.status_code}")
            continue
        page = response.content.decode()
        shown = parse(page).find(".//input[@id='search-q']").get("value")
        if shown != string.strip()[:200]:
            found.append(f"{string!r} searched: the box shows {shown!r}")
        if served_hazards(page):
            found.append(f"{string!r} searched: {served_hazards(page)}")
    addresses = len(slug_addresses) + len(view_addresses)
    tally("blns", fields=13, addresses=addresses)

    assert found == [], "\n".join(found[:40])


@pytest.mark.django_db
def test_naughty_strings_as_titles_and_slugs_in_the_admin_post_form(
    client, writer, naughty_strings
):
    client.raise_request_exception = False
    client.force_login(writer)
    add_url = reverse("admin:posts_post_add")
    blank = form_fields(client.get(add_url).content.decode(), "post_form")
    fields = dict(blank, status=[Post.Status.PUBLISHED], body=["Body."])
    found = []
    for number, string in enumerate(naughty_strings):
        response = client.post(
            add_url, dict(fields, title=[string], slug=[f"naughty-{number}"])
        )
        if response.status_code == 302:
            post = Post.objects.get(slug=f"naughty-{number}")
            if post.title != string.strip():
                found.append(f"{string!r} as title: stored as {post.title!r}")
            page = client.get(post.get_absolute_url()).content.decode()
            if served_hazards(page):
                found.append(f"{string!r} as title: {served_hazards(page)}")
        else:
            found.extend(admin_refusal_problems(response, string, "title"))
        response = client.post(
            add_url, dict(fields, title=[f"Slug {number}"], slug=[string])
        )
        if response.status_code == 302:
            post = Post.objects.get(title=f"Slug {number}")
            if post.slug != string.strip():
                found.append(f"{string!r} as slug: stored as {post.slug!r}")
            if client.get(post.get_absolute_url()).status_code != 200:
                found.append(f"{string!r} as slug: its page is not served")
        else:
            found.extend(admin_refusal_problems(response, string, "slug"))

    assert found == [], "\n".join(found[:40])


def admin_refusal_problems(response, string: str, field: str) -> list[str]:
    """The post form shown again: a message, and the field as it was typed."""
    page = response.content.decode()
    if response.status_code != 200 or not form_errors(page):
        return [f"{string!r} as {field}: {response.status_code}"]
    # Django's widgets print the value escaped just so.
    if f'name="{field}" value="{escape(string)}"' not in page:
        return [f"{string!r} as {field}: the form did not come back as typed"]
    return []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_naughty_titles_and_searches_read_in_chromium(
    site, writer, naughty_strings, browser, tally
):
    """Posts titled with every naughty string (their saving through the admin
    is the test above), read in a listing, and searches for the strings that
    try to break out of markup, read in Chromium."""
    with transaction.atomic(), post_actions.announce_together():
        for number, string in enumerate(naughty_strings):
            if string.strip():
                post_actions.save_post(
                    Post(
                        title=string,
                        slug=f"naughty-{number}",
                        body="Body.",
                        author=writer,
                        status=Post.Status.PUBLISHED,
                    )
                )
    scriptish = [s for s in naughty_strings if SCRIPTISH.search(s)]
    step = max(1, len(scriptish) // SEARCH_PAGES_IN_CHROMIUM)
    renderer = Renderer(browser, site.url)
    try:
        renderer.render(reverse("posts:home"))  # every title
        for string in scriptish[::step]:
            renderer.render(f"{reverse('search:results')}?q={quote(string, safe='')}")
            post = Post.objects.filter(title=string.strip()).first()
            if post is not None:
                renderer.render(post.get_absolute_url())
    finally:
        renderer.close()
    tally("blns", executions=len(renderer.tally.executions), pages=renderer.tally.pages)

    assert renderer.tally.pages > SEARCH_PAGES_IN_CHROMIUM
    assert renderer.tally.escapes == []
    assert renderer.tally.executions == []
