"""Settings → Webhooks on the desk: add, change, delete, secrets, refusals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from afterword.accounts.actions import SetRole
from afterword.webhooks.models import Webhook, WebhookDelivery
from tests import factories

pytestmark = pytest.mark.django_db

SCREEN = "desk:webhooks"


@pytest.fixture
def admin(client):
    account = factories.UserFactory(username="site-admin")
    SetRole(account, "administrator").run()
    client.force_login(account)
    return account


def form(url: str, *events: str, active: bool = True, **extra) -> dict:
    data = {"intent": "save", "url": url, "events": list(events), **extra}
    if active:
        data["active"] = "on"
    return data


def test_an_administrator_adds_a_webhook_and_sees_its_secret(client, admin, receiver):
    response = client.post(
        reverse(SCREEN), form(receiver.url, "post.published", "comment.held")
    )

    assert response.status_code == 302
    hook = Webhook.objects.get()
    assert hook.events == ["post.published", "comment.held"]
    assert hook.active and hook.created_by == admin
    assert hook.secret.startswith("whsec_") and len(hook.secret) > 40
    page = client.get(reverse(SCREEN)).content.decode()
    assert hook.secret in page
    assert receiver.url in page
    assert "A post is published" in page


def test_changing_events_then_deleting(client, admin, receiver):
    client.post(reverse(SCREEN), form(receiver.url, "post.published"))
    hook = Webhook.objects.get()

    edit = client.get(reverse(SCREEN), {"edit": hook.pk}).content.decode()
    assert 'value="post.published"' in edit and "checked" in edit
    response = client.post(
        reverse(SCREEN),
        form(receiver.url, "post.updated", "post.deleted", id=hook.pk, active=False),
    )
    assert response.status_code == 302
    hook.refresh_from_db()
    assert hook.events == ["post.updated", "post.deleted"]
    assert not hook.active

    response = client.post(reverse(SCREEN), {"intent": "delete", "id": hook.pk})
    assert response.status_code == 302
    assert not Webhook.objects.exists()


def test_a_new_secret_replaces_the_old_one(client, admin, make_webhook):
    hook = make_webhook()
    old = hook.secret

    client.post(reverse(SCREEN), {"intent": "rotate", "id": hook.pk})

    hook.refresh_from_db()
    assert hook.secret != old and hook.secret.startswith("whsec_")


def test_a_test_event_is_queued_and_shown_with_its_state(client, admin, make_webhook):
    hook = make_webhook(events=["comment.held"])

    client.post(reverse(SCREEN), {"intent": "ping", "id": hook.pk})

    ping = WebhookDelivery.objects.get()
    assert (ping.webhook, ping.event, ping.state) == (hook, "ping", "pending")
    page = client.get(reverse(SCREEN)).content.decode()
    assert "<code>ping</code>" in page and "Waiting" in page


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/hooks", "is not an http(s) address"),
        ("javascript:alert(1)", "Enter a valid URL."),
        ("http://user:pw@example.org/hooks", "contains a user name or password"),
    ],
)
def test_an_address_that_is_not_http_is_refused_and_the_form_kept(
    client, admin, receiver, url, message
):
    response = client.post(reverse(SCREEN), form(url, "post.updated", "comment.held"))

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'role="alert"' in page
    assert f'value="{url}"' in page.replace("&amp;", "&")
    assert 'value="post.updated" id="id_events_1" checked' in page
    assert 'value="comment.held" id="id_events_3" checked' in page
    assert not Webhook.objects.exists()


def test_a_loopback_address_not_allowed_by_the_settings_is_refused(
    client, admin, receiver
):
    other = receiver.url.replace(str(receiver.peer.port), str(receiver.peer.port + 1))

    response = client.post(reverse(SCREEN), form(other, "post.published"))

    assert response.status_code == 400
    page = response.content.decode()
    assert "The site cannot post to this address" in page
    assert "is not on the public internet" in page
    assert f'value="{other}"' in page
    assert not Webhook.objects.exists()


def test_no_event_chosen_is_refused_and_the_address_kept(client, admin, receiver):
    response = client.post(reverse(SCREEN), form(receiver.url))

    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose at least one event" in page
    assert f'value="{receiver.url}"' in page
    assert not Webhook.objects.exists()


def test_a_refused_change_keeps_the_stored_webhook(client, admin, make_webhook):
    hook = make_webhook(events=["post.published"])

    response = client.post(
        reverse(SCREEN), form("ftp://example.org/", "post.updated", id=hook.pk)
    )

    assert response.status_code == 400
    assert 'value="ftp://example.org/"' in response.content.decode()
    hook.refresh_from_db()
    assert hook.events == ["post.published"]


@pytest.mark.parametrize("role", ["contributor", "author", "editor"])
def test_only_administrators_manage_webhooks(client, make_webhook, role):
    account = factories.UserFactory(username=f"desk-{role}")
    SetRole(account, role).run()
    client.force_login(account)
    hook = make_webhook()

    assert client.get(reverse(SCREEN)).status_code == 403
    assert (
        client.post(reverse(SCREEN), {"intent": "delete", "id": hook.pk}).status_code
        == 403
    )
    assert Webhook.objects.filter(pk=hook.pk).exists()


def test_a_switched_off_webhook_cannot_be_tested(client, admin, make_webhook):
    hook = make_webhook(active=False)

    response = client.post(
        reverse(SCREEN), {"intent": "ping", "id": hook.pk}, follow=True
    )

    assert "Switch the webhook on before testing it." in response.content.decode()
    assert not WebhookDelivery.objects.exists()
