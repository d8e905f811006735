"""Signals the posts app sends; other apps connect to them in their ``ready()``.

``content_changed(sender, instance)``
    Sent after anything readers can see was saved or deleted: a post, a page,
    a term. The page cache and the search index listen.

``posts_changed(sender, post_ids)``
    Sent once instead of ``content_changed`` for each post when many posts
    were saved together (``services.announce_together``, used by the
    importers). ``post_ids`` lists them; read them in chunks, there may be
    many. A receiver of ``content_changed`` that does something per post must
    receive this one too.

``post_went_live(sender, post)``
    Sent once when a post becomes visible to readers, whether published at
    once or when its scheduled time fires. Follower notifications listen.
"""

from django.dispatch import Signal

content_changed = Signal()
posts_changed = Signal()
post_went_live = Signal()
