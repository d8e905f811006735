"""Micropub (W3C Recommendation, 2017): writing to the site from other apps.

``/micropub`` creates, updates, trashes and restores posts and answers the
queries (``q=config``, ``source``, ``syndicate-to``, ``category``);
``/micropub/media`` takes images into the library. Requests carry an
``afterword.credentials`` token (IndieAuth or an app password); every write
is a ``posts`` or ``media`` action run as the token's writer, so the roles'
rules apply exactly as on the desk. docs/api.md, "Micropub", is the guide.
"""
