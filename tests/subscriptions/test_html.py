"""The pages of series and following are valid HTML (W3C Nu HTML checker)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from afterword.subscriptions import tokens
from afterword.subscriptions.models import Follow
from tests.support.html_checks import nu_errors

pytestmark = pytest.mark.django_db


def test_series_and_follow_pages_are_valid_html(
    client,
    memories,
    follower,
    follow_form,
    tmp_path,
):
    series, one, _two = memories
    subscriber = follower("reader@example.test", "site")
    token = tokens.manage_token(subscriber)
    pages = {
        "part page": client.get(one.get_absolute_url()),
        "series page": client.get(series.get_absolute_url()),
        "series index": client.get(reverse("series:index")),
        "follow sent": follow_form("new@example.test", f"series:{series.pk}"),
        "follow refused": follow_form("not-an-address"),
        "preferences": client.get(reverse("subscriptions:manage", args=[token])),
        "unsubscribe": client.get(reverse("subscriptions:unsubscribe", args=[token])),
        "bad link": client.get(reverse("subscriptions:confirm", args=["x:y"])),
        "confirm": client.get(
            reverse(
                "subscriptions:confirm",
                args=[tokens.confirm_token(Follow.objects.get(confirmed_at=None))],
            )
        ),
    }
    errors = nu_errors(
        {name: response.content for name, response in pages.items()},
        tmp_path / "pages",
    )
    assert errors == []
