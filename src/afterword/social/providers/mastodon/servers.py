"""Finding a reader's Mastodon server and registering our app on it once."""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

from allauth.socialaccount import app_settings
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.db import IntegrityError
from django.urls import reverse

from afterword.social.models import MastodonApp

PROVIDER_ID = "mastodon"
_HOST = re.compile(
    r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$"
)


class ServerError(Exception):
    """The server could not be used; the message is for the reader."""


def provider_settings() -> dict:
    return app_settings.PROVIDERS.get(PROVIDER_ID, {})


def scheme() -> str:
    # Always https in production; tests run a plain-http server on loopback.
    return provider_settings().get("SCHEME", "https")


def normalize(value: str | None) -> str | None:
    """A host name from what a reader typed: a host, a URL or @user@host."""
    if not value:
        return None
    value = value.strip().lower()
    if "://" in value:
        value = urlsplit(value).netloc
    if "@" in value:
        value = value.rsplit("@", 1)[1]
    value = value.strip("/").split("/", 1)[0]
    if not value or len(value) > 253 or not _HOST.match(value):
        return None
    return value


def base_url(instance: str) -> str:
    return f"{scheme()}://{instance}"


def _check_public(instance: str) -> None:
    """Refuse servers on private networks: the site must not be made to probe them."""
    if provider_settings().get("ALLOW_PRIVATE_SERVERS", False):
        return
    host = instance.rsplit(":", 1)[0] if instance.count(":") == 1 else instance
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        raise ServerError(f"The server {instance} could not be found.") from None
    for address in addresses:
        ip = ipaddress.ip_address(address)
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved:
            raise ServerError(f"The server {instance} is not on the public internet.")


def callback_url(request, instance: str) -> str:
    path = reverse("mastodon_callback") + f"?instance={instance}"
    return request.build_absolute_uri(path)


def social_app(record: MastodonApp) -> SocialApp:
    """An in-memory allauth app for one server (never saved: one row per server
    lives in MastodonApp instead)."""
    return SocialApp(
        provider=PROVIDER_ID,
        name=record.instance,
        client_id=record.client_id,
        secret=record.client_secret,
        settings={"instance": record.instance, "redirect_uri": record.redirect_uri},
    )


def known_app(instance: str) -> SocialApp | None:
    record = MastodonApp.objects.filter(instance=instance).first()
    return social_app(record) if record else None


def app_for(request, instance: str) -> SocialApp:
    """The app registered on ``instance``, registering it on first use."""
    existing = known_app(instance)
    if existing is not None:
        return existing
    _check_public(instance)
    redirect_uri = callback_url(request, instance)
    scopes = " ".join(provider_settings().get("SCOPE", ["read:accounts"]))
    try:
        with get_adapter().get_requests_session() as session:
            response = session.post(
                f"{base_url(instance)}/api/v1/apps",
                data={
                    "client_name": getattr(settings, "SITE_NAME", "Afterword"),
                    "redirect_uris": redirect_uri,
                    "scopes": scopes,
                    "website": getattr(settings, "SITE_URL", ""),
                },
            )
            response.raise_for_status()
            data = response.json()
        client_id, client_secret = data["client_id"], data["client_secret"]
    except Exception as error:  # network, HTTP status, or not a Mastodon answer
        raise ServerError(
            f"Could not connect to the Mastodon server {instance}. "
            "Check its name and try again."
        ) from error
    try:
        record = MastodonApp.objects.create(
            instance=instance,
            client_id=client_id,
            client_secret=client_secret,
            redirect_uri=redirect_uri,
        )
    except IntegrityError:
        # Another request registered it meanwhile: use theirs.
        record = MastodonApp.objects.get(instance=instance)
    return social_app(record)
