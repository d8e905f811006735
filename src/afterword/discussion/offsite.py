"""A comment as it leaves the site, in feeds and in emails.

A feed reader or a mail client shows a comment whole, with no way to keep a
spoiler closed, so there each spoiler block becomes a notice that names it
and links to the comment on the site. Both versions come from the comment's
Markdown (``core.markdown``), never from editing its stored HTML.
"""

from __future__ import annotations

from afterword.core.markdown import hide_spoilers, may_hold_spoilers, render_markdown

from . import links
from .models import Comment


def feed_html(comment: Comment) -> str:
    """The comment's HTML with its spoilers replaced by notices."""
    if not may_hold_spoilers(comment.body):
        return comment.body_html
    return render_markdown(
        comment.body,
        profile="comment",
        spoiler_link=links.absolute(comment.get_absolute_url()),
    ).spoiler_free_html


def email_text(comment: Comment, link: str = "") -> str:
    """The comment's Markdown, as written, with its spoilers replaced by notices.

    The notices point to ``link``, by default the comment on its post's page.
    """
    return hide_spoilers(
        comment.body,
        profile="comment",
        link=link or links.absolute(comment.get_absolute_url()),
    )
