"""Signals the discussion app sends; other apps connect to them in their ``ready()``.

Both are sent once, after the commit, by the action that moved the comment
(``actions``), with ``sender`` the ``Comment`` model and ``comment`` the row
as it now is. Imported comments (``AddComment``, ``AddCommentsInBulk``) were
moderated elsewhere and send neither. Webhooks listen.

``comment_held(sender, comment)``
    A comment waits for moderation: posted and held by the rules, edited by
    its commenter into something the rules hold, taken back off the page
    (``UnapproveComment``) or brought back from spam or the trash.

``comment_approved(sender, comment)``
    A comment shows on its post: approved by a moderator, let through by the
    rules when posted or edited, or written by the writer as a reply.
"""

from django.dispatch import Signal

comment_held = Signal()
comment_approved = Signal()
