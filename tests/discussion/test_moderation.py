"""The moderation queue, the services behind it, and notification emails."""

import pytest
from django.urls import reverse

from afterword.discussion import actions as services
from afterword.discussion import links
from afterword.discussion.models import Comment, CommentSubscription
from afterword.outbox.models import OutgoingEmail
from tests.support.changes import heard_changes

from .conftest import approved


@pytest.mark.django_db(transaction=True)  # the worker needs real transactions
def test_writer_is_emailed_about_a_held_comment_with_working_approve_link(
    post, submit, client, smtp_server, run_tasks
):
    submit(post)
    run_tasks()

    [message] = smtp_server.to("writer@example.test")
    assert (
        message["Subject"].strip()
        == "[Afterword] Please moderate: “Perfect Blue, revisited”"
    )
    text = smtp_server.text_of(message)
    assert "The ending still *gets* me." in text
    approve_link = [
        line.split(": ", 1)[1]
        for line in text.splitlines()
        if line.startswith("Approve it:")
    ][0]
    path = approve_link.replace("http://127.0.0.1:8000", "")

    confirm_page = client.get(path)
    assert confirm_page.status_code == 200
    assert "Approve this comment" in confirm_page.content.decode()
    assert Comment.objects.get().status == Comment.Status.PENDING  # GET changes nothing

    done = client.post(path)
    assert "approved and visible" in done.content.decode()
    assert Comment.objects.get().status == Comment.Status.APPROVED


def test_forged_email_link_is_refused(client, db):
    response = client.get(reverse("discussion:email-action", kwargs={"token": "nope"}))

    assert response.status_code == 400
    assert "not valid" in response.content.decode()


