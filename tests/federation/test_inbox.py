"""The inbox: what a remote account sends, and what it changes here."""

from __future__ import annotations

import json

import pytest

from afterword.discussion.actions import ApproveComment, CommentInput, PostComment
from afterword.discussion.models import Comment, DiscussionSettings
from afterword.federation import actions, signatures
from afterword.federation.models import (
    Block,
    FediverseComment,
    Follower,
    LocalActor,
    Reaction,
    RemoteActor,
)

AUTHOR = "http://testserver/author/ada/"


def post_id(post) -> str:
    return f"http://testserver/ap/posts/{post.pk}"


def follow(client, account, target=AUTHOR):
    activity = account.activity("Follow", target)
    return account.send(client, activity, "/ap/actors/ada/inbox"), activity


@pytest.mark.django_db(transaction=True)
def test_follow_is_accepted_and_the_accept_delivered(
    client, remote_account, published, run_tasks
):
    answer, activity = follow(client, remote_account)
    assert answer.status_code == 202, answer.content
    follower = Follower.objects.get()
    assert follower.state == Follower.State.ACCEPTED
    assert follower.remote.uri == remote_account.uri
    run_tasks()
    accept = remote_account.deliveries()[-1]
    assert accept["type"] == "Accept"
    assert accept["object"]["id"] == activity["id"]
    # The Accept is signed by the author's key, over the body's digest.
    received = [r for r in remote_account.peer.received if r.method == "POST"][-1]
    assert received.headers["Digest"] == signatures.digest(received.body)
    assert (
        'keyId="http://testserver/author/ada/#main-key"'
        in received.headers["Signature"]
    )


def test_a_writer_can_approve_each_follower(
    client, remote_account, published, run_tasks
):
    follow(client, remote_account, AUTHOR)  # makes the actor
    Follower.objects.all().delete()
    LocalActor.objects.filter(handle="ada").update(approve_followers=True)
    follow(client, remote_account, AUTHOR)
    follower = Follower.objects.get()
    assert follower.state == Follower.State.PENDING
    actions.ApproveFollower(follower).run()
    assert Follower.objects.get().state == Follower.State.ACCEPTED


def test_undo_follow_removes_the_follower(client, remote_account, published):
    _, activity = follow(client, remote_account)
    undo = remote_account.activity("Undo", activity)
    assert remote_account.send(client, undo).status_code == 202
    assert not Follower.objects.exists()


def test_a_reply_becomes_a_held_comment_then_a_known_one(
    client, remote_account, published
):
    note = remote_account.note(
        post_id(published), "<p>Loved the <em>opera</em> part.</p>"
    )
    answer = remote_account.send(client, remote_account.activity("Create", note))
    assert answer.status_code == 202, answer.content
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.author_name == "Rin Remote"
    assert comment.author_handle.startswith("@rin@127.0.0.1")
    assert comment.author_url.endswith("/@rin")
    assert "<em>opera</em>" in comment.body_html
    ApproveComment(comment).run()
    again = remote_account.note(post_id(published), "And the score!")
    remote_account.send(client, remote_account.activity("Create", again))
    second = Comment.objects.exclude(pk=comment.pk).get()
    assert second.status == Comment.Status.APPROVED
    page = client.get(published.get_absolute_url()).content.decode()
    assert "And the score!" in page
    assert "comment-handle" in page


def test_a_reply_is_moderated_like_any_comment(client, remote_account, published):
    DiscussionSettings.objects.create(hold_first_comment=False, blocked_words="casino")
    spam = remote_account.note(post_id(published), "Visit my casino")
    remote_account.send(client, remote_account.activity("Create", spam))
    assert Comment.objects.get().status == Comment.Status.SPAM


