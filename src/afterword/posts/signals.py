"""Signals the posts app sends; other apps connect to them in their ``ready()``.

``content_changed(sender, instance)``
    Sent after anything readers can see was saved or deleted: a post, a page,
    a term. The page cache and the search index listen.

``post_went_live(sender, post)``
    Sent once when a post becomes visible to readers, whether published at
    once or when its scheduled time fires. Follower notifications listen.
"""

from django.dispatch import Signal

content_changed = Signal()
post_went_live = Signal()
