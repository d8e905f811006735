"""Follower figures for editors; addresses for administrators only."""

from __future__ import annotations

import pytest
from django.utils import timezone

from afterword.subscriptions.models import Follow, Subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def followers(db):
    now = timezone.now()
    active = Subscriber.objects.create(email="a@example.test", confirmed_at=now)
    Follow.objects.create(subscriber=active, target="site", confirmed_at=now)
    pending = Subscriber.objects.create(email="p@example.test")
    Follow.objects.create(subscriber=pending, target="site")
    Subscriber.objects.create(email="l@example.test", unsubscribed_at=now)
    return active, pending


def test_editors_see_the_counts(api_as, followers):
    counts = api_as("editor").get("/api/v1/followers/counts")
    assert counts.status_code == 200
    body = counts.json()
    assert (body["active"], body["pending"], body["left"]) == (1, 1, 1)
    assert body["targets"][0]["target"] == "site"
    assert (body["targets"][0]["confirmed"], body["targets"][0]["pending"]) == (1, 1)
    assert api_as("author").get("/api/v1/followers/counts").status_code == 403


def test_only_administrators_export_addresses(api_as, followers):
    assert api_as("editor").get("/api/v1/followers").status_code == 403
    admin = api_as("administrator")
    everyone = admin.get("/api/v1/followers?limit=2").json()
    rest = admin.get(f"/api/v1/followers?cursor={everyone['next']}").json()
    emails = [f["email"] for f in everyone["items"] + rest["items"]]
    assert sorted(emails) == ["a@example.test", "l@example.test", "p@example.test"]
    active = admin.get("/api/v1/followers?state=active").json()["items"]
    assert [(f["email"], f["state"], f["follows"]) for f in active] == [
        ("a@example.test", "active", ["site"])
    ]
