"""Signals the posts app sends; other apps connect to them in their ``ready()``.

``post_went_live(sender, post)``
    Sent once, after the commit, when a post becomes listed (live, and
    public or password-protected: ``models.listed_condition``),
    whether published at once or when its scheduled time fires (the actions
    ``SavePost``/``PublishPost`` and ``PublishDuePosts``). Follower
    notifications listen.

What pages show is not announced here: caches and the search index follow
changed rows through ``afterword.core.changes``.
"""

from django.dispatch import Signal

post_went_live = Signal()
