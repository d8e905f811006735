"""Fixtures for following: a real SMTP server, the form, a published series."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from afterword.discussion import defences
from afterword.subscriptions import services
from afterword.subscriptions.models import Subscriber
from tests.series.conftest import add_part, make_series, memories  # noqa: F401
from tests.support.smtp import smtp_server  # noqa: F401


@pytest.fixture(autouse=True)
def _instant_forms(settings):
    """Forms may be sent at once in tests (people need a few seconds)."""
    settings.AFTERWORD_FORM_TOKEN_MIN_AGE = 0


@pytest.fixture
def follow_form(client):
    def send(email: str, target: str = "site", headers=None, **extra):
        data = {
            "email": email,
            "target": target,
            "token": defences.make_token("follow"),
            defences.HONEYPOT_FIELD: "",
            **extra,
        }
        return client.post(reverse("subscriptions:follow"), data, headers=headers)

    return send


@pytest.fixture
def follower(db, django_capture_on_commit_callbacks):
    """A confirmed follower of the given targets (through the services)."""

    def make(email: str, *keys: str, frequency=Subscriber.Frequency.IMMEDIATE):
        with django_capture_on_commit_callbacks(execute=True):
            # The site first: a tag with no live post yet is not offered to
            # readers, but may be followed from the preferences page.
            services.subscribe(email, "site")
            subscriber = Subscriber.objects.get(email=email)
            services.update_preferences(subscriber, set(keys), frequency)
        return subscriber

    return make


def link_in(message, path: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    [link] = re.findall(r"https?://\S*" + re.escape(path) + r"\S*", text)
    return link
