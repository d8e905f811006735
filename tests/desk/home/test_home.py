"""The desk's home through the client: each section, scoped by role."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from afterword.desk.home.attention import LIST_LENGTH
from afterword.posts.models import Post
from afterword.subscriptions.models import Subscriber

from .conftest import approved, days_ago, draft, held, series_with_plan

pytestmark = pytest.mark.django_db

HOME = "/desk/"


def section(html: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by ``heading_id``."""
    match = re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', html, re.S
    )
    assert match, f"no section {heading_id}"
    return match.group(0)


def figure(html: str, label: str) -> str:
    glance = section(html, "glance-title")
    match = re.search(
        rf'figure-value">([^<]+)</span> '
        rf'<span class="figure-label">(?:<a [^>]*>)?{label}<',
        glance,
    )
    assert match, f"no figure {label}"
    return match.group(1)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_sends_writers_to_the_desk_home(client, editor):
    client.force_login(editor)
    assert client.get("/admin/")["Location"] == reverse("desk:home")


def test_editor_sees_held_comments_newest_first_with_their_buttons(
    client, editor, make_post
):
    post = make_post(editor, title="Perfect Blue, revisited")
    for n in range(LIST_LENGTH + 2):
        held(post, body=f"Held comment number {n}", name=f"Reader {n}")
    client.force_login(editor)
    html = client.get(HOME).content.decode()
    attention = section(html, "attention-title")
    assert "7 held comments" in attention
    shown = re.findall(r"Held comment number (\d)", attention)
    assert shown == ["6", "5", "4", "3", "2"]
    assert attention.count('value="approve"') == LIST_LENGTH
    assert attention.count('value="spam"') == LIST_LENGTH
    assert attention.count('name="body"') == LIST_LENGTH
    assert "on “Perfect Blue, revisited”" in attention
    assert "?status=pending" in attention  # the way to the rest of the queue


def test_authors_without_moderation_rights_see_no_held_comments(
    client, author, make_post
):
    post = make_post(author)
    held(post, body="Please moderate me")
    client.force_login(author)
    html = client.get(HOME).content.decode()
    assert "Please moderate me" not in html
    assert 'value="approve"' not in html
    # The figure still tells them something waits on their post.
    assert figure(html, "held comments") == "1"


def test_promises_due_lists_overdue_planned_parts_and_unpublished_ones(
    client, editor, make_post
):
    late_draft = draft(make_post, editor, "Porco Rosso")
    live = make_post(editor, title="Totoro")
    series = series_with_plan(
        parts=[
            ("Nausicaä", days_ago(10)),
            (late_draft, days_ago(3)),
            (live, days_ago(30)),
            ("The Wind Rises", days_ago(-20)),
            ("Mononoke", None),
        ]
    )
    client.force_login(editor)
    attention = section(client.get(HOME).content.decode(), "attention-title")
    assert "past their promised date" in attention
    promises = attention.split("past their promised date")[1].split("</ul>")[0]
    assert re.findall(r'">([^<]+)</a>', promises) == ["Nausicaä", "Porco Rosso"]
    assert "Totoro" not in promises
    assert "The Wind Rises" not in promises
    assert "Mononoke" not in promises
    assert reverse("admin:series_series_change", args=[series.pk]) in promises
    assert reverse("desk:edit_post", args=[late_draft.pk]) in promises


def test_stale_drafts_and_scheduled_posts_link_to_their_edit_pages(
    client, editor, make_post
):
    old = draft(make_post, editor, "A forgotten essay", age=timedelta(days=30))
    draft(make_post, editor, "Fresh idea", age=timedelta(days=3))
    later = make_post(
        editor,
        title="Out next month",
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=30),
    )
    sooner = make_post(
        editor,
        title="Out tomorrow",
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
    )
    client.force_login(editor)
    attention = section(client.get(HOME).content.decode(), "attention-title")
    stale = attention.split("Drafts untouched")[1].split("</ul>")[0]
    assert "A forgotten essay" in stale
    assert "Fresh idea" not in stale
    assert reverse("desk:edit_post", args=[old.pk]) in stale
    waiting = attention.split(">Scheduled<")[1].split("</ul>")[0]
    assert re.findall(r'">([^<]+)</a>', waiting) == ["Out tomorrow", "Out next month"]
    assert reverse("desk:edit_post", args=[sooner.pk]) in waiting
    assert reverse("desk:edit_post", args=[later.pk]) in waiting


def test_nothing_waiting_says_so(client, editor):
    client.force_login(editor)
    attention = section(client.get(HOME).content.decode(), "attention-title")
    assert "Nothing is waiting for you." in attention


def test_figures_count_each_kind_for_an_editor(client, editor, author, make_post):
    mine = make_post(editor)
    theirs = make_post(author)
    make_post(author, title="Old draft", status=Post.Status.DRAFT, published_at=None)
    make_post(
        editor,
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=2),
    )
    approved(mine)
    approved(theirs, body="Second")
    held(theirs)
    Subscriber.objects.create(email="a@example.test", confirmed_at=timezone.now())
    Subscriber.objects.create(email="b@example.test")  # never confirmed
    Subscriber.objects.create(
        email="c@example.test",
        confirmed_at=timezone.now(),
        unsubscribed_at=timezone.now(),
    )
    client.force_login(editor)
    html = client.get(HOME).content.decode()
    assert figure(html, "published") == "2"
    assert figure(html, "drafts") == "1"
    assert figure(html, "scheduled") == "1"
    assert figure(html, "comments") == "2"
    assert figure(html, "held comments") == "1"
    assert figure(html, "followers") == "1"
    assert figure(html, "views this week") == "0"
    assert "cover the whole site" in html


