"""The outbox sends through a real SMTP server on loopback, once, with retries."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from afterword.outbox import services, tasks
from afterword.outbox.delivery import message_id_for
from afterword.outbox.models import OutgoingEmail

# The task worker calls close_old_connections(), which on PostgreSQL closes a
# connection that sits inside a test's transaction: tests that run it use
# real transactions.


def queue(key="greeting:1", **kwargs):
    values = {
        "to": "reader@example.test",
        "subject": "Hello there",
        "text": "Plain words.\nhttp://127.0.0.1:8000/a/link/",
        "html": "<p>Plain words.</p>",
    }
    values.update(kwargs)
    return services.queue_email(key, **values)


@pytest.mark.django_db(transaction=True)
def test_queue_email_sends_nothing_until_the_worker_runs(smtp_server, run_tasks):
    email = queue()

    assert email.status == OutgoingEmail.Status.PENDING
    assert smtp_server.messages == []

    run_tasks()

    [message] = smtp_server.messages
    assert message["To"] == "reader@example.test"
    assert message["Subject"] == "Hello there"
    assert smtp_server.text_of(message).strip().startswith("Plain words.")
    assert message.get_body(preferencelist=("html",)).get_content().strip() == (
        "<p>Plain words.</p>"
    )
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 1
    assert email.sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_unsubscribe_url_adds_one_click_headers(smtp_server, run_tasks):
    queue(
        unsubscribe_url="http://127.0.0.1:8000/unsubscribe/abc/",
        headers={"X-Kind": "t"},
    )
    run_tasks()

    [message] = smtp_server.messages
    assert message["List-Unsubscribe"] == "<http://127.0.0.1:8000/unsubscribe/abc/>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["X-Kind"] == "t"


@pytest.mark.django_db(transaction=True)
def test_queueing_the_same_key_twice_creates_one_email(smtp_server, run_tasks):
    first = queue("reply:7:reader@example.test")
    second = queue("reply:7:reader@example.test", subject="A different subject")

    assert first.pk == second.pk
    assert OutgoingEmail.objects.count() == 1
    run_tasks()
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["Subject"] == "Hello there"


@pytest.mark.django_db(transaction=True)
def test_an_email_is_never_delivered_twice(smtp_server):
    email = queue()

    assert tasks.deliver_now(email.pk) is True
    assert tasks.deliver_now(email.pk) is False
    assert tasks.deliver_pending() == 0
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_smtp_failure_is_retried_later_and_then_succeeds(
    smtp_server, run_tasks, settings
):
    settings.AFTERWORD_OUTBOX_RETRY_DELAYS = [0, 0]
    smtp_server.fail_next(1)
    email = queue()

    run_tasks()
    run_tasks()

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 2
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_failed_delivery_waits_for_its_retry_time(smtp_server, settings):
    settings.AFTERWORD_OUTBOX_RETRY_DELAYS = [3600]
    smtp_server.fail_next(1)
    email = queue()

    assert tasks.deliver_now(email.pk) is False
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING
    assert "451" in email.last_error
    # Not due yet: neither the task nor the sweep may send it early.
    assert tasks.deliver_now(email.pk) is False
    assert tasks.deliver_pending() == 0
    assert smtp_server.messages == []


@pytest.mark.django_db(transaction=True)
def test_delivery_gives_up_after_the_last_retry(smtp_server, settings):
    settings.AFTERWORD_OUTBOX_RETRY_DELAYS = [0]
    smtp_server.stop()  # connection refused from now on
    email = queue()

    tasks.deliver_now(email.pk)
    tasks.deliver_now(email.pk)

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == 2
    assert "refused" in email.last_error.lower()
    assert services.retry([email.pk]) == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING


@pytest.mark.django_db(transaction=True)
def test_newlines_in_a_subject_cannot_add_headers(smtp_server, run_tasks):
    queue(subject="Hi\r\nBcc: victim@example.test")
    run_tasks()

    [message] = smtp_server.messages
    assert message["Subject"] == "Hi Bcc: victim@example.test"
    assert message["Bcc"] is None


@pytest.mark.django_db(transaction=True)
def test_an_email_that_breaks_before_sending_goes_back_to_pending_with_its_error(
    smtp_server, run_tasks
):
    """Not an SMTP error: Django refuses to build the message (a header with a
    newline, as a caller's bug would write). The row must not stay
    ``sending``: it waits for its retry, with the error, and a task is
    scheduled for that time."""
    email = queue(headers={"X-Note": "first line\nsecond line"})

    run_tasks()

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING
    assert email.attempts == 1
    assert email.last_error.startswith("BadHeaderError")
    assert email.next_attempt_at > timezone.now() + timedelta(seconds=50)
    retry = DBTaskResult.objects.filter(
        task_path="afterword.outbox.tasks.send_email",
        status=TaskResultStatus.READY,
    ).get()
    assert retry.args_kwargs["args"] == [email.pk]
    assert retry.run_after == email.next_attempt_at
    assert smtp_server.messages == []


@pytest.mark.django_db(transaction=True)
def test_an_email_that_keeps_breaking_fails_after_its_retries_and_is_never_sent(
    smtp_server, run_tasks, settings
):
    settings.AFTERWORD_OUTBOX_RETRY_DELAYS = [0, 0]
    email = queue(headers={"X-Note": "first line\nsecond line"})

    run_tasks()  # the first attempt, then both retries, due at once

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == 3
    assert "BadHeaderError" in email.last_error
    assert smtp_server.messages == []
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


@pytest.mark.django_db(transaction=True)
def test_each_email_carries_a_message_id_fixed_by_its_key(
    smtp_server, run_tasks, settings
):
    settings.AFTERWORD_OUTBOX_RETRY_DELAYS = [0]
    smtp_server.fail_next(1)
    first = queue("notice:1")
    second = queue("notice:2", to="other@example.test")

    run_tasks()

    received = {str(m["To"]): m["Message-ID"] for m in smtp_server.messages}
    assert received == {
        "reader@example.test": message_id_for("notice:1"),
        "other@example.test": message_id_for("notice:2"),
    }
    # One of the two was refused once and sent on its retry: same id.
    assert sorted(e.attempts for e in OutgoingEmail.objects.all()) == [1, 2]
    assert message_id_for(first.key) != message_id_for(second.key)
    assert message_id_for("notice:1").endswith("@127.0.0.1>")


@pytest.mark.django_db(transaction=True)
def test_a_callers_own_message_id_is_kept(smtp_server, run_tasks):
    queue(headers={"Message-ID": "<digest.7@example.test>"})
    run_tasks()
    [message] = smtp_server.messages
    assert message["Message-ID"] == "<digest.7@example.test>"
