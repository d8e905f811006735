"""Must-show: a series keeps its promise when Part 2 goes live on schedule."""

from __future__ import annotations

import datetime
import time

import feedparser
import pytest
from django.utils import timezone

from afterword.posts.models import Post
from afterword.subscriptions import services as following
from afterword.subscriptions.models import Subscriber

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_scheduled_part_appears_everywhere_and_reaches_the_series_follower_once(
    page,
    live_server,
    settings,
    writer,
    post_factory,
    make_series,
    add_part,
    smtp_server,
    run_tasks,
):
    settings.SITE_URL = live_server.url
    settings.AFTERWORD_PAGE_CACHE = True
    series = make_series()
    one = post_factory(author=writer, title="Magnetic Rose", slug="magnetic-rose")
    goes_live = timezone.now() + datetime.timedelta(seconds=4)
    two = post_factory(
        author=writer,
        title="Stink Bomb",
        slug="stink-bomb",
        status=Post.Status.SCHEDULED,
        published_at=goes_live,
        excerpt="A researcher swallows the wrong pill.",
    )
    add_part(series, 1, post=one)
    add_part(series, 2, post=two, planned_title="Stink Bomb")
    add_part(
        series,
        3,
        planned_title="Cannon Fodder",
        expected_date=datetime.date(2027, 6, 1),
    )
    following.subscribe("fan@example.test", f"series:{series.pk}")
    subscriber = Subscriber.objects.get(email="fan@example.test")
    following.update_preferences(subscriber, {f"series:{series.pk}"}, "immediate")
    run_tasks()  # the confirmation email; Part 2's time has not come yet
    before = len(smtp_server.messages)

    part_one = f"{live_server.url}{one.get_absolute_url()}"
    series_page = f"{live_server.url}/series/memories/"
    page.goto(part_one)
    toc = page.locator(".series-toc")
    assert page.locator(".series-position").inner_text() == (
        "Part 1 of 3 in the series Memories"
    )
    assert toc.locator("li").nth(1).inner_text() == (
        "Memories Part 2: Stink Bomb coming soon"
    )
    assert toc.locator("li").nth(2).inner_text() == (
        "Memories Part 3: Cannon Fodder coming soon (expected June 2027)"
    )
    assert toc.locator("a").count() == 1
    page.goto(series_page)
    assert page.locator(".series-progress").inner_text() == "1 of 3 published"
    assert page.locator(".series-toc a").count() == 1

    # Nobody edits anything: the time passes and the worker runs.
    time.sleep(max(0.0, (goes_live - timezone.now()).total_seconds()) + 0.3)
    run_tasks()

    page.goto(part_one)
    link = page.locator(".series-toc a", has_text="Stink Bomb")
    assert link.get_attribute("href") == two.get_absolute_url()
    assert page.locator(".series-nav a[rel=next]").inner_text() == (
        "Next part: Memories Part 2: Stink Bomb"
    )
    page.goto(series_page)
    assert page.locator(".series-progress").inner_text() == "2 of 3 published"
    page.locator(".series-toc a", has_text="Stink Bomb").click()
    page.wait_for_url(f"**{two.get_absolute_url()}")
    assert "Part 2 of 3" in page.locator(".series-position").inner_text()

    feed = feedparser.parse(page.request.get(f"{series_page}feed/atom/").body())
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == [
        "Memories Part 2: Stink Bomb",
        "Memories Part 1: Magnetic Rose",
    ]
    assert feed.entries[0].link == f"{live_server.url}{two.get_absolute_url()}"

    news = smtp_server.messages[before:]
    assert [str(m["To"]) for m in news] == ["fan@example.test"]
    [message] = news
    text = smtp_server.text_of(message)
    assert message["Subject"] == "New: Memories Part 2: Stink Bomb"
    assert "Part 2 of 3 of Memories" in text
    assert "A researcher swallows the wrong pill." in text
    assert f"{live_server.url}{two.get_absolute_url()}" in text
    run_tasks()
    assert len(smtp_server.messages) == before + 1
