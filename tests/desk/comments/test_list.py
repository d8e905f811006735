"""The comments list: tabs with counts, rows with history and trust, who sees it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from afterword.discussion.models import Comment

from .conftest import comment, person

pytestmark = pytest.mark.django_db
Status = Comment.Status


def rows_of(response) -> list[int]:
    return [c.pk for c in response.context["comments"]]


def test_pending_is_the_first_tab_and_the_default(desk, post):
    held = comment(post, body="Held one.")
    comment(post, status=Status.APPROVED, body="Shown one.")
    response = desk.get(reverse("desk:comments"))
    assert response.status_code == 200
    assert rows_of(response) == [held.pk]
    tabs = response.context["tabs"]
    assert [t["key"] for t in tabs] == ["pending", "approved", "spam", "trash", "all"]
    assert tabs[0]["current"]


def test_each_tab_lists_its_status_with_counts_from_one_query(desk, post):
    made = {
        Status.PENDING: [comment(post, body=f"p{n}") for n in range(3)],
        Status.APPROVED: [
            comment(post, status=Status.APPROVED, body=f"a{n}") for n in range(2)
        ],
        Status.SPAM: [comment(post, status=Status.SPAM, body="s")],
        Status.TRASH: [],
    }
    response = desk.get(reverse("desk:comments"), {"status": "approved"})
    counts = {t["key"]: t["count"] for t in response.context["tabs"]}
    assert counts == {"pending": 3, "approved": 2, "spam": 1, "trash": 0, "all": 5}
    assert sorted(rows_of(response)) == sorted(c.pk for c in made[Status.APPROVED])
    spam = desk.get(reverse("desk:comments"), {"status": "spam"})
    assert rows_of(spam) == [made[Status.SPAM][0].pk]
    everything = desk.get(reverse("desk:comments"), {"status": "all"})
    assert len(rows_of(everything)) == 5  # spam and trash stay apart
    empty = desk.get(reverse("desk:comments"), {"status": "trash"})
    assert b"No comments here." in empty.content
    with CaptureQueriesContext(connection) as queries:
        desk.get(reverse("desk:comments"))
    counting = [q for q in queries if q["sql"].count("SELECT COUNT(*) FROM") == 5]
    # The five tabs' counts, each stopping at the cap, are one query.
    assert len(counting) == 1
    assert all(
        " LIMIT 10001" in part for part in counting[0]["sql"].split("COUNT(*)")[1:]
    )


def test_tab_counts_stop_at_the_cap_and_say_so(desk, post, monkeypatch):
    monkeypatch.setattr("afterword.core.counting.CAP", 4)
    for n in range(6):
        comment(post, status=Status.APPROVED, body=f"a{n}")
    comment(post, body="held")
    response = desk.get(reverse("desk:comments"), {"status": "approved"})
    counts = {t["key"]: str(t["count"]) for t in response.context["tabs"]}
    assert counts == {
        "pending": "1",
        "approved": "4+",
        "spam": "0",
        "trash": "0",
        "all": "4+",
    }
    assert 'data-count="approved">4+<' in response.content.decode()


def test_an_unknown_tab_or_page_falls_back_instead_of_failing(desk, post):
    held = comment(post)
    response = desk.get(reverse("desk:comments"), {"status": "nope", "page": "x"})
    assert response.status_code == 200
    assert rows_of(response) == [held.pk]


def test_search_finds_by_name_email_text_or_address(desk, post):
    comment(post, name="Rumi", email="rumi@example.test", body="Stalker stuff.")
    other = comment(post, name="Me-Mania", email="fan@example.test", body="Hi.")
    response = desk.get(reverse("desk:comments"), {"q": "mania"})
    assert rows_of(response) == [other.pk]
    response = desk.get(reverse("desk:comments"), {"q": "nothing like it"})
    assert b"No comment here matches your search." in response.content


def test_each_row_shows_the_commenters_history_and_trust(desk, post):
    for body in ("one", "two", "three"):
        comment(post, status=Status.APPROVED, body=body)
    comment(post, status=Status.SPAM, body="junk")
    regular = comment(post, body="Fourth, held for a link farm.")
    newcomer = comment(post, name="New", email="new@example.test", body="First!")
    nameless = comment(post, name="Nobody", email="", body="Who am I?")
    reader = person("reader", None)
    unverified = comment(post, user=reader, email=reader.email, body="Account!")
    response = desk.get(reverse("desk:comments"), {"status": "all"})
    rows = {c.pk: c for c in response.context["comments"]}
    assert [(s, n) for s, n in rows[regular.pk].history.parts()] == [
        ("approved", 3),
        ("pending", 1),
        ("spam", 1),
    ]
    assert rows[regular.pk].trust["key"] == "known"
    assert rows[newcomer.pk].trust["key"] == "first"
    assert rows[nameless.pk].trust["key"] == "anonymous"
    assert rows[unverified.pk].trust["key"] == "account"  # no verified address
    html = response.content.decode()
    assert "3 approved, 1 pending, 1 spam" in html
    assert "in reply to" not in html
    assert "First-time commenter" in html


def test_a_verified_account_is_shown_as_such(desk, post):
    from allauth.account.models import EmailAddress

    reader = person("reader", None)
    EmailAddress.objects.create(user=reader, email=reader.email, verified=True)
    theirs = comment(post, user=reader, name="Reader", email=reader.email)
    response = desk.get(reverse("desk:comments"))
    assert response.context["comments"][0].pk == theirs.pk
    assert response.context["comments"][0].trust["key"] == "verified"


def page_queries(client, post, count: int, record_property=None) -> int:
    Comment.objects.all().delete()
    for n in range(count):
        # A different commenter each time: the history query must not grow.
        comment(post, name=f"Guest {n}", email=f"guest{n}@example.test", body=f"#{n}")
        comment(post, status=Status.APPROVED, email=f"guest{n}@example.test", body="ok")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("desk:comments"))
    assert len(response.context["comments"]) == count
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_comments(
    desk, post, record_property
):
    # The site's appearance is read once and then kept in the cache.
    desk.get(reverse("desk:comments"))
    five = page_queries(desk, post, 5)
    thirty = page_queries(desk, post, 30)
    assert five == thirty
    record_property("figure", f"comments list queries, 5 or 30 rows: {thirty}")


def test_an_author_sees_only_the_comments_on_their_own_posts(
    client, post_factory, author, post
):
    own_post = post_factory(author=author, title="Mine", slug="mine")
    mine = comment(own_post, body="On the author's post.")
    comment(post, body="On the editor's post.")
    client.force_login(author)
    response = client.get(reverse("desk:comments"))
    assert response.status_code == 200
    assert rows_of(response) == [mine.pk]
    assert response.context["tabs"][0]["count"] == 1
    assert b"The comments on your own posts." in response.content
    assert b"Block\xe2\x80\xa6" not in response.content  # blocking is site-wide


def test_a_contributor_is_refused_and_a_stranger_sent_to_sign_in(client, db):
    url = reverse("desk:comments")
    assert client.get(url).status_code == 302
    client.force_login(person("connie", "contributor"))
    assert client.get(url).status_code == 403
    client.force_login(person("reader", None))
    assert client.get(url).status_code == 403


def test_the_desk_navigation_offers_comments_to_authors_and_editors(
    client, author, editor
):
    for who in (author, editor):
        client.force_login(who)
        home = client.get(reverse("desk:home"))
        assert reverse("desk:comments").encode() in home.content
    client.force_login(person("connie", "contributor"))
    home = client.get(reverse("desk:home"))
    assert reverse("desk:comments").encode() not in home.content


def test_the_screens_are_valid_html(desk, post, tmp_path):
    from tests.support.html_checks import nu_errors

    held = comment(post, body="A [link](https://example.test/) and *words*.")
    comment(post, status=Status.SPAM, body="Buy now.")
    desk.post(
        reverse("desk:comment_block"),
        {"comment": held.pk, "kind": "domain", "note": "Link farm"},
    )
    pages = {
        "pending": desk.get(reverse("desk:comments")).content,
        "spam": desk.get(reverse("desk:comments"), {"status": "spam"}).content,
        "empty": desk.get(reverse("desk:comments"), {"status": "trash"}).content,
        "blocks": desk.get(reverse("desk:comment_blocks")).content,
    }
    assert reverse("desk:comment_blocks").encode() in pages["pending"]
    errors = [
        error
        for error in nu_errors(pages, tmp_path / "pages")
        # The desk's shared message list (desk/base.html), not this screen's.
        if '<ul class="messages" role="status">' not in error
    ]
    assert errors == []


def test_a_reply_names_the_comment_it_answers(desk, post):
    first = comment(post, status=Status.APPROVED, name="Opener", body="Start.")
    comment(post, name="Answerer", parent=first, body="An answer.")
    response = desk.get(reverse("desk:comments"))
    assert "in reply to Opener" in response.content.decode()
