"""A comment's spoilers stay on the site: emails and comment feeds get a notice.

Emails are delivered to the loopback SMTP server by the real task worker;
feeds are read with feedparser.
"""

from __future__ import annotations

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from afterword.discussion.models import Comment, CommentSubscription

from .conftest import approved

SPOILED = (
    "I did not see that coming.\n\n"
    "> ::: spoiler The twist of Perfect Blue\n"
    "> Her manager was the stalker all along.\n"
    "> :::\n\n"
    "Watch it twice."
)
SECRET = "manager was the stalker"
NOTICE = "Spoiler (The twist of Perfect Blue) hidden: read it on the site"
SITE = "http://127.0.0.1:8000"


def readable(message) -> str:
    """Everything a mail client could show: every text part, decoded."""
    return "\n".join(
        part.get_content()
        for part in message.walk()
        if part.get_content_maintype() == "text"
    )


@pytest.mark.django_db(transaction=True)  # the worker needs real transactions
def test_comment_emails_carry_no_spoiler_text_but_say_where_to_read_it(
    post, submit, client, smtp_server, run_tasks
):
    parent = approved(post, author_email="guest@example.test", notify_replies=True)
    CommentSubscription.objects.create(
        post=post, email="follower@example.test", confirmed_at=timezone.now()
    )

    submit(post, parent=str(parent.pk), body=SPOILED, email="new@example.test")
    run_tasks()

    # The author is asked to moderate: the notice leads to the approval page,
    # which shows the whole comment, spoiler included, before anything is done.
    [held] = smtp_server.to("writer@example.test")
    text = smtp_server.text_of(held)
    assert SECRET not in readable(held)
    assert "I did not see that coming." in text
    assert "Watch it twice." in text
    approve = next(line for line in text.splitlines() if line.startswith("Approve it:"))
    approve_url = approve.split(": ", 1)[1]
    assert f"> [{NOTICE}: {approve_url}]" in text
    page = client.get(approve_url.removeprefix(SITE)).content.decode()
    assert '<details class="spoiler">' in page
    assert SECRET in page

    client.post(approve_url.removeprefix(SITE))
    run_tasks()

    comment = Comment.objects.get(body=SPOILED)
    assert comment.status == Comment.Status.APPROVED
    comment_url = SITE + comment.get_absolute_url()
    [reply] = smtp_server.to("guest@example.test")
    [new] = smtp_server.to("follower@example.test")
    for message in (reply, new):
        text = smtp_server.text_of(message)
        assert SECRET not in readable(message)
        assert f"> [{NOTICE}: {comment_url}]" in text
        assert "Watch it twice." in text


@pytest.mark.parametrize(
    ("name", "for_post"),
    [
        ("discussion:feed-rss", False),
        ("discussion:feed-atom", False),
        ("discussion:post-feed-rss", True),
        ("discussion:post-feed-atom", True),
    ],
)
def test_comment_feeds_carry_no_spoiler_text_but_link_to_the_comment(
    client, post, name, for_post
):
    comment = approved(post, body=SPOILED)
    plain = approved(post, body="No secrets here, just *praise*.")
    url = reverse(name, kwargs={"post_id": post.pk} if for_post else {})

    response = client.get(url)

    assert response.status_code == 200
    assert SECRET not in response.content.decode()
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    # Django's feeds make item links absolute with the request's host.
    entries = {entry.link.split("#")[1]: entry for entry in feed.entries}
    spoiled = entries[f"comment-{comment.pk}"].summary
    link = f'<a href="{SITE}{comment.get_absolute_url()}" rel="nofollow ugc noopener">'
    assert f"<blockquote>\n<p>{link}{NOTICE}</a>.</p>\n</blockquote>" in spoiled
    assert "Watch it twice." in spoiled
    # A comment without spoilers goes out exactly as it is shown on the site.
    assert entries[f"comment-{plain.pk}"].summary == plain.body_html.strip()
