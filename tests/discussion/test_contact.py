"""The author's contact form: emailed through the outbox, never showing the address."""

import time

import pytest
from django.urls import reverse

from afterword.discussion import defences
from afterword.outbox.models import OutgoingEmail


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
def author(writer):
    writer.email = "writer-private@example.test"
    writer.save()
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
    assert response.status_code == 403
    assert "does not take messages" in response.content.decode()
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
