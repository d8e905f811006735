"""Reading other servers: actor documents, keys and objects.

Every fetch goes through ``afterword.core.outbound`` in its open-web mode
(https only, public addresses only, size and time capped, every redirect
checked again) and is signed by the blog's actor, so servers that insist
on signed fetches ("authorized fetch") answer too. What a document claims
is checked against where it came from: an actor's id must be the address
it was fetched from (after redirects, on the same host), and its key must
belong to it.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from datetime import timedelta
from urllib.parse import urldefrag, urlsplit

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from afterword.core import outbound

from . import actors, signatures
from .models import RemoteActor

logger = logging.getLogger(__name__)

ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
MAX_DOCUMENT = 1024 * 1024
MAX_AVATAR = 2 * 1024 * 1024
TIMEOUT = 10.0
# An actor document is read again after this long (names, avatars, keys).
FRESH_FOR = timedelta(days=1)
AVATAR_SIZE = 96


class RemoteError(Exception):
    """A document could not be fetched, or is not what it claims to be."""


def host_of(url: str) -> str:
    """The host of ``url``, or '' for something that is not an address."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:  # "http://[oops", and other text sent as an address
        return ""


def netloc_of(url: str) -> str:
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return ""


def fetch(url: str) -> dict:
    """The ActivityStreams document at ``url``, fetched with a signed GET."""
    signer = actors.site_actor()
    headers = signatures.sign(
        "GET",
        url,
        key_id=actors.key_id(signer),
        private_key_pem=signer.private_key_pem,
        accept=ACCEPT,
    )
    try:
        answer = outbound.get(
            url,
            purpose="federation",
            headers=headers,
            timeout=TIMEOUT,
            max_bytes=MAX_DOCUMENT,
            open_web=True,
        )
    except outbound.OutboundError as error:
        raise RemoteError(str(error)) from None
    if answer.status == 410:
        raise Gone(url)
    if not answer.ok:
        raise RemoteError(f"{url} answered {answer.status}.")
    try:
        document = json.loads(answer.content)
    except ValueError:
        raise RemoteError(f"{url} did not answer with JSON.") from None
    if not isinstance(document, dict):
        raise RemoteError(f"{url} did not answer with an object.")
    # Redirects may only move within the same server.
    if netloc_of(answer.url) != netloc_of(url):
        raise RemoteError(f"{url} redirected to another server.")
    return document


class Gone(RemoteError):
    """The server says the object was deleted (410)."""


def first(value):
    """The first of a value that may be one item or a list."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def link_of(value) -> str:
    """An address from a string, a Link/Image object, or a list of them."""
    value = first(value)
    if isinstance(value, dict):
        value = value.get("href") or value.get("url") or value.get("id")
        value = first(value)
        if isinstance(value, dict):
            return link_of(value)
    return value if isinstance(value, str) else ""


def actor(uri: str, *, refresh: bool = False) -> RemoteActor:
    """The stored actor for ``uri``, fetched when new, stale or ``refresh``."""
    uri = urldefrag(uri)[0]
    known = RemoteActor.objects.filter(uri=uri).first()
    if known and not refresh and timezone.now() - known.fetched_at < FRESH_FOR:
        return known
    document = fetch(uri)
    return store_actor(uri, document, known)


def store_actor(uri: str, document: dict, known: RemoteActor | None) -> RemoteActor:
    if document.get("id") != uri:
        raise RemoteError(f"The document at {uri} is not that actor.")
    inbox = link_of(document.get("inbox"))
    if not inbox or netloc_of(inbox) != netloc_of(uri):
        raise RemoteError(f"The actor {uri} has no inbox on its own server.")
    endpoints = document.get("endpoints") or {}
    shared = (
        link_of(endpoints.get("sharedInbox")) if isinstance(endpoints, dict) else ""
    )
    if shared and netloc_of(shared) != netloc_of(uri):
        shared = ""
    key = document.get("publicKey") or {}
    key = first(key) if isinstance(key, list) else key
    key_id, pem = "", ""
    if isinstance(key, dict) and key.get("owner", uri) == uri:
        key_id, pem = str(key.get("id") or ""), str(key.get("publicKeyPem") or "")
    values = {
        "inbox": inbox[:500],
        "shared_inbox": (shared or "")[:500],
        "url": link_of(document.get("url"))[:500],
        "username": str(document.get("preferredUsername") or "")[:150],
        "domain": host_of(uri),
        "name": str(document.get("name") or "")[:200],
        "icon_url": link_of(document.get("icon"))[:500],
        "key_id": key_id[:500],
        "public_key_pem": pem,
        "moved_to": link_of(document.get("movedTo"))[:500],
        "fetched_at": timezone.now(),
    }
    found, _ = RemoteActor.objects.update_or_create(uri=uri, defaults=values)
    if found.icon_url and (known is None or known.icon_url != found.icon_url):
        found.avatar = cache_avatar(found.icon_url)
        RemoteActor.objects.filter(pk=found.pk).update(avatar=found.avatar)
    return found


def actor_for_key(key_id: str, *, refresh: bool = False) -> RemoteActor:
    """The actor that owns ``key_id``, with that key loaded."""
    uri = urldefrag(key_id)[0]
    known = RemoteActor.objects.filter(key_id=key_id).first()
    if known and not refresh:
        return known
    found = actor(known.uri if known else uri, refresh=True)
    if found.key_id != key_id:
        # Some servers name a key document apart from the actor.
        document = fetch(uri)
        owner = document.get("owner") or ""
        if not owner or host_of(owner) != host_of(uri):
            raise RemoteError(f"No actor owns the key {key_id}.")
        found = actor(owner, refresh=True)
        if found.key_id != key_id:
            raise RemoteError(f"The key {key_id} is not {owner}'s.")
    return found


def cache_avatar(url: str) -> str:
    """Our own small PNG of an avatar, stored in media; '' if it fails."""
    from PIL import Image

    try:
        answer = outbound.get(
            url,
            purpose="federation",
            timeout=TIMEOUT,
            max_bytes=MAX_AVATAR,
            open_web=True,
        )
        answer.raise_for_status()
        with Image.open(io.BytesIO(answer.content)) as image:
            image.thumbnail((AVATAR_SIZE, AVATAR_SIZE))
            converted = image.convert("RGBA")
            out = io.BytesIO()
            # Re-encoded: no camera data, nothing the browser would run.
            converted.save(out, format="PNG")
    except Exception as error:
        logger.info("Could not copy the avatar %s: %s", url, error)
        return ""
    name = f"fediverse/avatars/{hashlib.sha256(url.encode()).hexdigest()[:32]}.png"
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(out.getvalue()))
