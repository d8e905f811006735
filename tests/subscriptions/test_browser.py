"""Must-show: follow, confirm, change preferences, unsubscribe, in Chromium."""

from __future__ import annotations

import re

import pytest

from afterword.subscriptions.models import Follow, Subscriber

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_follow_confirm_change_preferences_and_unsubscribe_by_header_link(
    page, live_server, settings, smtp_server, run_tasks, memories
):
    settings.SITE_URL = live_server.url
    series, _one, _two = memories
    page.goto(f"{live_server.url}/")

    box = page.locator(".follow-box")
    # The cached page has no token; starting to fill the form fetches one.
    assert box.locator("[data-follow-token]").input_value() == ""
    with page.expect_response("**/follow/token/"):
        box.get_by_label("Your email address").fill("reader@example.test")
    page.wait_for_function(
        "() => document.querySelector('.follow-box [data-follow-token]').value"
    )
    box.get_by_role("button", name="Follow").click()
    assert "we have sent a confirmation link to reader@example.test" in (
        page.locator(".follow-message").inner_text()
    )
    assert Follow.objects.get().confirmed_at is None

    run_tasks()
    [confirmation] = smtp_server.to("reader@example.test")
    text = smtp_server.text_of(confirmation)
    [confirm_url] = re.findall(r"http://\S+/follow/confirm/\S+", text)
    page.goto(confirm_url)
    assert Follow.objects.get().confirmed_at is None
    page.get_by_role("button", name="Yes, follow").click()
    assert "reader@example.test now follows everything on Afterword" in (
        page.locator(".follow-message").inner_text()
    )

    page.get_by_role("link", name="Change what you follow or how often").click()
    page.get_by_label("The series “Memories”").check()
    page.get_by_label("Everything on Afterword").uncheck()
    page.get_by_label("A weekly digest").check()
    page.get_by_role("button", name="Save my choices").click()
    assert "Saved. We will email you about what is ticked below." in page.content()
    subscriber = Subscriber.objects.get()
    assert subscriber.frequency == "weekly"
    assert list(subscriber.follows.values_list("target", flat=True)) == [
        f"series:{series.pk}"
    ]

    header = str(confirmation["List-Unsubscribe"]).strip()
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = header.strip("<>")
    assert unsubscribe_url.startswith(f"{live_server.url}/follow/unsubscribe/")
    page.goto(unsubscribe_url)
    page.get_by_role("button", name="Unsubscribe").click()
    assert "reader@example.test will get no more emails from us" in (
        page.locator(".follow-message").inner_text()
    )
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None
    assert subscriber.follows.count() == 0
