"""The desk's Fediverse screen, used as a writer and an administrator use it."""

from __future__ import annotations

from afterword.federation.actors import author_actor
from afterword.federation.models import Block, Follower, Reaction, RemoteActor
from tests import factories


def a_follower(actor, name="rin", state=Follower.State.ACCEPTED):
    remote = RemoteActor.objects.create(
        uri=f"https://example.social/users/{name}",
        inbox=f"https://example.social/users/{name}/inbox",
        domain="example.social",
        username=name,
        name=name.title(),
    )
    return Follower.objects.create(
        actor=actor, remote=remote, state=state, follow_id=f"{remote.uri}#follow"
    )


def test_an_author_sees_and_manages_their_followers(client, post_factory):
    author = factories.writer("author", "ada")
    post = post_factory(author=author, slug="live")
    actor = author_actor(author)
    kept = a_follower(actor, "rin")
    waiting = a_follower(actor, "kai", Follower.State.PENDING)
    Reaction.objects.create(
        post=post, remote=kept.remote, kind="like", activity_id="https://x/1"
    )
    client.force_login(author)
    page = client.get("/desk/fediverse/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "@ada@testserver" in text
    assert "@rin@example.social" in text
    assert "Accept @kai@example.social" in text
    assert "liked" in text
    # Blocks are for administrators.
    assert "Blocked servers" not in text
    answer = client.post("/desk/fediverse/", {"do": "approve", "follower": waiting.pk})
    assert answer.status_code == 302
    assert Follower.objects.get(pk=waiting.pk).state == Follower.State.ACCEPTED
    client.post("/desk/fediverse/", {"do": "remove", "follower": kept.pk})
    assert not Follower.objects.filter(pk=kept.pk).exists()
    client.post(
        "/desk/fediverse/", {"do": "approval", "actor": actor.pk, "approve": "on"}
    )
    actor.refresh_from_db()
    assert actor.approve_followers


def test_an_author_cannot_touch_another_writers_followers(client, post_factory):
    ada = factories.writer("author", "ada")
    bea = factories.writer("author", "bea")
    post_factory(author=ada, slug="a")
    theirs = a_follower(author_actor(ada))
    client.force_login(bea)
    answer = client.post("/desk/fediverse/", {"do": "remove", "follower": theirs.pk})
    assert answer.status_code == 403
    assert Follower.objects.filter(pk=theirs.pk).exists()


def test_an_administrator_blocks_a_server(client, post_factory, writer):
    post_factory(author=writer, slug="a")
    a_follower(author_actor(writer))
    client.force_login(writer)
    bad = client.post(
        "/desk/fediverse/", {"do": "block", "kind": "domain", "value": "not a domain"}
    )
    assert bad.status_code == 400
    assert "Enter a server name" in bad.content.decode()
    assert 'value="not a domain"' in bad.content.decode()
    done = client.post(
        "/desk/fediverse/", {"do": "block", "kind": "domain", "value": "Example.Social"}
    )
    assert done.status_code == 302
    assert Block.objects.get().value == "example.social"
    assert not Follower.objects.exists()
    page = client.get("/desk/fediverse/").content.decode()
    assert "Unblock example.social" in page
    client.post("/desk/fediverse/", {"do": "unblock", "block": Block.objects.get().pk})
    assert not Block.objects.exists()