def test_update_and_delete_of_a_reply(client, remote_account, published):
    note = remote_account.note(post_id(published), "First words")
    remote_account.send(client, remote_account.activity("Create", note))
    changed = dict(note, content="Better words")
    remote_account.send(client, remote_account.activity("Update", changed))
    assert Comment.objects.get().body == "Better words"
    gone = remote_account.activity("Delete", {"id": note["id"], "type": "Tombstone"})
    assert remote_account.send(client, gone).status_code == 202
    assert not Comment.objects.exists()


def test_likes_and_boosts_are_counted_and_undone(client, remote_account, published):
    like = remote_account.activity("Like", post_id(published))
    boost = remote_account.activity("Announce", post_id(published))
    assert remote_account.send(client, like).status_code == 202
    assert remote_account.send(client, boost).status_code == 202
    assert sorted(Reaction.objects.values_list("kind", flat=True)) == [
        "announce",
        "like",
    ]
    remote_account.send(client, remote_account.activity("Undo", like))
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["announce"]


def test_the_same_activity_twice_acts_once(client, remote_account, published):
    like = remote_account.activity("Like", post_id(published))
    remote_account.send(client, like)
    Reaction.objects.all().delete()
    assert remote_account.send(client, like).status_code == 202
    assert not Reaction.objects.exists()


def test_deleting_the_account_removes_what_it_left(client, remote_account, published):
    follow(client, remote_account)
    note = remote_account.note(post_id(published), "Hello")
    remote_account.send(client, remote_account.activity("Create", note))
    remote_account.send(client, remote_account.activity("Like", post_id(published)))
    gone = remote_account.activity("Delete", remote_account.uri)
    assert remote_account.send(client, gone).status_code == 202
    assert not Comment.objects.exists()
    assert not Reaction.objects.exists()
    assert not Follower.objects.exists()
    assert not RemoteActor.objects.exists()


def test_a_move_takes_the_follow_along(client, remote_account, published, peers):
    from tests.federation.conftest import RemoteAccount

    follow(client, remote_account)
    new = RemoteAccount(peers(), name="rin2")
    document = new.document() | {"alsoKnownAs": [remote_account.uri]}
    new.peer.routes["/users/rin2"] = lambda handler: __import__(
        "tests.support.peers", fromlist=["send"]
    ).send(handler, 200, json.dumps(document).encode())
    move = remote_account.activity("Move", remote_account.uri, target=new.uri)
    assert remote_account.send(client, move).status_code == 202, move
    assert Follower.objects.get().remote.uri == new.uri


@pytest.mark.django_db(transaction=True)
def test_the_writers_answer_goes_back_to_the_replier(
    client, remote_account, published, run_tasks, django_capture_on_commit_callbacks
):
    follow(client, remote_account)
    note = remote_account.note(post_id(published), "Which segment next?")
    remote_account.send(client, remote_account.activity("Create", note))
    comment = Comment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        ApproveComment(comment).run()
        answer = PostComment(
            published,
            CommentInput(body="Stink Bomb, next week.", parent_id=comment.pk),
            user=published.author,
        ).run()
    assert answer.status == Comment.Status.APPROVED
    run_tasks()
    creates = [a for a in remote_account.deliveries() if a["type"] == "Create"]
    sent = creates[-1]["object"]
    assert sent["type"] == "Note"
    assert sent["inReplyTo"] == note["id"]
    assert "Stink Bomb, next week." in sent["content"]
    assert remote_account.uri in sent["cc"]
    # The answer dereferences at its id.
    here = client.get(
        sent["id"].removeprefix("http://testserver"),
        HTTP_ACCEPT="application/activity+json",
    )
    assert here.json()["id"] == sent["id"]
    # Replies to the answer thread under it.
    deeper = remote_account.note(sent["id"], "Can't wait")
    remote_account.send(client, remote_account.activity("Create", deeper))
    assert Comment.objects.get(body="Can't wait").parent_id == answer.pk


