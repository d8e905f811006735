"""The inbox: what another server POSTs, checked, then acted on.

In order, and refused with a 4xx that changes nothing at the first failure:

1. the body is at most ``MAX_BODY`` (1 MB) and a JSON object with an id,
   a type and an actor;
2. the HTTP signature covers the request target, host, date and digest,
   the date is within an hour of ours and the digest matches the body;
3. the key is fetched from its owner (through ``remote``, which only
   reaches the public internet) and cached; when the signature does not
   match the cached key it is fetched once more, for servers that rotated
   their keys; the key's owner must be the activity's actor;
4. neither the actor nor its server is blocked;
5. an activity already acted on (same id) is acknowledged and ignored;
6. an object claimed from another server is fetched from its origin
   before it is believed; an activity about something this site does not
   have (a reply to an unknown post, a like of a page) is refused.

Then one action (``actions``) does what the activity asks.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import Resolver404, resolve

from afterword.discussion.models import Comment
from afterword.posts.models import Post

from . import actions, actors, blocking, documents, remote, signatures
from .models import (
    FediverseComment,
    Follower,
    LocalActor,
    Reaction,
    ReceivedActivity,
    RemoteActor,
)

logger = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024


@dataclass
class Refusal(Exception):
    status: int
    message: str


def read_body(request) -> bytes:
    declared = request.META.get("CONTENT_LENGTH") or ""
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise Refusal(413, "The activity is larger than 1 MB.")
    body = request.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        raise Refusal(413, "The activity is larger than 1 MB.")
    return body


def parse(body: bytes) -> dict:
    import json

    try:
        activity = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise Refusal(400, "The body is not valid JSON.") from None
    if not isinstance(activity, dict):
        raise Refusal(400, "The body is not an activity.")
    for key in ("id", "type", "actor"):
        if not activity.get(key):
            raise Refusal(400, f"The activity has no {key}.")
    if not isinstance(activity["id"], str) or not isinstance(activity["type"], str):
        raise Refusal(400, "The activity's id and type must be strings.")
    return activity


def actor_of(activity: dict) -> str:
    value = remote.link_of(activity.get("actor"))
    if not value.startswith(("https://", "http://")):
        raise Refusal(400, "The activity's actor is not an address.")
    return value


def authenticate(request, body: bytes) -> RemoteActor:
    """The actor whose key signed this request."""
    headers = {name.lower(): value for name, value in request.headers.items()}
    headers.setdefault("host", request.get_host())
    try:
        signed = signatures.parse(headers)
        signatures.check_required(signed, body)
        signatures.check_freshness(headers)
        if body:
            signatures.check_digest(headers, body)
    except signatures.SignatureError as error:
        raise Refusal(401, str(error)) from None
    target = request.get_full_path()
    failure = "The signing key has no public key to check with."
    for refresh in (False, True):
        try:
            sender = remote.actor_for_key(signed.key_id, refresh=refresh)
        except remote.RemoteError as error:
            raise Refusal(
                401, f"The signing key could not be fetched: {error}"
            ) from None
        if not sender.public_key_pem:
            continue
        try:
            signatures.verify(
                signed, request.method, target, headers, sender.public_key_pem
            )
            return sender
        except signatures.SignatureError as error:
            failure = str(error)
    raise Refusal(401, failure)


def receive(request) -> str:
    """Check and act on one POSTed activity; a word on what was done."""
    body = read_body(request)
    activity = parse(body)
    claimed = actor_of(activity)
    ident = activity["id"]
    home = remote.netloc_of(claimed)
    if (
        not home
        or remote.netloc_of(ident) != home
        or not ident.startswith(("https://", "http://"))
    ):
        raise Refusal(400, "The activity's id is not an address on its actor's server.")
    sender = authenticate(request, body)
    if sender.uri != claimed:
        raise Refusal(401, "The key that signed this is not the actor's.")
    if blocking.is_blocked(sender.uri, sender.domain):
        raise Refusal(403, "This account or server is blocked here.")
    if ReceivedActivity.objects.filter(activity_id=activity["id"]).exists():
        return "already received"
    handler = HANDLERS.get(activity["type"])
    if handler is None:
        raise Refusal(422, f"{activity['type']} activities are not handled here.")
    try:
        outcome = handler(sender, activity)
    except ValidationError as error:
        raise Refusal(422, " ".join(error.messages)) from None
    try:
        with transaction.atomic():
            ReceivedActivity.objects.create(activity_id=activity["id"])
    except IntegrityError:
        pass
    return outcome


# What the activities are about ------------------------------------------------


def local_actor_for(url: str) -> LocalActor | None:
    if not isinstance(url, str):
        return None
    if url.rstrip("/") == actors.site_root():
        return actors.site_actor()
    match = _resolve_local(url)
    if match and match.view_name == "posts:author":
        return actors.find_local(match.kwargs["username"])
    return None


def _resolve_local(url: str):
    root = actors.site_root()
    if not url.startswith(root + "/"):
        return None
    path = urlsplit(url).path
    try:
        return resolve(path)
    except Resolver404:
        return None


def local_post(url: str) -> Post | None:
    match = _resolve_local(url)
    post = None
    if match is None:
        return None
    if match.view_name == "federation:post":
        post = Post.objects.filter(pk=match.kwargs["pk"]).first()
    elif match.view_name == "posts:post":
        post = Post.objects.filter(
            kind=Post.Kind.POST, slug=match.kwargs["slug"]
        ).first()
    if post is None or not documents.federates(post):
        return None
    return post


def replied_to(url: str) -> tuple[Post, Comment | None] | None:
    """The post (and comment) a reply answers, if it is one of ours."""
    if not isinstance(url, str) or not url:
        return None
    post = local_post(url)
    if post is not None:
        return post, None
    link = (
        FediverseComment.objects.filter(object_id=url)
        .select_related("comment", "comment__post")
        .first()
    )
    if (
        link is not None
        and link.comment.status == Comment.Status.APPROVED
        and documents.federates(link.comment.post)
    ):
        return link.comment.post, link.comment
    return None


def object_of(sender: RemoteActor, activity: dict) -> dict:
    """The activity's object as a document, fetched from its origin when it
    is only an id or when it claims to come from another server."""
    obj = activity.get("object")
    if isinstance(obj, str):
        return _fetch_object(obj)
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        raise Refusal(400, "The activity's object is missing.")
    if remote.netloc_of(obj["id"]) != remote.netloc_of(sender.uri):
        return _fetch_object(obj["id"])
    return obj


def _fetch_object(url: str) -> dict:
    try:
        document = remote.fetch(url)
    except remote.RemoteError as error:
        raise Refusal(422, f"The object could not be fetched: {error}") from None
    if document.get("id") != url:
        raise Refusal(422, "The object's origin does not vouch for it.")
    return document


# Handlers ---------------------------------------------------------------------


def on_follow(sender: RemoteActor, activity: dict) -> str:
    local = local_actor_for(remote.link_of(activity.get("object")))
    if local is None:
        raise Refusal(404, "There is no such account here.")
    actions.AddFollower(local, sender, activity["id"]).run()
    return "follow recorded"


def on_undo(sender: RemoteActor, activity: dict) -> str:
    obj = activity.get("object")
    ident = obj.get("id") if isinstance(obj, dict) else obj
    kind = obj.get("type") if isinstance(obj, dict) else ""
    if (
        kind == "Follow"
        or Follower.objects.filter(remote=sender, follow_id=ident).exists()
    ):
        target = obj.get("object") if isinstance(obj, dict) else None
        local = local_actor_for(remote.link_of(target)) if target else None
        actions.Unfollow(sender, local).run()
        return "follow undone"
    if Reaction.objects.filter(remote=sender, activity_id=ident).exists():
        actions.UndoReaction(sender, ident).run()
        return "reaction undone"
    raise Refusal(422, "There is nothing here to undo.")


def on_create(sender: RemoteActor, activity: dict) -> str:
    note = object_of(sender, activity)
    if remote.link_of(note.get("attributedTo")) not in ("", sender.uri):
        raise Refusal(422, "The object is not the actor's own.")
    if FediverseComment.objects.filter(object_id=note["id"]).exists():
        return "already here"
    target = replied_to(remote.link_of(note.get("inReplyTo")))
    if target is None:
        raise Refusal(422, "The object does not answer anything on this site.")
    post, parent = target
    actions.ReceiveReply(sender, note, post, parent).run()
    return "reply received"


def on_update(sender: RemoteActor, activity: dict) -> str:
    obj = activity.get("object")
    ident = remote.link_of(obj)
    if ident == sender.uri:
        remote.actor(sender.uri, refresh=True)
        return "profile refreshed"
    link = FediverseComment.objects.filter(object_id=ident, remote=sender).first()
    if link is None:
        raise Refusal(422, "There is no such reply here.")
    actions.UpdateReply(link, object_of(sender, activity)).run()
    return "reply updated"


def on_delete(sender: RemoteActor, activity: dict) -> str:
    ident = remote.link_of(activity.get("object"))
    if ident == sender.uri:
        actions.ForgetActor(sender).run()
        return "account forgotten"
    link = FediverseComment.objects.filter(object_id=ident, remote=sender).first()
    if link is None:
        raise Refusal(422, "There is no such reply here.")
    actions.DeleteReply(link).run()
    return "reply deleted"


def _reaction(kind: str):
    def handle(sender: RemoteActor, activity: dict) -> str:
        post = local_post(remote.link_of(activity.get("object")))
        if post is None:
            raise Refusal(422, "There is no such post here.")
        actions.RecordReaction(sender, post, kind, activity["id"]).run()
        return f"{kind} counted"

    return handle


def on_move(sender: RemoteActor, activity: dict) -> str:
    if remote.link_of(activity.get("object")) != sender.uri:
        raise Refusal(422, "An account can only move itself.")
    target = remote.link_of(activity.get("target"))
    if not target:
        raise Refusal(400, "The move names no new account.")
    try:
        document = remote.fetch(target)
        new = remote.store_actor(
            target, document, RemoteActor.objects.filter(uri=target).first()
        )
    except remote.RemoteError as error:
        raise Refusal(422, f"The new account could not be fetched: {error}") from None
    aliases = document.get("alsoKnownAs") or []
    aliases = aliases if isinstance(aliases, list) else [aliases]
    if sender.uri not in aliases:
        raise Refusal(422, "The new account does not say it is the old one.")
    actions.MoveFollower(sender, new).run()
    return "moved"


def on_answer(sender: RemoteActor, activity: dict) -> str:
    # The site follows nobody: an Accept or Reject changes nothing.
    return "noted"


HANDLERS = {
    "Follow": on_follow,
    "Undo": on_undo,
    "Create": on_create,
    "Update": on_update,
    "Delete": on_delete,
    "Like": _reaction("like"),
    "Announce": _reaction("announce"),
    "Move": on_move,
    "Accept": on_answer,
    "Reject": on_answer,
}