def test_contributors_and_authors_see_only_their_own_posts(
    client, editor, author, contributor, make_post
):
    theirs = make_post(editor, title="The editor's review")
    approved(theirs, body="On the editor's post")
    draft(make_post, editor, "Editor's old draft", age=timedelta(days=40))
    mine = make_post(author, title="Arthur's review")
    approved(mine, body="On Arthur's post")
    draft(make_post, contributor, "Connie's old draft", age=timedelta(days=40))

    client.force_login(author)
    html = client.get(HOME).content.decode()
    assert figure(html, "published") == "1"
    assert figure(html, "comments") == "1"
    assert figure(html, "drafts") == "0"
    assert "Arthur&#x27;s review" in section(html, "activity-title")
    assert "The editor" not in html
    assert "old draft" not in html
    assert "cover your own posts" in html

    client.force_login(contributor)
    html = client.get(HOME).content.decode()
    assert figure(html, "published") == "0"
    assert figure(html, "drafts") == "1"
    assert "Connie&#x27;s old draft" in section(html, "attention-title")
    assert "Editor&#x27;s old draft" not in html


def test_recent_activity_merges_posts_comments_and_followers_by_time(
    client, editor, make_post
):
    now = timezone.now()
    post = make_post(editor, title="Akira", published_at=now - timedelta(hours=5))
    approved(
        post, body="Neo-Tokyo!", name="Kaneda", created_at=now - timedelta(hours=1)
    )
    held(post, body="Held, so not activity", created_at=now - timedelta(minutes=5))
    Subscriber.objects.create(
        email="tetsuo@example.test", confirmed_at=now - timedelta(hours=3)
    )
    client.force_login(editor)
    activity = section(client.get(HOME).content.decode(), "activity-title")
    rows = re.findall(r"<li class=\"activity-(\w+)\">", activity)
    assert rows == ["comment", "follower", "post"]
    assert "Kaneda on" in activity
    assert "tetsuo@example.test" in activity
    assert "Held, so not activity" not in activity


def test_recent_followers_are_shown_only_to_those_who_may_see_them(
    client, author, make_post
):
    make_post(author)
    Subscriber.objects.create(email="private@example.test", confirmed_at=timezone.now())
    client.force_login(author)
    html = client.get(HOME).content.decode()
    assert "private@example.test" not in html
    assert figure(html, "followers") == "1"


def test_query_count_does_not_grow_with_the_content(
    client, editor, author, make_post, django_assert_num_queries, record_property
):
    def fill(n):
        for i in range(n):
            owner = editor if i % 2 else author
            post = make_post(owner, title=f"Post {i}")
            draft(make_post, owner, f"Draft {i}", age=timedelta(days=30))
            make_post(
                owner,
                title=f"Later {i}",
                status=Post.Status.SCHEDULED,
                published_at=timezone.now() + timedelta(days=i + 1),
            )
            approved(post, body=f"Comment {i}")
            held(post, body=f"Held {i}")
            Subscriber.objects.create(
                email=f"f{i}-{n}@example.test", confirmed_at=timezone.now()
            )
        series_with_plan(
            title=f"Series of {n}", parts=[(f"Plan {i}", days_ago(2)) for i in range(n)]
        )

    client.force_login(editor)
    fill(3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(HOME)  # reads the site-wide settings (the theme's appearance) once
    with CaptureQueriesContext(connection) as few:
        assert client.get(HOME).status_code == 200
    fill(40)
    with CaptureQueriesContext(connection) as many:
        assert client.get(HOME).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    record_property("figure", f"desk home queries: {len(few.captured_queries)}")


def test_home_is_valid_html_with_every_section_filled(
    client, editor, make_post, tmp_path
):
    from tests.support.html_checks import nu_errors

    post = make_post(editor, title="Tokyo Godfathers")
    held(post, body="A *Christmas* film.")
    approved(post)
    late = draft(make_post, editor, "Paranoia Agent", age=timedelta(days=30))
    series_with_plan(parts=[("Planned", days_ago(4)), (late, days_ago(1))])
    client.force_login(editor)
    pages = {"home": client.get(HOME).content}
    refused = client.post(reverse("desk:home_quick_draft"), {"body": "kept"})
    pages["quick draft refused"] = refused.content
    assert nu_errors(pages, tmp_path) == []


@pytest.mark.urls("tests.desk.home.urls_with_editor")
def test_links_go_to_the_desk_editor_once_it_is_mounted(client, editor, make_post):
    old = draft(make_post, editor, "Forgotten", age=timedelta(days=22))
    client.force_login(editor)
    attention = section(client.get(HOME).content.decode(), "attention-title")
    assert f'href="/desk/write/{old.pk}/"' in attention
    assert "/admin/posts/post/" not in attention


def test_authors_see_promises_only_for_their_own_drafts(
    client, editor, author, make_post
):
    theirs = draft(make_post, author, "Arthur's part")
    others = draft(make_post, editor, "Edna's part")
    series_with_plan(
        parts=[
            ("Nobody's yet", days_ago(9)),
            (theirs, days_ago(8)),
            (others, days_ago(7)),
        ]
    )
    client.force_login(author)
    attention = section(client.get(HOME).content.decode(), "attention-title")
    promises = attention.split("past their promised date")[1].split("</ul>")[0]
    assert re.findall(r'">([^<]+)</a>', promises) == ["Arthur&#x27;s part"]