def test_blocking_a_server_refuses_it_and_removes_its_comments(
    client, remote_account, published, writer
):
    follow(client, remote_account)
    note = remote_account.note(post_id(published), "Hello")
    remote_account.send(client, remote_account.activity("Create", note))
    actions.BlockFediverse(Block.Kind.DOMAIN, "127.0.0.1", user=writer).run()
    assert not Comment.objects.exists()
    assert not Follower.objects.exists()
    answer = remote_account.send(
        client, remote_account.activity("Like", post_id(published))
    )
    assert answer.status_code == 403
    assert not Reaction.objects.exists()


# Refusals: each answers 4xx and changes nothing. ---------------------------------


def nothing_changed():
    return not (
        Comment.objects.exists()
        or Reaction.objects.exists()
        or Follower.objects.exists()
        or FediverseComment.objects.exists()
    )


def test_a_body_over_one_megabyte(client, remote_account, published):
    big = remote_account.note(post_id(published), "x" * (1024 * 1024 + 10))
    answer = remote_account.send(client, remote_account.activity("Create", big))
    assert answer.status_code == 413
    assert nothing_changed()


@pytest.mark.parametrize(
    "body", [b"{not json", b"[1, 2]", b'{"type": "Like"}', b"\xff"]
)
def test_malformed_json(client, remote_account, published, body):
    answer = remote_account.send(client, None, body=body)
    assert answer.status_code == 400
    assert nothing_changed()


def test_ids_and_actors_that_are_not_addresses(client, remote_account, published):
    for field, value in (
        ("id", "http://[oops/1"),
        ("actor", "http://[oops/"),
        ("id", "urn:uuid:1234"),
        ("id", "https://elsewhere.example/activities/1"),
    ):
        like = remote_account.activity("Like", post_id(published))
        like[field] = value
        answer = remote_account.send(client, like)
        assert answer.status_code == 400, (field, value)
        assert answer.json()["error"]
    assert nothing_changed()


def test_no_signature(client, remote_account, published):
    like = remote_account.activity("Like", post_id(published))
    answer = remote_account.send(client, like, headers={})
    assert answer.status_code == 401
    assert "not signed" in answer.json()["error"]
    assert nothing_changed()


def test_a_wrong_signature(client, remote_account, published):
    from afterword.federation.actors import new_key_pair

    like = remote_account.activity("Like", post_id(published))
    body = json.dumps(like).encode()
    _, other_private = new_key_pair()
    headers = remote_account.signed_headers(
        "http://testserver/ap/inbox", body, private=other_private
    )
    answer = remote_account.send(client, like, headers=headers, body=body)
    assert answer.status_code == 401
    assert nothing_changed()


def test_a_body_changed_after_signing(client, remote_account, published):
    like = remote_account.activity("Like", post_id(published))
    headers = remote_account.signed_headers(
        "http://testserver/ap/inbox", json.dumps(like).encode()
    )
    tampered = json.dumps(dict(like, object=post_id(published) + "0")).encode()
    answer = remote_account.send(client, like, headers=headers, body=tampered)
    assert answer.status_code == 401
    assert "Digest" in answer.json()["error"]


def test_a_replayed_date(client, remote_account, published):
    from datetime import UTC, datetime, timedelta

    like = remote_account.activity("Like", post_id(published))
    body = json.dumps(like).encode()
    headers = remote_account.signed_headers("http://testserver/ap/inbox", body)
    # A request captured two hours ago, date and all, resent as it was.
    old = signatures.http_date(datetime.now(UTC) - timedelta(hours=2))
    headers["HTTP_DATE"] = old
    answer = remote_account.send(client, like, headers=headers, body=body)
    assert answer.status_code == 401
    assert "Date" in answer.json()["error"]
    assert nothing_changed()


def test_an_actor_that_does_not_own_the_key(client, remote_account, published, peers):
    from tests.federation.conftest import RemoteAccount

    mallory = RemoteAccount(peers(), name="mallory")
    # Signed by mallory's own key, but claiming to be rin.
    like = remote_account.activity("Like", post_id(published))
    body = json.dumps(like).encode()
    headers = mallory.signed_headers("http://testserver/ap/inbox", body)
    answer = remote_account.send(client, like, headers=headers, body=body)
    assert answer.status_code == 401
    assert "not the actor" in answer.json()["error"]
    assert nothing_changed()


