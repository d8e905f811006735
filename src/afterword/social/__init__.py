"""Social login: allauth providers Afterword adds, and what they remember.

allauth ships providers for Google, X, Facebook, GitHub and any OpenID
Connect server; this app adds two it lacks, laid out like allauth's own
(``provider.py``, ``views.py`` with an ``OAuth2Adapter``, ``urls.py``):

``providers.wordpress_com``
    WordPress.com accounts through its OAuth2 server
    (``/oauth2/authorize``, ``/oauth2/token``, ``/rest/v1/me``).

``providers.mastodon``
    Any Mastodon server, typed in by the reader. On first use of a server
    the provider registers an application there (``POST /api/v1/apps``) and
    keeps its client id and secret in :class:`models.MastodonApp`, then logs
    in through ``/oauth/authorize``, ``/oauth/token`` and
    ``/api/v1/accounts/verify_credentials``.

Each provider package is listed in ``INSTALLED_APPS`` so that allauth's
registry finds it; base URLs are settings so tests point them at loopback.

Every server-to-server call of every provider (allauth's own included) goes
through ``afterword.core.outbound``: ``adapter.SocialAccountAdapter`` hands
allauth a ``requests`` session built on it, and the Mastodon registration
calls it directly. A refusal (a private address, a redirect to one, a
too-large or too-slow answer) fails the login with the helper's message.
"""
