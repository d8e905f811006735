"""Desk → Signed-in apps: a writer's own tokens, and revoking one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from afterword.credentials import auth
from afterword.credentials.models import AccessToken
from tests import factories
from tests.credentials.helpers import make_token
from tests.support.html_checks import BLOCKING_IMPACTS, axe_violations

from .flow import PASSWORD, obtain_token_in_browser

SCREEN = "/desk/settings/apps/"


@pytest.mark.django_db
def test_a_writer_sees_only_their_own_apps_and_revokes_one(client, author):
    mine = make_token(author, {"draft", "publish"}, client_id="https://quill.example/")
    other_writer = factories.writer("editor", username="mika")
    theirs = make_token(other_writer, {"draft"}, client_id="https://theirs.example/")
    assert reverse("desk:signed_in_apps") == SCREEN
    client.force_login(author)
    page = client.get(SCREEN).content.decode()
    assert "https://quill.example/" in page
    assert "https://theirs.example/" not in page
    assert "Publish, schedule, change and delete posts readers can see" in page

    someone_elses = AccessToken.objects.get(user=other_writer)
    assert client.post(SCREEN, {"token": someone_elses.pk}).status_code == 404
    auth.authenticate_bearer(theirs)

    own = AccessToken.objects.get(user=author)
    answer = client.post(SCREEN, {"token": own.pk}, follow=True)
    assert answer.status_code == 200
    assert "https://quill.example/ is signed out" in answer.content.decode()
    assert "No app is signed in with your account." in answer.content.decode()
    with pytest.raises(auth.CredentialError):
        auth.authenticate_bearer(mine)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_app_signed_in_through_indieauth_is_listed_and_revoked_in_chromium(
    browser, site, author
):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    token = obtain_token_in_browser(page, site, "ines", PASSWORD)
    auth.authenticate_bearer(token)  # used once: "last used" is filled in

    page.goto(site + "/desk/")
    page.click("text=Signed-in apps")
    page.wait_for_url(f"**{SCREEN}")
    assert page.locator("table.list tbody tr").count() == 1
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == []
    page.click("table.list button:has-text('Revoke')")
    page.wait_for_selector("text=No app is signed in with your account.")
    context.close()
    with pytest.raises(auth.CredentialError):
        auth.authenticate_bearer(token)
