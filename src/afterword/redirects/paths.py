"""The one spelling of an address a redirect is stored and looked up under.

People type addresses in many ways: with or without the trailing slash,
percent-encoded or in their own script, as a full URL of the site. Each is
brought to one form, so ``/2019/05/ōkami`` and
``https://example.org/2019/05/%C5%8Dkami/`` are the same redirect:

* the path only (a full URL must be one of this site's; ``//host/`` and
  other sites' addresses are refused), starting with ``/``;
* percent-escapes decoded (Django's ``request.path`` is decoded too), so a
  Unicode path is stored readable;
* a trailing ``/`` added unless the last segment looks like a file name
  (``/feed.xml``, ``/index.php``), as every address of the site ends in one;
* a query string kept (WordPress had ``/index.php?p=12``), decoded too;
* no fragment, no whitespace, no control characters.
"""

from __future__ import annotations

from contextlib import suppress
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LENGTH = 500


def site_hosts() -> set[str]:
    """Host names under which a full URL counts as one of this site's."""
    hosts = {urlsplit(settings.SITE_URL).hostname or ""}
    hosts.update(
        host.lower()
        for host in settings.ALLOWED_HOSTS
        if host and "*" not in host and not host.startswith(".")
    )
    hosts.discard("")
    return hosts


def with_slash(path: str) -> str:
    """``path`` ending in ``/`` unless its last segment looks like a file."""
    last = path.rsplit("/", 1)[-1]
    return f"{path}/" if last and "." not in last else path


def normalise(value: str, *, what: str = "") -> str:
    """``value`` as stored; ``ValidationError`` (for a person) if it can't be."""
    what = what or _("The address")

    def refuse(message: str):
        return ValidationError(message % {"what": what, "address": text})

    text = (value or "").strip()
    if not text:
        raise refuse(_("%(what)s is empty."))
    if text.startswith("//") or "\\" in text:
        raise refuse(_("%(what)s must be a path on this site, such as /2024/05/post/."))
    parts = urlsplit(text)
    if (parts.scheme or parts.netloc) and (
        parts.scheme not in ("http", "https")
        or (parts.hostname or "") not in site_hosts()
    ):
        raise refuse(
            _(
                "%(what)s leads off this site (%(address)s). A redirect only "
                "leads from one address of this site to another, so no link "
                "to the site can be turned into a way elsewhere."
            )
        )
    try:
        path = unquote(parts.path, errors="strict") if parts.path else "/"
        query = unquote(parts.query, errors="strict")
    except UnicodeDecodeError:
        raise refuse(_("%(what)s has percent-escapes that are not UTF-8.")) from None
    if not path.startswith("/"):
        raise refuse(_("%(what)s must start with “/”, such as /2024/05/post/."))
    segments = path.split("/")
    if any(segment in (".", "..") for segment in segments) or "?" in path:
        raise refuse(_("%(what)s has “.”, “..” or “?” where a name should be."))
    result = with_slash(path) + (f"?{query}" if query else "")
    if any(ord(char) < 32 or ord(char) == 127 for char in result):
        raise refuse(_("%(what)s contains a control character."))
    if len(result) > MAX_LENGTH:
        raise ValidationError(
            _("%(what)s is longer than %(limit)s characters.")
            % {"what": what, "limit": MAX_LENGTH}
        )
    return result


def request_keys(path: str, query: str) -> list[str]:
    """The stored spellings a request may match, the most precise first.

    ``path`` is Django's decoded ``request.path``; ``query`` the raw query
    string. Never raises: an address that cannot be spelled matches nothing.
    """
    path = with_slash(path)
    keys = []
    if query:
        with suppress(UnicodeDecodeError):
            keys.append(f"{path}?{unquote(query, errors='strict')}")
    keys.append(path)
    return [key for key in keys if len(key) <= MAX_LENGTH]
