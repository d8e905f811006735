"""Signals the posts app sends; other apps connect to them in their ``ready()``.

``post_went_live(sender, post)``
    Sent once, after the commit, when a post becomes listed (live, and
    public or password-protected: ``models.listed_condition``),
    whether published at once or when its scheduled time fires (the actions
    ``SavePost``/``PublishPost`` and ``PublishDuePosts``). Follower
    notifications listen.

``address_changed(sender, instance, old_address, new_address)``
    Sent inside the saving action's transaction, so a receiver's writes are
    kept or undone with the save: when a live post or page moves from
    ``old_address`` to ``new_address`` (a new slug, or a date in another
    month), when one goes live (``old_address`` empty), and when a tag or
    category is created (empty) or gets a new slug. ``sender`` is the
    model; addresses are ``get_absolute_url()``'s. The redirects app
    listens.

What pages show is not announced here: caches and the search index follow
changed rows through ``afterword.core.changes``.
"""

from django.dispatch import Signal

post_went_live = Signal()
address_changed = Signal()
