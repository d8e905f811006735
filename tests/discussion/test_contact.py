"""The author's contact form: emailed through the outbox, never showing the address."""

import re
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from afterword.discussion import defences
from afterword.outbox.models import OutgoingEmail
from afterword.posts.models import Post
from tests.factories import UserFactory


def contact_data(author, **overrides):
    data = {
        "token": defences.make_token(f"contact:{author.pk}", now=time.time() - 10),
        "name": "Curious Reader",
        "email": "curious@example.test",
        "subject": "Your Perfect Blue review",
        "message": "Would you write about Paranoia Agent next?",
    }
    data.update(overrides)
    return data


@pytest.fixture
def author(writer, post_factory):
    """A writer with a live post: their profile, and so the form, exist."""
    writer.email = "writer-private@example.test"
    writer.save()
    post_factory(author=writer, title="Perfect Blue, revisited")
    return writer


def test_profile_shows_the_form_without_the_address(client, author):
    page = client.get(author.get_absolute_url()).content.decode()

    assert "Contact Writer" in page
    assert reverse("discussion:contact", args=[author.username]) in page
    assert "writer-private@example.test" not in page


@pytest.mark.django_db(transaction=True)  # the worker needs real transactions
def test_message_reaches_the_author_by_smtp_with_reply_to(
    client, author, smtp_server, run_tasks
):
    response = client.post(
        reverse("discussion:contact", args=[author.username]), contact_data(author)
    )

    assert response.status_code == 200
    assert "Message sent" in response.content.decode()
    assert "writer-private@example.test" not in response.content.decode()
    run_tasks()
    [message] = smtp_server.to("writer-private@example.test")
    assert message["Reply-To"].strip() == "curious@example.test"
    assert "Curious Reader: Your Perfect Blue review" in message["Subject"]
    assert "Paranoia Agent" in smtp_server.text_of(message)


def test_double_submit_sends_one_email(client, author):
    url = reverse("discussion:contact", args=[author.username])
    client.post(url, contact_data(author))
    client.post(url, contact_data(author))

    assert OutgoingEmail.objects.count() == 1


def test_author_can_turn_the_form_off(client, author):
    author.contact_enabled = False
    author.save()

    page = client.get(author.get_absolute_url()).content.decode()
    response = client.post(
        reverse("discussion:contact", args=[author.username]), contact_data(author)
    )

    assert "Contact Writer" not in page
    assert response.status_code == 404
    assert "no author at this address who takes messages" in (response.content.decode())
    assert not OutgoingEmail.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "status", "message"),
    [
        ({"token": ""}, 400, "missing its security token"),
        ({"fax": "x"}, 400, "meant to stay empty"),
        ({"email": "nope"}, 400, "valid email address"),
        ({"name": "n" * 10_000}, 400, "under 100 characters"),
        ({"message": ""}, 400, "write a message"),
    ],
)
def test_bad_contact_input_is_refused_clearly(
    client, author, overrides, status, message
):
    response = client.post(
        reverse("discussion:contact", args=[author.username]),
        contact_data(author, **overrides),
    )

    assert response.status_code == status
    assert message in response.content.decode()
    assert not OutgoingEmail.objects.exists()


def test_contact_flood_is_throttled(client, author, policy):
    policy.flood_identity_limit = 2
    policy.save()
    url = reverse("discussion:contact", args=[author.username])

    statuses = [
        client.post(url, contact_data(author, message=f"Note {n}")).status_code
        for n in range(4)
    ]

    assert statuses == [200, 200, 429, 429]
    assert OutgoingEmail.objects.count() == 2


def _page_text(response) -> str:
    """The body less what differs by request alone: the nonce and the
    requested address (the page names its own URL)."""
    text = response.content.decode().replace(response.request["PATH_INFO"], "/…/")
    return re.sub(r'nonce="[^"]*"', "", text)


@pytest.fixture
def unreachable(post_factory):
    """Accounts the form must not reach, each with an address it could mail."""

    def make(kind: str):
        if kind == "reader":
            return UserFactory(username="a-reader")
        if kind == "staff-without-posts":
            return UserFactory(username="an-admin", is_staff=True, is_superuser=True)
        if kind == "only-a-draft":
            user = UserFactory(username="drafting", is_staff=True)
            post_factory(author=user, status=Post.Status.DRAFT, published_at=None)
            return user
        if kind == "only-scheduled":
            user = UserFactory(username="scheduling", is_staff=True)
            post_factory(
                author=user,
                status=Post.Status.SCHEDULED,
                published_at=timezone.now() + timedelta(days=2),
            )
            return user
        if kind == "inactive":
            user = UserFactory(username="gone", is_staff=True)
            post_factory(author=user)
            user.is_active = False
            user.save()
            return user
        user = UserFactory(username="quiet", is_staff=True, contact_enabled=False)
        post_factory(author=user)
        return user

    return make


UNREACHABLE = [
    "reader",
    "staff-without-posts",
    "only-a-draft",
    "only-scheduled",
    "inactive",
    "contact-turned-off",
]


@pytest.mark.parametrize("kind", UNREACHABLE)
def test_contact_token_answers_like_a_username_that_does_not_exist(
    client, author, unreachable, kind
):
    user = unreachable(kind)

    answer = client.get(reverse("discussion:contact-token", args=[user.username]))
    nothing = client.get(reverse("discussion:contact-token", args=["no-such-name"]))
    reachable = client.get(reverse("discussion:contact-token", args=[author.username]))

    assert (answer.status_code, nothing.status_code) == (404, 404)
    assert answer.content == nothing.content
    assert reachable.status_code == 200
    assert reachable.json()["token"]


@pytest.mark.parametrize("kind", UNREACHABLE)
def test_contact_post_answers_like_a_username_that_does_not_exist(
    client, unreachable, kind
):
    user = unreachable(kind)

    # The best an attacker could send: a token signed for that very account.
    answer = client.post(
        reverse("discussion:contact", args=[user.username]), contact_data(user)
    )
    nothing = client.post(
        reverse("discussion:contact", args=["no-such-name"]), contact_data(user)
    )

    assert (answer.status_code, nothing.status_code) == (404, 404)
    assert _page_text(answer) == _page_text(nothing)
    assert user.public_name not in _page_text(answer)
    assert not OutgoingEmail.objects.exists()


def test_a_flooded_client_cannot_tell_accounts_apart(client, author, policy):
    policy.flood_ip_limit = 2
    policy.save()
    for n in range(2):
        client.post(
            reverse("discussion:contact", args=[author.username]),
            contact_data(author, message=f"Note {n}"),
        )

    known = client.post(
        reverse("discussion:contact", args=[author.username]), contact_data(author)
    )
    unknown = client.post(
        reverse("discussion:contact", args=["no-such-name"]), contact_data(author)
    )

    assert (known.status_code, unknown.status_code) == (429, 429)
    assert known.content == unknown.content