def test_activities_about_things_the_site_does_not_have(
    client, remote_account, published, author, post_factory
):
    draft = post_factory(author=author, slug="draft", status="draft", published_at=None)
    for target in (
        "http://testserver/ap/posts/999999",
        post_id(draft),
        "https://elsewhere.example/notes/1",
    ):
        like = remote_account.activity("Like", target)
        assert remote_account.send(client, like).status_code == 422
        note = remote_account.note(target, "hi")
        answer = remote_account.send(client, remote_account.activity("Create", note))
        assert answer.status_code == 422
    undo = remote_account.activity("Undo", remote_account.new_id())
    assert remote_account.send(client, undo).status_code == 422
    assert nothing_changed()


def test_an_object_claimed_from_another_server_is_fetched_from_it(
    client, remote_account, published, peers
):
    from tests.federation.conftest import RemoteAccount

    other = RemoteAccount(peers(), name="kai")
    # Rin forwards a "note by kai" whose text kai's server never wrote.
    forged = other.note(post_id(published), "Forged words")
    forged["attributedTo"] = remote_account.uri
    real = dict(forged, content="Real words")
    other.serve_object(real)
    answer = remote_account.send(client, remote_account.activity("Create", forged))
    # The origin's copy is what counts: it is attributed to rin here, so kai's
    # server vouches for "Real words" only.
    assert answer.status_code == 202
    assert Comment.objects.get().body == "Real words"


def test_a_loopback_actor_with_the_switch_off(
    client, remote_account, published, settings
):
    settings.AFTERWORD_FEDERATION_ALLOW_PRIVATE = False
    like = remote_account.activity("Like", post_id(published))
    answer = remote_account.send(client, like)
    assert answer.status_code == 401
    assert "not an https address" in answer.json()["error"]
    assert nothing_changed()
    # Nothing was asked of the loopback server either.
    assert not [r for r in remote_account.peer.received if r.method == "GET"]


def test_a_rotated_key_is_fetched_again(client, remote_account, published):
    from afterword.federation.actors import new_key_pair

    first = remote_account.activity("Like", post_id(published))
    assert remote_account.send(client, first).status_code == 202
    # The account's server makes a new key; the cached one no longer fits.
    remote_account.public_pem, remote_account.private_pem = new_key_pair()
    second = remote_account.activity("Announce", post_id(published))
    assert remote_account.send(client, second).status_code == 202
    assert Reaction.objects.count() == 2
    assert RemoteActor.objects.get().public_key_pem == remote_account.public_pem


def test_a_commenters_avatar_is_copied_and_shown_from_the_site(
    client, remote_account, published, media_root
):
    import io

    from PIL import Image

    from tests.support.peers import send

    picture = io.BytesIO()
    Image.new("RGB", (300, 200), "teal").save(picture, format="JPEG")
    remote_account.peer.routes["/avatar.jpg"] = lambda handler: send(
        handler, 200, picture.getvalue(), {"Content-Type": "image/jpeg"}
    )
    document = remote_account.document() | {
        "icon": {"type": "Image", "url": f"{remote_account.peer.url}/avatar.jpg"}
    }
    remote_account.peer.routes["/users/rin"] = lambda handler: send(
        handler, 200, json.dumps(document).encode()
    )
    note = remote_account.note(post_id(published), "Hello")
    remote_account.send(client, remote_account.activity("Create", note))
    comment = Comment.objects.get()
    ApproveComment(comment).run()
    stored = media_root / comment.author_avatar
    with Image.open(stored) as copy:
        assert copy.format == "PNG"
        assert max(copy.size) == 96
    page = client.get(published.get_absolute_url()).content.decode()
    assert f'src="/media/{comment.author_avatar}"' in page
    assert "avatar.jpg" not in page
