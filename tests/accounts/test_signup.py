"""Local sign-up is closed unless the site opens it, and opened it verifies."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db

NEW_ACCOUNT = {
    "username": "newcomer",
    "email": "newcomer@example.test",
    "password1": "a long enough passphrase 42",
    "password2": "a long enough passphrase 42",
}


def test_sign_up_is_closed_by_default_and_makes_no_account(client):
    page = client.get(reverse("account_signup"))
    assert "closed" in page.content.decode().lower()

    client.post(reverse("account_signup"), NEW_ACCOUNT)

    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_an_opened_sign_up_needs_the_address_confirmed_before_signing_in(
    client, settings, mailoutbox
):
    settings.AFTERWORD_OPEN_SIGNUP = True
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    response = client.post(reverse("account_signup"), NEW_ACCOUNT)

    user = get_user_model().objects.get(username="newcomer")
    assert not EmailAddress.objects.get(user=user).verified
    # Not signed in: sent to the "confirm your address" page instead.
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["newcomer@example.test"]]
