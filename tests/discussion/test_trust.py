"""Who the moderation rules trust: proven commenters, verified identities.

Each test here goes through the comment form (or the edit page) as a reader
does, and fails on the rules of earlier releases.
"""

from __future__ import annotations

import hashlib

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from afterword.discussion.models import Comment, CommentSubscription
from tests.factories import UserFactory

from .conftest import approved, known_guest, old_token

pytestmark = pytest.mark.django_db


def test_typing_a_known_commenters_email_is_not_enough(post, submit):
    """Someone else's approved comment, and their address typed in the form:
    held, since nothing proves the address is the commenter's."""
    approved(post, author_email="mima@example.test", body="Mima's own words.")

    submit(post, body="Buy cheap watches, says 'Mima'.")

    impostor = Comment.objects.latest("id")
    assert impostor.status == Comment.Status.PENDING
    assert impostor.moderation_note == "first comment"


def test_the_browser_that_posted_the_approved_comment_is_known(post, submit, client):
    known_guest(post, client, body="Earlier.")

    submit(post)

    assert Comment.objects.latest("id").status == Comment.Status.APPROVED


def test_an_address_confirmed_by_a_comment_subscription_is_known(post, submit):
    approved(post, author_email="mima@example.test", body="Earlier.")
    CommentSubscription.objects.create(
        post=post, email="mima@example.test", confirmed_at="2026-01-01T00:00:00Z"
    )

    submit(post)

    assert Comment.objects.latest("id").status == Comment.Status.APPROVED


@pytest.mark.parametrize(
    "verified, status",
    [(False, Comment.Status.PENDING), (True, Comment.Status.APPROVED)],
    ids=["unconfirmed address: held", "confirmed address: published"],
)
def test_logged_in_readers_are_trusted_only_with_a_verified_identity(
    post, client, verified, status
):
    """ "Publish logged-in readers at once" trusts verified identities only:
    an account anyone can make with any address proves nothing."""
    reader = UserFactory(username="reader", email="reader@example.test")
    EmailAddress.objects.create(user=reader, email=reader.email, verified=verified)
    client.force_login(reader)

    client.post(
        reverse("discussion:post", args=[post.pk]),
        {"token": old_token(post), "body": "First words from a local account."},
    )

    assert Comment.objects.get(user=reader).status == status


def test_an_approved_comment_edited_into_spam_is_held_again(
    post, submit, client, policy, django_capture_on_commit_callbacks
):
    """Approved once, then rewritten into a link farm from the edit page: the
    rules judge the new text and the comment leaves the page."""
    policy.hold_first_comment = False
    policy.save()
    submit(post, body="A fair point about the ending.")
    comment = Comment.objects.latest("id")
    assert comment.status == Comment.Status.APPROVED
    policy.hold_first_comment = True
    policy.save()

    farm = " ".join(f"https://pills{n}.example/buy" for n in range(6))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("discussion:edit", args=[comment.pk]), {"body": farm})

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_note == "6 links"
    client.cookies.clear()
    assert "pills0" not in client.get(post.get_absolute_url()).content.decode()


def test_an_edit_into_a_blocked_word_goes_to_spam(post, submit, client, policy):
    known_guest(post, client, body="Earlier.")
    submit(post, body="Innocent at first.")
    comment = Comment.objects.latest("id")
    assert comment.status == Comment.Status.APPROVED
    policy.blocked_words = "casino"
    policy.save()

    client.post(
        reverse("discussion:edit", args=[comment.pk]), {"body": "Visit my casino."}
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM


def test_a_guests_avatar_address_does_not_reveal_a_hash_of_their_email(post, client):
    comment = approved(post, author_email="mima@example.test", body="Hi.")
    page = client.get(post.get_absolute_url()).content.decode()

    plain = hashlib.sha256(b"mima@example.test").hexdigest()[:32]
    assert comment.identity_hash in page
    assert plain not in page
    assert hashlib.md5(b"mima@example.test").hexdigest() not in page
