"""The HTML corpora through the paths a person takes, then read in Chromium.

For each corpus file (an html5lib ``.dat`` file, bleach's cases, a group of
feedparser's feeds):

* the writer pastes the whole file as the body of a post in the admin's post
  form and publishes it;
* every case is also a post of its own, saved the way the importers save
  (``save_post`` inside ``announce_together``), so listings print each
  case's lead figure and summary;
* every case is posted as a guest's comment on the file's post, through the
  public comment form with a valid form token.

What was stored is checked case by case (no hazard, a fixed point of the
sanitiser). Then Chromium opens each file's post page (body and comments),
the home listing of the per-case posts, and a search results page, with
script execution hooked (``chromium.Renderer``): nothing may run.

Corpora are split into shards so a parallel run spreads them.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import slugify

from afterword.discussion.models import Comment
from afterword.posts import actions as post_actions
from afterword.posts.models import Post

from .checks import problems
from .chromium import Renderer
from .conftest import comment_token, comment_url, html_corpus
from .forms import form_errors, form_fields

pytestmark = [
    pytest.mark.corpora,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SHARDS = {"html5lib": 4, "bleach": 1, "feedparser": 2}
# Refusals a case may meet on the comment form, each with its message.
NUL_REFUSED = "Null characters are not allowed."
COMMENT_REFUSALS = (
    "Please write a comment before posting it.",
    "Please keep your",
    NUL_REFUSED,
)
SEARCH_WORD = "corpuscase"


@pytest.fixture
def site(settings, live_server, tmp_path, open_policy):
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    # Every per-case post on one listing page and one page of results.
    settings.AFTERWORD_PAGE_SIZE = 2000
    return live_server


def shard_of(corpus: str, shard: int) -> dict:
    """This shard's corpus files: largest first, each to the lightest shard."""
    groups = html_corpus(corpus)
    loads = [0] * SHARDS[corpus]
    mine = {}
    for name in sorted(groups, key=lambda name: (-len(groups[name]), name)):
        lightest = loads.index(min(loads))
        loads[lightest] += len(groups[name])
        if lightest == shard:
            mine[name] = groups[name]
    return mine


def publish_in_the_admin(client, blank: dict, corpus: str, group: str, body: str):
    """Fill in the admin's post form and publish; return the post.

    ``blank`` is what the empty form would send (see ``forms.form_fields``).
    The form refuses NUL characters with a message; the writer then removes
    them and publishes, as a person reading the message would.
    """
    slug = slugify(f"{corpus}-{group}")[:50]
    fields = dict(blank)
    fields.update(
        title=[f"{corpus} {group}"],
        slug=[slug],
        body=[body],
        status=[Post.Status.PUBLISHED],
    )
    response = client.post(reverse("admin:posts_post_add"), fields)
    if response.status_code == 200 and "\0" in body:
        assert NUL_REFUSED in form_errors(response.content.decode())
        assert escape(body) in response.content.decode()  # the text is kept
        fields["body"] = [body.replace("\0", "")]
        response = client.post(reverse("admin:posts_post_add"), fields)
    assert response.status_code == 302, (
        f"the post form refused {group}: {form_errors(response.content.decode())}"
    )
    return Post.objects.get(slug=slug)


def save_each_case_as_a_post(writer, corpus: str, groups: dict) -> list[Post]:
    posts = []
    with transaction.atomic(), post_actions.announce_together():
        for group, cases in groups.items():
            for case in cases:
                post = Post(
                    title=f"{SEARCH_WORD} {corpus} {case.name}",
                    slug=slugify(f"case-{corpus}-{group}-{case.number}")[:50],
                    # The post form refuses NUL (see publish_in_the_admin);
                    # the HTML parser would read each as U+FFFD.
                    body=case.html.replace("\0", "\ufffd"),
                    author=writer,
                    status=Post.Status.PUBLISHED,
                )
                posts.append(post_actions.save_post(post))
    return posts


