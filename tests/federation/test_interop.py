"""Interop with Fedify, an ActivityPub implementation we did not write.

A Fedify 1.5 server (tests/node/fedify-peer.mjs) runs on loopback with one
account, Rin Reader, and talks to the live site over real HTTP: every
activity either side receives is signed by the other and verified by the
receiver (Fedify fetches the site's actor for its key, the site fetches
Rin's). Issue 13, must-show 1, in the order a reader lives it: follow, see
a review arrive, see its edit, reply, like and boost, get the writer's
answer, see a deletion, unfollow.
"""

from __future__ import annotations

import pytest

from afterword.discussion.actions import ApproveComment, CommentInput, PostComment
from afterword.discussion.models import Comment
from afterword.federation.models import Follower, Reaction
from afterword.posts import actions as post_actions

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, settings, author, post_factory):
    settings.SITE_URL = live_server.url
    settings.ALLOWED_HOSTS = ["*"]
    # Before anyone follows: the author is on the fediverse once published.
    post_factory(author=author, slug="first-review", title="Memories")
    return live_server.url


def test_a_fediverse_reader_follows_reads_replies_and_leaves(
    site,
    fedify_peer,
    author,
    post_factory,
    run_tasks,
):
    peer = fedify_peer
    actor = f"{site}/author/ada/"

    # The reader looks the writer up and follows; the site checks Fedify's
    # signature, records the follower and answers with a signed Accept.
    status, found = peer.lookup(actor)
    assert status == 200, found
    assert found["preferredUsername"] == "ada"
    peer.follow(actor)
    follower = Follower.objects.get()
    assert follower.remote.uri == peer.actor
    assert follower.state == Follower.State.ACCEPTED
    run_tasks()
    accept = peer.wait_for(lambda a: a["type"] == "Accept")
    assert accept["actor"] == actor

    # A new review reaches the reader as Create(Article), spoilers behind a
    # content warning.
    post = post_factory(
        author=author,
        slug="stink-bomb",
        title="Stink Bomb",
        body="Funny.\n\n::: spoiler How it ends\nBadly.\n:::\n\n![Nobuo](/media/n.png)",
    )
    run_tasks()
    create = peer.wait_for(
        lambda a: a["type"] == "Create" and (a.get("detail") or {}).get("name")
    )
    article = create["detail"]
    assert article["type"] == "Article"
    assert article["name"] == "Stink Bomb"
    assert article["sensitive"] is True
    assert article["summary"].startswith("Spoilers")
    assert article["url"] == f"{site}{post.get_absolute_url()}"
    assert article["attachments"][0]["name"] == "Nobuo"
    object_id = article["id"]

    # The edit arrives as an Update.
    post.title = "Stink Bomb, revisited"
    post_actions.save_post(post)
    run_tasks()
    update = peer.wait_for(lambda a: a["type"] == "Update")
    assert update["detail"]["name"] == "Stink Bomb, revisited"

    # The reader replies: a held comment, approved by the writer.
    reply = peer.reply(object_id, "<p>The cannon scene!</p>", [actor])
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.author_name == "Rin Reader"
    assert comment.author_handle.startswith("@reader@127.0.0.1")
    ApproveComment(comment).run()
    page = peer_page(site, post)
    assert "The cannon scene!" in page

    # The writer's answer on the blog reaches the reader's server.
    PostComment(
        post, CommentInput(body="Right?", parent_id=comment.pk), user=author
    ).run()
    run_tasks()
    answer = peer.wait_for(
        lambda a: (
            a["type"] == "Create"
            and (a.get("detail") or {}).get("inReplyTo") == reply["id"]
        )
    )
    assert "Right?" in answer["detail"]["content"]

    # Likes and boosts are counted; their Undo uncounts them.
    like = peer.like(object_id, [actor])
    peer.announce(object_id, [actor])
    assert sorted(Reaction.objects.values_list("kind", flat=True)) == [
        "announce",
        "like",
    ]
    peer.undo(like)
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["announce"]

    # The reader edits and deletes the reply.
    peer.update_reply(reply["id"], "<p>The cannon scene, twice!</p>")
    assert Comment.objects.get(pk=comment.pk).body == "The cannon scene, twice!"

    # Deleting the post sends Delete; the id then answers with a Tombstone.
    post_actions.delete_post(post)
    run_tasks()
    deleted = peer.wait_for(lambda a: a["type"] == "Delete")
    assert (deleted["object"] or {}) and object_id in str(deleted["object"])
    status, _ = peer.lookup(object_id)
    assert status == 410

    # Unfollowing removes the follower.
    peer.unfollow(actor)
    assert not Follower.objects.exists()


def peer_page(site: str, post) -> str:
    import urllib.request

    with urllib.request.urlopen(f"{site}{post.get_absolute_url()}") as answer:
        return answer.read().decode()


def test_the_blog_itself_can_be_followed_and_boosts_new_posts(
    site,
    fedify_peer,
    author,
    post_factory,
    run_tasks,
):
    peer = fedify_peer
    peer.follow(f"{site}/")
    run_tasks()
    peer.wait_for(lambda a: a["type"] == "Accept")
    post = post_factory(author=author, slug="anthology", title="Anthology")
    run_tasks()
    boost = peer.wait_for(lambda a: a["type"] == "Announce")
    assert boost["actor"] == f"{site}/"
    assert str(post.pk) in str(boost["object"])


def test_a_forged_activity_is_refused_by_the_site(
    site,
    fedify_peer,
    author,
    client,
):
    """Fedify signs as Rin; the same body with a changed byte is refused."""
    import json
    import urllib.error
    import urllib.request

    peer = fedify_peer
    actor = f"{site}/author/ada/"
    peer.follow(actor)
    assert Follower.objects.count() == 1
    body = json.dumps(
        {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": f"{peer.url}/activities/forged",
            "type": "Undo",
            "actor": peer.actor,
            "object": {"type": "Follow", "actor": peer.actor, "object": actor},
        }
    ).encode()
    request = urllib.request.Request(
        f"{site}/ap/inbox",
        data=body,
        headers={"Content-Type": "application/activity+json"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 401
    assert Follower.objects.count() == 1
