"""The site's own actors: who they are, their addresses, and their keys.

Each author is a ``Person`` whose id is their author page's address, and
the blog as a whole is a ``Service`` whose id is the site's home page
(handle ``AFTERWORD_FEDERATION_SITE_HANDLE``, "blog" by default). Both
addresses answer with the actor document when asked for ActivityStreams
(``negotiation``); their collections live under ``/ap/actors/<handle>/``.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from afterword.accounts.models import User
from afterword.core.urls import absolute

from .models import LocalActor

KEY_BITS = 2048


def site_handle() -> str:
    return getattr(settings, "AFTERWORD_FEDERATION_SITE_HANDLE", "blog")


def site_root() -> str:
    return settings.SITE_URL.rstrip("/")


def host() -> str:
    """The host of the site's handles: with the port when the site has one."""
    return site_root().split("://", 1)[1].split("/", 1)[0]


def new_key_pair() -> tuple[str, str]:
    """(public PEM, private PEM) of a fresh RSA key, as Mastodon uses."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        )
        .decode()
    )
    return public, private


def _get_or_make(handle: str, user: User | None) -> LocalActor:
    found = LocalActor.objects.filter(handle=handle).first()
    if found is not None:
        return found
    public, private = new_key_pair()
    try:
        with transaction.atomic():
            return LocalActor.objects.create(
                handle=handle, user=user, public_key_pem=public, private_key_pem=private
            )
    except IntegrityError:  # made by a concurrent request
        return LocalActor.objects.get(handle=handle)


def site_actor() -> LocalActor:
    return _get_or_make(site_handle(), None)


def author_actor(user: User) -> LocalActor:
    """The writer's account; a writer named like the blog's account
    (AFTERWORD_FEDERATION_SITE_HANDLE) speaks through the blog's."""
    if user.username == site_handle():
        return site_actor()
    found = getattr(user, "fediverse_actor", None) if user.pk else None
    return found or _get_or_make(user.username, user)


def existing_actor(user: User | None) -> LocalActor | None:
    """The writer's (or with None, the blog's) account if it was ever made:
    nobody can follow an account that no server has looked up, so a
    publish needs no key made for it."""
    if user is not None and user.username != site_handle():
        return LocalActor.objects.filter(user=user).first()
    return LocalActor.objects.filter(handle=site_handle(), user=None).first()


def is_author(user: User) -> bool:
    """Whether ``user`` is on the fediverse: a writer with a live post."""
    from afterword.posts.models import Post

    return user.is_active and Post.objects.live().filter(author=user).exists()


def find_local(handle: str) -> LocalActor | None:
    """The actor for ``handle`` (a username or the blog's handle), made on
    first use; None when no such actor may exist."""
    if handle == site_handle():
        return site_actor()
    user = User.objects.filter(username=handle, is_active=True).first()
    if user is None or not is_author(user):
        return None
    return author_actor(user)


# Addresses -------------------------------------------------------------------


def actor_id(actor: LocalActor) -> str:
    if actor.is_site:
        return site_root() + "/"
    return absolute(actor.user.get_absolute_url())


def key_id(actor: LocalActor) -> str:
    return f"{actor_id(actor)}#main-key"


def collection_url(actor: LocalActor, name: str) -> str:
    return absolute(reverse(f"federation:{name}", kwargs={"handle": actor.handle}))


def shared_inbox_url() -> str:
    return absolute(reverse("federation:shared-inbox"))


def post_object_id(post_id: int) -> str:
    return absolute(reverse("federation:post", kwargs={"pk": post_id}))


def comment_object_id(comment_id: int) -> str:
    return absolute(reverse("federation:comment", kwargs={"pk": comment_id}))


def handle_of(actor: LocalActor) -> str:
    return f"@{actor.handle}@{host()}"