def post_each_case_as_a_comment(client, post, cases) -> tuple[int, list[str]]:
    """Post every case as a guest; return how many were stored, and problems."""
    stored, found = 0, []
    token = comment_token(post)
    for case in cases:
        response = client.post(
            comment_url(post),
            {
                "token": token,
                "name": "Corpus reader",
                # One address per case: the form refuses a repeated comment.
                "email": f"reader-{case.number}@example.test",
                "url": "",
                "body": case.html,
                "parent": "",
            },
        )
        if response.status_code == 303:
            stored += 1
            continue
        page = response.content.decode()
        if response.status_code != 400 or not any(
            message in page for message in COMMENT_REFUSALS
        ):
            found.append(f"{case.name}: comment answered {response.status_code}")
    return stored, found


@pytest.mark.parametrize(
    ("corpus", "shard"),
    [(corpus, shard) for corpus, count in SHARDS.items() for shard in range(count)],
)
def test_corpus_cases_posted_and_read_run_no_script(
    corpus, shard, site, client, writer, browser, tally
):
    groups = shard_of(corpus, shard)
    found: list[str] = []

    client.force_login(writer)
    add_form = client.get(reverse("admin:posts_post_add")).content.decode()
    blank = form_fields(add_form, "post_form")
    file_posts = {
        group: publish_in_the_admin(
            client, blank, corpus, group, "\n\n".join(c.html for c in cases)
        )
        for group, cases in groups.items()
    }
    case_posts = save_each_case_as_a_post(writer, corpus, groups)
    client.logout()
    comments = 0
    for group, cases in groups.items():
        stored, refused = post_each_case_as_a_comment(client, file_posts[group], cases)
        comments += stored
        found.extend(refused)

    for post in [*file_posts.values(), *case_posts]:
        post.refresh_from_db()
        for part in ("body_html", "lead_figure_html"):
            found.extend(
                f"post {post.title} {part}: {problem}"
                for problem in problems(getattr(post, part), profile="post")
            )
    for comment in Comment.objects.select_related("post"):
        found.extend(
            f"comment {comment.pk} on {comment.post.title}: {problem}"
            for problem in problems(comment.body_html, profile="comment")
        )
    shown = Comment.objects.filter(status=Comment.Status.APPROVED).count()

    renderer = Renderer(browser, site.url)
    try:
        for post in file_posts.values():
            renderer.render(post.get_absolute_url())
        renderer.render(reverse("posts:home"))
        renderer.render(f"{reverse('search:results')}?q={SEARCH_WORD}")
    finally:
        renderer.close()
    cases = sum(len(group) for group in groups.values())
    tally(
        corpus,
        executions=len(renderer.tally.executions),
        pages=renderer.tally.pages,
    )

    assert cases == len(case_posts)
    assert shown == comments, "every stored comment is approved and shown"
    assert found == [], f"{len(found)} problems:\n" + "\n".join(found[:30])
    assert renderer.tally.escapes == []
    assert renderer.tally.executions == []


def test_the_chromium_harness_sees_script_that_runs(
    site, post_factory, writer, browser
):
    """Guard the guard: stored HTML that skipped the sanitiser is caught.

    The row is written past the save path on purpose, as a sanitiser bug
    would leave it; every hook must then report what ran.
    """
    post = post_factory(author=writer, slug="unsanitised", title="Unsanitised")
    Post.objects.filter(pk=post.pk).update(
        body_html=(
            '<p><img src="/nowhere.png" onerror="alert(1)">'
            '<a href="javascript:alert(2)">link</a></p>'
            "<script>confirm(3)</script><script>window.open('/x')</script>"
        )
    )
    renderer = Renderer(browser, site.url)
    try:
        renderer.render(post.get_absolute_url())
    finally:
        renderer.close()
    path = post.get_absolute_url()

    assert sorted(renderer.tally.executions) == [
        f"{path}: alert: 1",
        f"{path}: confirm: 3",
        f"{path}: open: /x",
    ]
    assert f"{path}: <img onerror>" in renderer.tally.escapes
    assert f"{path}: <a href=javascript:alert(2)>" in renderer.tally.escapes
    assert f"{path}: <script> inside post-body e-content" in renderer.tally.escapes
