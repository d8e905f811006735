"""Blocking an address, email or domain from a comment's row or the blocks
screen; a later comment from it, posted through the public form, is spam."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from afterword.discussion.models import Block, Comment

from .conftest import comment, person, post_publicly

pytestmark = pytest.mark.django_db
Status = Comment.Status


def block_from_row(client, target, kind, **extra):
    data = {"comment": target.pk, "kind": kind, "next": reverse("desk:comments")}
    data.update(extra)
    return client.post(reverse("desk:comment_block"), data)


def said(response) -> list[str]:
    """The messages this response added (earlier ones wait in the session)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1:]


def latest() -> Comment:
    return Comment.objects.latest("id")


def test_a_public_comment_from_a_clean_address_is_not_spam(reader, post):
    assert post_publicly(reader, post).status_code == 303
    assert latest().status == Status.PENDING  # a first comment, held


@pytest.mark.parametrize(
    ("kind", "blocked", "again"),
    [
        ("email", "mima@example.test", {"email": "MIMA@example.test"}),
        ("address", "198.51.100.7", {"email": "other@elsewhere.test"}),
        ("domain", "example.test", {"email": "someone@mail.example.test"}),
    ],
)
def test_a_block_from_a_row_sends_later_public_comments_to_spam(
    reader, desk, post, editor, kind, blocked, again
):
    post_publicly(reader, post, body="A first, held comment.")
    first = latest()
    assert first.ip_address == "198.51.100.7"
    response = block_from_row(desk, first, kind, note="Rude, twice.")
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:comments")
    made = Block.objects.get()
    assert (made.kind, made.value, made.note) == (kind, blocked, "Rude, twice.")
    assert made.created_by == editor
    # Without "also spam their held comments" the first one waits as it was.
    first.refresh_from_db()
    assert first.status == Status.PENDING
    assert said(response) == [f"Blocked {blocked}: new comments from it go to spam."]

    post_publicly(reader, post, body="Back again, another name.", **again)
    later = latest()
    assert later.pk != first.pk
    assert later.status == Status.SPAM
    assert later.moderation_note == f"blocked {kind}: {blocked}"
    page = reader.get(post.get_absolute_url())
    assert b"Back again" not in page.content


def test_blocking_can_spam_the_commenters_held_comments_at_once(desk, post):
    held = [comment(post, body=f"held {n}") for n in range(2)]
    shown = comment(post, status=Status.APPROVED, body="approved earlier")
    someone_else = comment(post, email="other@example.org", body="unrelated")
    response = block_from_row(desk, held[0], "email", spam_held="on")
    assert said(response) == [
        "Blocked mima@example.test: new comments from it go to spam. "
        "2 held comments moved to spam."
    ]
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in held] == [Status.SPAM, Status.SPAM]
    assert statuses[shown.pk] == Status.APPROVED
    assert statuses[someone_else.pk] == Status.PENDING


def test_the_row_says_the_commenter_is_blocked(desk, post):
    target = comment(post)
    block_from_row(desk, target, "domain")
    page = desk.get(reverse("desk:comments"))
    assert "Blocked: example.test" in page.content.decode()


def test_blocking_twice_keeps_one_block(desk, post):
    target = comment(post)
    block_from_row(desk, target, "email")
    block_from_row(desk, target, "email")
    assert Block.objects.count() == 1


def test_a_row_without_the_detail_or_a_vanished_comment_is_a_message(desk, post):
    target = comment(post)  # stored by an importer: no address
    response = block_from_row(desk, target, "address")
    assert said(response) == ["This comment does not give that to block."]
    gone = desk.post(
        reverse("desk:comment_block"), {"comment": "999999", "kind": "email"}
    )
    assert said(gone) == ["That comment no longer exists: it was deleted."]
    assert not Block.objects.exists()


def test_the_blocks_screen_adds_lists_and_lifts_blocks(reader, desk, post):
    screen = reverse("desk:comment_blocks")
    added = desk.post(
        reverse("desk:comment_block"),
        {"kind": "address", "value": " 203.0.113.0/24 ", "next": screen},
    )
    assert added["Location"] == screen
    listed = desk.get(screen).content.decode()
    assert "<code>203.0.113.0/24</code>" in listed
    assert "edna" in listed

    post_publicly(reader, post, ip="203.0.113.99", body="From the blocked network.")
    assert latest().status == Status.SPAM

    made = Block.objects.get()
    lifted = desk.post(reverse("desk:comment_unblock", args=[made.pk]))
    assert lifted["Location"] == screen
    assert said(lifted) == ["Unblocked 203.0.113.0/24."]
    assert not Block.objects.exists()
    again = desk.post(reverse("desk:comment_unblock", args=[made.pk]))
    assert said(again) == ["That block was already lifted."]
    assert "Nobody is blocked." in desk.get(screen).content.decode()

    post_publicly(reader, post, ip="203.0.113.99", body="After the block lifted.")
    assert latest().status == Status.PENDING


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("address", "not-an-ip", "“not-an-ip” is not an IP address or network."),
        ("email", "nobody", "Enter a valid email address."),
        ("domain", "localhost", "“localhost” is not a domain."),
        ("domain", "", "Say what to block."),
        ("planet", "mars", "Choose an address, an email or a domain to block."),
    ],
)
def test_a_value_that_cannot_be_blocked_is_explained(desk, kind, value, message):
    response = desk.post(reverse("desk:comment_block"), {"kind": kind, "value": value})
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:comment_blocks")
    assert said(response) == [message]
    assert not Block.objects.exists()


def test_blocking_is_for_editors_and_administrators(client, post, author):
    target = comment(post)
    client.force_login(author)
    assert block_from_row(client, target, "email").status_code == 403
    assert client.get(reverse("desk:comment_blocks")).status_code == 403
    client.force_login(person("connie", "contributor"))
    assert block_from_row(client, target, "email").status_code == 403
    assert not Block.objects.exists()
