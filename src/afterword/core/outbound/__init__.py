"""Outbound HTTP: the one way the site makes a request to another server.

Every request Afterword sends on its own (the Mastodon login, the social
providers' token and profile calls, ``afterword fetch-media``, Akismet, and
later federation, Webmention and webhooks) goes through :func:`request`::

    from afterword.core import outbound

    answer = outbound.get(url, purpose="fetch-media", max_bytes=50 * 2**20)
    answer.raise_for_status()
    data = answer.content

    outbound.post(inbox, purpose="federation", json=activity,
                  headers={"Signature": signature}, timeout=10)

What it promises, for every hop of every request:

* only ``http`` and ``https`` addresses, without user names in them;
* the host is resolved once and only public addresses are used
  (:mod:`.addresses`), unless ``AFTERWORD_OUTBOUND_ALLOW`` names that exact
  ``host:port`` (tests);
* the socket connects to the address that was checked, and TLS on it is
  verified for the host name (:mod:`.connection`), so DNS rebinding cannot
  swap the address between the check and the connection;
* redirects are followed here, each new address checked again, at most
  ``max_redirects``; credentials are not carried to another origin;
* one deadline (``timeout`` seconds) covers resolving, connecting, every
  read and every redirect; bodies stop at ``max_bytes``;
* whatever is refused or fails raises :class:`OutboundError` with a message
  fit to show a person.

Libraries that take a ``requests`` session get one from
:func:`requests_adapter.session` (the social-login adapter does).
"""

from .addresses import is_public
from .client import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_REDIRECTS,
    DEFAULT_TIMEOUT,
    Response,
    check_url,
    get,
    head,
    open_web_private,
    post,
    request,
)
from .errors import OutboundError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_REDIRECTS",
    "DEFAULT_TIMEOUT",
    "OutboundError",
    "Response",
    "check_url",
    "get",
    "head",
    "is_public",
    "open_web_private",
    "post",
    "request",
]