@pytest.mark.django_db(transaction=True)  # the worker needs real transactions
def test_reply_email_reaches_a_guest_who_opted_in_and_unsubscribe_works(
    post, writer, client, smtp_server, run_tasks
):
    parent = approved(post, author_email="guest@example.test", notify_replies=True)

    services.reply(parent, writer, "Thanks for reading!")
    services.reply(parent, writer, "Another thought.")
    run_tasks()

    messages = smtp_server.to("guest@example.test")
    assert len(messages) == 2
    message = messages[0]
    assert "Writer replied to you" in message["Subject"]
    assert "Thanks for reading!" in smtp_server.text_of(message)
    unsubscribe = message["List-Unsubscribe"].strip().strip("<>")
    assert message["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    path = unsubscribe.replace("http://127.0.0.1:8000", "")

    # RFC 8058 one-click: the mail client POSTs, no page in between.
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    parent.refresh_from_db()
    assert parent.notify_replies is False

    services.reply(parent, writer, "A third, unheard.")
    run_tasks()
    assert len(smtp_server.to("guest@example.test")) == 2


@pytest.mark.django_db(transaction=True)  # the worker needs real transactions
def test_no_reply_email_without_opt_in(post, writer, smtp_server, run_tasks):
    parent = approved(post, author_email="quiet@example.test", notify_replies=False)

    services.reply(parent, writer, "Hello.")
    run_tasks()

    assert smtp_server.to("quiet@example.test") == []


@pytest.mark.django_db(transaction=True)  # the worker needs real transactions
def test_held_reply_notifies_only_once_it_is_approved(
    post, submit, smtp_server, run_tasks
):
    parent = approved(post, author_email="guest@example.test", notify_replies=True)

    submit(post, parent=str(parent.pk), body="Held reply.", email="new@example.test")
    run_tasks()
    assert smtp_server.to("guest@example.test") == []

    reply = Comment.objects.get(body="Held reply.")
    assert services.approve(reply) is True
    assert services.approve(reply) is False
    run_tasks()
    assert len(smtp_server.to("guest@example.test")) == 1


@pytest.mark.django_db(transaction=True)  # the worker needs real transactions
def test_subscription_needs_confirmation_then_delivers_new_comments(
    post, submit, client, smtp_server, run_tasks, writer
):
    submit(post, subscribe="1")
    run_tasks()
    [confirm] = smtp_server.to("mima@example.test")
    link = [u for u in smtp_server.links_in(confirm) if "/comments/email/" in u][0]
    subscription = CommentSubscription.objects.get()
    assert subscription.confirmed_at is None

    approved_comment = approved(
        post, body="Before confirming.", author_email="x@example.test"
    )
    services.approve(approved_comment)
    client.post(link.replace("http://127.0.0.1:8000", ""))
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    parent = approved(post, body="Parent.")
    services.reply(parent, writer, "After confirming.")
    run_tasks()
    messages = smtp_server.to("mima@example.test")
    assert len(messages) == 2
    assert "After confirming." in smtp_server.text_of(messages[1])

    stop = messages[1]["List-Unsubscribe"].strip().strip("<>")
    page = client.get(stop.replace("http://127.0.0.1:8000", ""))
    assert "Stop emails about new comments on this post" in page.content.decode()
    client.post(stop.replace("http://127.0.0.1:8000", ""))
    assert not CommentSubscription.objects.exists()
    services.reply(parent, writer, "Nobody hears this.")
    run_tasks()
    assert len(smtp_server.to("mima@example.test")) == 2


def test_only_changes_readers_can_see_are_announced(
    post, django_capture_on_commit_callbacks
):
    comment = approved(post, body="x", status=Comment.Status.PENDING)
    with heard_changes() as heard:
        with django_capture_on_commit_callbacks(execute=True):
            services.approve(comment)
        with django_capture_on_commit_callbacks(execute=True):
            services.mark_spam(comment)
        with django_capture_on_commit_callbacks(execute=True):
            services.trash(comment)  # spam -> trash: readers see no change

    assert [changes.pks(Comment) for changes in heard] == [
        {comment.pk},
        {comment.pk},
    ]


def test_approving_a_comment_shows_it_to_everyone_at_once(
    post, client, django_capture_on_commit_callbacks, settings
):
    settings.AFTERWORD_PAGE_CACHE = True
    comment = approved(post, body="Waiting words.", status=Comment.Status.PENDING)
    assert "Waiting words." not in client.get(post.get_absolute_url()).content.decode()

    # The page cache is purged once the change is committed.
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(comment)

    assert "Waiting words." in client.get(post.get_absolute_url()).content.decode()


def test_admin_queue_lists_counts_and_bulk_approves(post, writer, client):
    held = [
        approved(post, body=f"Held {n}", status=Comment.Status.PENDING)
        for n in range(2)
    ]
    approved(post, body="Spam", status=Comment.Status.SPAM)
    client.force_login(writer)
    url = reverse("admin:discussion_comment_changelist")

    page = client.get(url, {"status": "pending"}).content.decode()
    assert "Awaiting moderation (2)" in page
    assert "Spam (1)" in page
    assert "Held 0" in page and "Held 1" in page

    response = client.post(
        url,
        {"action": "approve_selected", "_selected_action": [c.pk for c in held]},
        follow=True,
    )
    assert "2 comment(s) approved" in response.content.decode()
    assert Comment.objects.filter(status=Comment.Status.APPROVED).count() == 2


def test_admin_reply_publishes_an_answer_and_approves_the_parent(post, writer, client):
    held = approved(post, body="Question?", status=Comment.Status.PENDING)
    client.force_login(writer)

    client.post(
        reverse("admin:discussion_comment_change", args=[held.pk]),
        {"body": "Question?", "reply": "Answer."},
    )

    held.refresh_from_db()
    assert held.status == Comment.Status.APPROVED
    answer = Comment.objects.get(body="Answer.")
    assert answer.parent_id == held.pk
    assert answer.is_post_author is True
    assert answer.status == Comment.Status.APPROVED


@pytest.mark.django_db
def test_email_for_a_comment_is_queued_once(post, writer):
    comment = approved(post, author_email="g@example.test", notify_replies=True)
    reply = services.reply(comment, writer, "Once.")

    from afterword.discussion import notifications

    notifications.comment_published(reply)
    assert OutgoingEmail.objects.filter(key=f"comment-reply:{reply.pk}").count() == 1
    assert links.read(links.make("approve", 5).rsplit("/", 2)[-2]) == ("approve", 5)
