"""The JSON API at ``/api/v1/``: thin routers over the owning apps' actions.

Requests authenticate only with ``credentials.auth.authenticate`` (an app
password or a bearer token); the credential's scopes are checked here and
the writer's role by the actions, which run with ``user=credential.user``.
"""
