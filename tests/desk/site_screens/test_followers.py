"""The Followers screen: figures, growth, the list, and the CSV export."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from afterword.subscriptions.models import Follow, Subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def audience():
    now = timezone.now()
    made = []
    for n, (frequency, confirmed_days_ago) in enumerate(
        [("immediate", 0), ("immediate", 0), ("weekly", 3), ("weekly", None)]
    ):
        confirmed = (
            None
            if confirmed_days_ago is None
            else now - datetime.timedelta(days=confirmed_days_ago)
        )
        subscriber = Subscriber.objects.create(
            email=f"reader{n}@example.org", frequency=frequency, confirmed_at=confirmed
        )
        Follow.objects.create(
            subscriber=subscriber, target="site", confirmed_at=confirmed
        )
        made.append(subscriber)
    Subscriber.objects.create(
        email="=HYPERLINK(1)@example.org",
        confirmed_at=now - datetime.timedelta(days=60),
        unsubscribed_at=now,
    )
    return made


def test_figures_and_growth(signed_in, audience, record_property):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    desk = signed_in("editor")
    desk.get(reverse("desk:followers"))
    with CaptureQueriesContext(connection) as queries:
        response = desk.get(reverse("desk:followers"))
    record_property("figure", f"desk followers page queries: {len(queries)}")
    assert response.status_code == 200
    assert response.context["totals"] == {
        "active": 3,
        "pending": 1,
        "left": 1,
        "immediate": 2,
        "weekly": 1,
    }
    growth = response.context["growth"]
    assert len(growth) == 30
    assert growth[-1]["count"] == 2
    assert growth[-4]["count"] == 1
    assert response.context["growth_total"] == 3


def test_editors_see_masked_addresses_and_no_export(signed_in, audience):
    desk = signed_in("editor")
    html = desk.get(reverse("desk:followers")).content.decode()
    assert "reader0@example.org" not in html
    assert "r•••@e•••.org" in html
    assert reverse("desk:followers_csv") not in html
    assert desk.get(reverse("desk:followers_csv")).status_code == 403
    # Searching by address is for those who see addresses.
    searched = desk.get(reverse("desk:followers"), {"q": "reader0"})
    assert len(searched.context["rows"]) == 5


def test_administrators_see_addresses_and_export_them(administrator, audience):
    html = administrator.get(reverse("desk:followers")).content.decode()
    assert "reader0@example.org" in html
    response = administrator.get(reverse("desk:followers_csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "email"
    assert len(rows) == 6
    assert rows[4][:3] == ["reader3@example.org", "weekly", "pending"]
    # A cell a spreadsheet would run as a formula is written as text.
    assert rows[5][0] == "'=HYPERLINK(1)@example.org"


def test_filters_and_bad_input(administrator, audience):
    response = administrator.get(reverse("desk:followers"), {"state": "pending"})
    assert [r["subscriber"].email for r in response.context["rows"]] == [
        "reader3@example.org"
    ]
    response = administrator.get(
        reverse("desk:followers"), {"state": "<x>", "page": "-4", "q": "a" * 999}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["contributor", "author"])
def test_writers_without_the_permission_are_refused(signed_in, role):
    assert signed_in(role).get(reverse("desk:followers")).status_code == 403
