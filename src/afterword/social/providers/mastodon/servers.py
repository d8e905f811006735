"""Finding a reader's Mastodon server and registering our app on it once."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from allauth.socialaccount import app_settings
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.db import IntegrityError
from django.urls import reverse
from django.utils.translation import gettext as _

from afterword.core import outbound
from afterword.social.models import MastodonApp

PROVIDER_ID = "mastodon"
# A registration answer is a few hundred bytes.
REGISTRATION_MAX_BYTES = 64 * 1024
_HOST = re.compile(
    r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$"
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
    redirect_uri = callback_url(request, instance)
    scopes = " ".join(provider_settings().get("SCOPE", ["read:accounts"]))
    # Through the outbound helper like every later call to this server (the
    # token and the profile, via the social adapter's session): a server on
    # a private address, or redirecting to one, is refused at each call.
    try:
        data = (
            outbound.post(
                f"{base_url(instance)}/api/v1/apps",
                purpose="Mastodon login",
                data={
                    "client_name": getattr(settings, "SITE_NAME", "Afterword"),
                    "redirect_uris": redirect_uri,
                    "scopes": scopes,
                    "website": getattr(settings, "SITE_URL", ""),
                },
                timeout=app_settings.REQUESTS_TIMEOUT,
                max_bytes=REGISTRATION_MAX_BYTES,
            )
            .raise_for_status()
            .json()
        )
        client_id, client_secret = str(data["client_id"]), str(data["client_secret"])
        if not 0 < max(len(client_id), len(client_secret)) <= 200:
            raise ValueError("credentials that do not fit")
    except outbound.OutboundError as error:
        raise ServerError(
            _("Could not use the Mastodon server %(server)s. %(error)s")
            % {"server": instance, "error": error}
        ) from error
    except (KeyError, TypeError, ValueError) as error:  # not Mastodon's answer
        raise ServerError(
            _(
                "Could not connect to the Mastodon server %(server)s. "
                "Check its name and try again."
            )
            % {"server": instance}
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
