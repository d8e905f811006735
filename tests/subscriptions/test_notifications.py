"""A post going live reaches each matching follower once, from the worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from afterword.outbox.models import OutgoingEmail
from afterword.posts.actions import save_post
from afterword.posts.models import Post
from afterword.subscriptions import digest, fanout, tasks
from afterword.subscriptions.models import DigestRun, FanOut, Subscriber
from tests import factories

# The task worker calls close_old_connections(), which on PostgreSQL closes a
# connection that sits inside a test's transaction: these tests use real
# transactions.
pytestmark = pytest.mark.django_db(transaction=True)


def publish(post, django_capture_on_commit_callbacks, when=None):
    post.status = Post.Status.PUBLISHED if when is None else Post.Status.SCHEDULED
    post.published_at = when or timezone.now() - timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        save_post(post)


def test_one_email_per_address_whatever_it_follows(
    memories,
    follower,
    follow_form,
    smtp_server,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    series, _one, two = memories
    tag = factories.TagFactory(name="Anthology", slug="anthology")
    two.tags.add(tag)
    two.excerpt = "A researcher swallows the wrong pill."
    follower("both@example.test", "site", f"series:{series.pk}", f"tag:{tag.pk}")
    follower("series@example.test", f"series:{series.pk}")
    other_tag = factories.TagFactory(name="Solaris", slug="solaris")
    follower("other@example.test", f"tag:{other_tag.pk}")
    follower("weekly@example.test", "site", frequency=Subscriber.Frequency.WEEKLY)
    follow_form("unconfirmed@example.test", "site")
    run_tasks()
    smtp_server.messages.clear()

    publish(two, django_capture_on_commit_callbacks)

    # The request only queued the fan-out task.
    assert smtp_server.messages == []
    assert not OutgoingEmail.objects.filter(key__startswith="follow:").exists()
    run_tasks()

    assert sorted(str(m["To"]) for m in smtp_server.messages) == [
        "both@example.test",
        "series@example.test",
    ]
    message = smtp_server.to("both@example.test")[0]
    text = smtp_server.text_of(message)
    assert message["Subject"] == "New: Memories Part 2: Stink Bomb"
    assert "Part 2 of 3 of Memories" in text
    assert "A researcher swallows the wrong pill." in text
    assert f"Read it: http://127.0.0.1:8000{two.get_absolute_url()}" in text
    assert (
        str(message["List-Unsubscribe"])
        .strip()
        .startswith("<http://127.0.0.1:8000/follow/unsubscribe/")
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    both = Subscriber.objects.get(email="both@example.test")
    assert message["Message-ID"] == f"<follow.{two.pk}.{both.pk}@127.0.0.1>"


def test_a_post_published_again_is_not_announced_twice(
    memories, follower, smtp_server, run_tasks, django_capture_on_commit_callbacks
):
    series, _one, two = memories
    follower("reader@example.test", "site")
    run_tasks()
    smtp_server.messages.clear()
    publish(two, django_capture_on_commit_callbacks)
    run_tasks()
    two.status = Post.Status.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        save_post(two)
    publish(two, django_capture_on_commit_callbacks)
    run_tasks()

    assert len(smtp_server.messages) == 1
    assert FanOut.objects.get(post=two).queued == 1


def test_a_scheduled_post_notifies_when_its_time_comes(
    memories, follower, smtp_server, run_tasks, django_capture_on_commit_callbacks
):
    import time

    _series, _one, two = memories
    follower("reader@example.test", "site")
    run_tasks()
    smtp_server.messages.clear()
    publish(
        two,
        django_capture_on_commit_callbacks,
        when=timezone.now() + timedelta(seconds=1),
    )
    run_tasks()
    assert smtp_server.messages == []

    time.sleep(1.1)
    run_tasks()

    [message] = smtp_server.messages
    assert message["Subject"] == "New: Memories Part 2: Stink Bomb"


def test_pages_do_not_notify_anyone(
    follower, post_factory, writer, run_tasks, smtp_server
):
    follower("reader@example.test", "site")
    run_tasks()
    smtp_server.messages.clear()
    post_factory(author=writer, kind=Post.Kind.PAGE, slug="colophon")
    run_tasks()
    assert smtp_server.messages == []
    assert FanOut.objects.count() == 0


def test_fan_out_goes_in_chunks_and_each_key_is_queued_once(
    memories,
    follower,
    settings,
    run_tasks,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    settings.AFTERWORD_FOLLOW_CHUNK = 2
    _series, _one, two = memories
    for n in range(5):
        follower(f"r{n}@example.test", "site")
    run_tasks()
    smtp_server.messages.clear()
    publish(two, django_capture_on_commit_callbacks)

    assert fanout.queue_chunk(two.pk) is True
    assert (
        OutgoingEmail.objects.filter(key__startswith=f"follow:{two.pk}:").count() == 2
    )
    run_tasks()

    keys = list(
        OutgoingEmail.objects.filter(key__startswith=f"follow:{two.pk}:").values_list(
            "key", flat=True
        )
    )
    assert len(keys) == len(set(keys)) == 5
    assert sorted(str(m["To"]) for m in smtp_server.messages) == [
        f"r{n}@example.test" for n in range(5)
    ]


def test_watchdog_resends_an_email_whose_worker_died_mid_send(
    memories,
    follower,
    settings,
    run_tasks,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    """A worker killed after claiming an email leaves it ``sending``: the
    watchdog puts it back once it is older than the stale limit."""
    settings.AFTERWORD_FOLLOW_STALE_AFTER = 0
    _series, _one, two = memories
    follower("reader@example.test", "site")
    run_tasks()
    smtp_server.messages.clear()
    publish(two, django_capture_on_commit_callbacks)
    fanout.queue_chunk(two.pk)
    email = OutgoingEmail.objects.get(key__startswith=f"follow:{two.pk}:")
    # The state a SIGKILL between claim and send leaves behind.
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENDING,
        claimed_at=timezone.now() - timedelta(minutes=1),
    )
    run_tasks()
    assert smtp_server.messages == []

    assert tasks.watch_fan_out.call(two.pk) is True
    run_tasks()

    [message] = smtp_server.messages
    assert str(message["To"]) == "reader@example.test"
    assert tasks.watch_fan_out.call(two.pk) is False
    assert FanOut.objects.get(post=two).finished_at is not None


def test_weekly_digest_collects_the_weeks_posts_and_schedules_the_next_run(
    memories, follower, post_factory, writer, smtp_server, run_tasks
):
    series, one, _two = memories
    subscriber = follower(
        "weekly@example.test",
        f"series:{series.pk}",
        frequency=Subscriber.Frequency.WEEKLY,
    )
    post_factory(author=writer, title="Unrelated", slug="unrelated")
    run_tasks()
    smtp_server.messages.clear()

    assert DigestRun.objects.count() == 1
    assert tasks.send_weekly_digest.call() == 1
    run_tasks()

    [message] = smtp_server.messages
    text = smtp_server.text_of(message)
    assert message["Subject"] == "This week on Afterword: 1 new post"
    assert "Magnetic Rose" in text
    assert "Unrelated" not in text
    run = DigestRun.objects.get()
    assert run.next_run_at > timezone.now()
    assert run.next_run_at == digest.next_slot(timezone.now())
    subscriber.refresh_from_db()
    assert subscriber.last_digest_at is not None
    # Nothing new since: the next digest is skipped, not sent empty.
    assert digest.send_digests() == 0


def test_digest_slot_is_the_configured_weekday_and_hour(settings):
    settings.AFTERWORD_DIGEST_WEEKDAY = 0
    settings.AFTERWORD_DIGEST_HOUR = 8
    wednesday = timezone.make_aware(timezone.datetime(2026, 11, 25, 12, 0))
    assert digest.next_slot(wednesday) == timezone.make_aware(
        timezone.datetime(2026, 11, 30, 8, 0)
    )
