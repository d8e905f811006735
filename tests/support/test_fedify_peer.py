"""The Fedify test peer works on its own: two peers talk, no Afterword involved.

If these fail, an interop test against Afterword cannot be trusted either way.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator

import pytest

from tests.support.fedify import FedifyPeer, FedifyPeerError, start_fedify_peers


@pytest.fixture(scope="module")
def peers() -> Iterator[tuple[FedifyPeer, FedifyPeer]]:
    a, b = start_fedify_peers(2)
    with a, b:
        yield a, b


@pytest.fixture
def pair(peers):
    a, b = peers
    a.reset()
    b.reset()
    return a, b


def test_follow_is_verified_and_accepted(pair):
    a, b = pair
    follow_id = a.follow(b.actor)

    follow = b.wait_for(lambda item: item["type"] == "Follow")
    assert follow["id"] == follow_id
    assert follow["actor"] == a.actor
    assert follow["object"] == b.actor
    assert 'algorithm="rsa-sha256"' in follow["signature"]
    accept = a.wait_for(lambda item: item["type"] == "Accept")
    assert accept["actor"] == b.actor
    assert accept["object"] == follow_id
    assert a.state()["following"][b.actor]["state"] == "accepted"
    assert b.state()["followers"] == [a.actor]

    a.unfollow(b.actor)
    undo = b.wait_for(lambda item: item["type"] == "Undo")
    assert undo["object"] == follow_id
    assert b.state()["followers"] == []


def test_reply_update_and_delete_reach_the_addressee(pair):
    a, b = pair
    target = f"{b.url}/posts/hello"
    photo = {
        "url": f"{a.url}/media/cat.png",
        "mediaType": "image/png",
        "name": "A cat asleep on a keyboard",
    }
    reply = a.reply(
        target,
        "<p>Lovely <em>post</em>.</p>",
        to=[b.actor],
        summary="cats",
        sensitive=True,
        attachments=[photo],
    )

    create = b.wait_for(lambda item: item["type"] == "Create")
    assert create["id"] == reply["activity"]
    detail = create["detail"]
    assert detail["id"] == reply["id"]
    assert detail["type"] == "Note"
    assert detail["content"] == "<p>Lovely <em>post</em>.</p>"
    assert detail["inReplyTo"] == target
    assert detail["attributedTo"] == a.actor
    assert detail["to"] == [b.actor]
    assert detail["cc"] == ["https://www.w3.org/ns/activitystreams#Public"]
    assert [tag["href"] for tag in detail["tags"]] == [b.actor]
    assert (detail["summary"], detail["sensitive"]) == ("cats", True)
    assert detail["attachments"] == [{"type": "Image", **photo}]
    # Fedify compacts the public collection to a CURIE, and lone values
    # are not wrapped in lists.
    assert create["raw"]["cc"] == "as:Public"

    # The note dereferences at its id, as servers check replies that way.
    status, note = b.lookup(reply["id"])
    assert status == 200
    assert note["content"] == "<p>Lovely <em>post</em>.</p>"
    request = urllib.request.Request(
        reply["id"], headers={"Accept": "application/activity+json"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.headers["Content-Type"].startswith("application/activity+json")

    a.update_reply(reply["id"], "<p>Lovely post, edited.</p>")
    update = b.wait_for(lambda item: item["type"] == "Update")
    assert update["detail"]["content"] == "<p>Lovely post, edited.</p>"
    assert update["detail"]["updated"]

    a.delete_reply(reply["id"])
    delete = b.wait_for(lambda item: item["type"] == "Delete")
    assert delete["object"] == reply["id"]
    assert b.lookup(reply["id"])[0] == 404


def test_like_announce_and_their_undo(pair):
    a, b = pair
    target = f"{b.url}/posts/hello"
    like_id = a.like(target, to=[b.actor])
    announce_id = a.announce(target, to=[b.actor], shared_inbox=True)

    like = b.wait_for(lambda item: item["type"] == "Like")
    assert (like["id"], like["object"]) == (like_id, target)
    assert like["recipient"] == "reader"  # its own inbox
    announce = b.wait_for(lambda item: item["type"] == "Announce")
    assert (announce["id"], announce["object"]) == (announce_id, target)
    assert announce["recipient"] is None  # the shared inbox

    a.undo(like_id)
    undo = b.wait_for(lambda item: item["type"] == "Undo")
    assert undo["object"] == like_id
    assert undo["json"]["object"]["type"] == "Like"


def test_lookup_uses_a_signed_get_and_returns_the_key(pair):
    a, b = pair
    status, actor = a.lookup(b.actor)
    assert status == 200
    assert actor["id"] == b.actor
    assert actor["type"] == "Person"
    assert actor["name"] == "Rin Reader"
    assert actor["publicKey"]["id"] == f"{b.actor}#main-key"
    assert "BEGIN PUBLIC KEY" in actor["publicKey"]["publicKeyPem"]
    assert actor["endpoints"]["sharedInbox"] == f"{b.url}/inbox"

    assert a.lookup(f"{b.url}/notes/nothing-here")[0] == 404


def test_failures_are_reported_with_the_peer_log(pair):
    a, b = pair
    with pytest.raises(FedifyPeerError, match="404"):
        a.follow(f"{b.url}/users/nobody")
    with pytest.raises(FedifyPeerError, match="nothing matching arrived"):
        b.wait_for(lambda item: item["type"] == "Move", timeout=0.2)


def test_the_fixture_peer_serves_its_actor_and_refuses_bad_input(fedify_peer):
    request = urllib.request.Request(
        fedify_peer.actor, headers={"Accept": "application/activity+json"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.headers["Content-Type"].startswith("application/activity+json")
        assert json.load(response)["preferredUsername"] == "reader"
    with pytest.raises(FedifyPeerError, match="400"):
        fedify_peer.like("not a url", to=[fedify_peer.actor])
    # Nothing listens on port 9 of loopback: no HTTP status at all.
    assert fedify_peer.lookup("http://127.0.0.1:9/nothing")[0] == 0
