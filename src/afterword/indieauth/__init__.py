"""IndieAuth: writers sign in to Micropub apps with their author page.

An app (Quill, iA Writer, Indigenous...) finds this site's authorization
server from the ``<link>`` tags and ``Link`` header every HTML page carries
(``discovery``), sends the writer to ``/indieauth/auth``, where they sign in
as usual and approve the scopes on a consent page (``views``), and trades
the code it gets back for a bearer token at ``/indieauth/token``. The
writer's identity (``me``) is their author page's address.

The app owns no rows: codes and tokens are ``afterword.credentials``'
models, made, redeemed and revoked by its actions. What this app adds is
the protocol: checking the request (``authorization``), learning about the
client (``clients``, through ``core.outbound``), and the endpoints' answers.
"""
