"""What people do on the desk and in the admin reaches a receiver on loopback:
each event once, signed, and nothing about posts readers cannot see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from afterword.discussion.models import Comment
from afterword.posts.models import Post
from afterword.webhooks import signing
from afterword.webhooks.models import Event, WebhookDelivery
from tests.discussion.conftest import guest_data

# The task worker closes connections, which a test's transaction would not
# survive on PostgreSQL: these tests use real transactions.
pytestmark = pytest.mark.django_db(transaction=True)


def editor_form(**extra) -> dict:
    data = {
        "title": "Notes on Stalker",
        "body": "## The zone\n\nA room that grants wishes.",
        "slug": "",
        "excerpt": "",
        "visibility": "public",
        "comments_open": "on",
        "intent": "publish",
    }
    data.update(extra)
    return data


def publish_in_the_desk(client, **extra) -> Post:
    response = client.post(reverse("desk:new_post"), editor_form(**extra))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Post.objects.latest("pk")


def edit_in_the_desk(client, post: Post, **extra) -> None:
    revision = post.revisions.order_by("-created_at", "-id").first()
    data = editor_form(slug=post.slug, base_revision=str(revision.pk), **extra)
    response = client.post(reverse("desk:edit_post", args=[post.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def desk(client, writer):
    client.force_login(writer)
    return client


def test_publishing_in_the_desk_posts_post_published_once_and_signed(
    desk, make_webhook, receiver, run_tasks
):
    hook = make_webhook()
    post = publish_in_the_desk(desk)

    assert receiver.requests == []  # never inside the request
    run_tasks()
    run_tasks()

    [request] = receiver.requests
    payload = receiver.payloads()[0]
    assert request.method == "POST"
    assert request.headers["Afterword-Event"] == "post.published"
    assert request.headers["Afterword-Delivery"] == payload["id"]
    assert request.headers["Content-Type"].startswith("application/json")
    assert signing.verify(
        hook.secret, request.headers["Afterword-Signature"], request.body
    )
    assert payload["event"] == "post.published"
    assert payload["site"] == "http://127.0.0.1:8000"
    assert payload["data"]["post"] == {
        "id": post.pk,
        "kind": "post",
        "title": "Notes on Stalker",
        "url": "http://127.0.0.1:8000" + post.get_absolute_url(),
        "status": "published",
        "published_at": post.published_at.isoformat().replace("+00:00", "Z"),
        "author": post.author.public_name,
    }
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (
        "delivered",
        1,
        200,
    )


def test_editing_then_unpublishing_a_post_sends_updated_then_deleted(
    desk, make_webhook, receiver, run_tasks
):
    make_webhook()
    post = publish_in_the_desk(desk)
    run_tasks()
    edit_in_the_desk(desk, post, title="Notes on Stalker, again")
    run_tasks()
    post.refresh_from_db()
    edit_in_the_desk(desk, post, intent="unpublish", title="Notes on Stalker, again")
    run_tasks()

    assert receiver.events() == ["post.published", "post.updated", "post.deleted"]
    published, updated, gone = receiver.payloads()
    assert updated["data"]["post"]["title"] == "Notes on Stalker, again"
    assert gone["data"] == {
        "post": {"id": post.pk, "kind": "post", "status": "unpublished"}
    }
    assert len({published["id"], updated["id"], gone["id"]}) == 3


def test_deleting_a_published_post_in_the_admin_sends_post_deleted(
    desk, make_webhook, receiver, run_tasks
):
    make_webhook()
    post = publish_in_the_desk(desk)
    run_tasks()

    response = desk.post(
        reverse("admin:posts_post_delete", args=[post.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Post.objects.filter(pk=post.pk).exists()
    run_tasks()

    assert receiver.events() == ["post.published", "post.deleted"]
    assert receiver.payloads()[1]["data"]["post"] == {
        "id": post.pk,
        "kind": "post",
        "status": "deleted",
    }


def test_a_webhook_hears_only_the_events_it_chose(
    desk, make_webhook, receiver, run_tasks
):
    make_webhook(events=[Event.POST_UPDATED])
    post = publish_in_the_desk(desk)
    run_tasks()
    assert receiver.events() == []

    edit_in_the_desk(desk, post, body="A room that grants wishes, or not.")
    run_tasks()
    assert receiver.events() == ["post.updated"]


@pytest.mark.parametrize(
    "visibility",
    [
        {"visibility": "private"},
        {"visibility": "password", "password": "zone"},
        {"visibility": "unlisted"},
    ],
)
def test_posts_readers_cannot_all_see_send_nothing(
    desk, make_webhook, receiver, run_tasks, visibility
):
    make_webhook()
    post = publish_in_the_desk(
        desk, body="Secret words nobody else reads.", **visibility
    )
    assert post.is_live()
    edit_in_the_desk(desk, post, body="Secret words, edited.", **visibility)
    desk.post(reverse("admin:posts_post_delete", args=[post.pk]), {"post": "yes"})
    assert not Post.objects.filter(pk=post.pk).exists()
    run_tasks()

    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_a_public_post_made_private_is_named_by_its_id_only(
    desk, make_webhook, receiver, run_tasks
):
    make_webhook()
    post = publish_in_the_desk(desk)
    edit_in_the_desk(desk, post, visibility="private", title="A private title")
    run_tasks()

    assert receiver.events() == ["post.published", "post.deleted"]
    gone = receiver.requests[1].body.decode()
    assert "A private title" not in gone and "grants wishes" not in gone


def test_a_held_comment_then_its_approval_reach_the_receiver(
    client, writer, make_webhook, receiver, run_tasks
):
    make_webhook(events=[Event.COMMENT_HELD, Event.COMMENT_APPROVED])
    client.force_login(writer)
    post = publish_in_the_desk(client)
    client.logout()

    response = client.post(
        reverse("discussion:post", args=[post.pk]),
        guest_data(post, body="Was the *room* ever real?"),
    )
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    run_tasks()
    assert receiver.events() == ["comment.held"]

    client.force_login(writer)
    response = client.post(
        reverse("desk:comment_act", args=[comment.pk]), {"action": "approve"}
    )
    assert response.status_code < 400
    run_tasks()

    assert receiver.events() == ["comment.held", "comment.approved"]
    held, approved = receiver.payloads()
    assert held["data"]["comment"] == {
        "id": comment.pk,
        "status": "held",
        "author_name": "Mima Fan",
        "excerpt": "Was the room ever real?",
        "created_at": comment.created_at.isoformat().replace("+00:00", "Z"),
        "url": None,
    }
    assert held["data"]["post"]["id"] == post.pk
    assert approved["data"]["comment"]["status"] == "approved"
    assert approved["data"]["comment"]["url"].endswith(f"#comment-{comment.pk}")
    # The commenter's address never leaves the site.
    assert all(b"mima@example.test" not in r.body for r in receiver.requests)
