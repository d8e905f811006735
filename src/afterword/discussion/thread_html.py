"""A thread's HTML written in Python: ``discussion/thread.html`` without the
template engine, for the theme's own copy of that template.

Comments are the most repeated markup of the site: a whole-site static build
prints every comment once, and the template engine spends about as long on
a ten-comment thread as on the rest of its post page. ``render`` writes the
bytes the shipped template writes (tests/discussion/test_thread_html.py
renders both and compares), and is used only while that template is the
one in force: a site that overrides ``discussion/thread.html`` in its
templates folder gets its own template, rendered as usual.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from pathlib import Path

from django.template.loader import get_template, render_to_string
from django.utils.translation import gettext, pgettext

from afterword.core.staticcopy import under_prefix

TEMPLATE = "discussion/thread.html"
SHIPPED = Path(__file__).resolve().parent / "templates" / TEMPLATE


def render(items, post_url: str) -> str:
    """The thread's HTML, through whichever ``thread.html`` is in force."""
    if not _is_shipped(get_template(TEMPLATE).origin.name):
        return render_to_string(TEMPLATE, {"items": items, "post_url": post_url})
    return write(items, post_url)


@lru_cache(maxsize=8)
def _is_shipped(name: str) -> bool:
    # Resolving the name reads each of its folders: asked once per name.
    return Path(name).resolve() == SHIPPED


def write(items, post_url: str) -> str:
    """What the shipped template renders for ``items``."""
    if not items:
        return "\n"
    out = ['<ol class="comment-list">']
    post_url = escape(post_url)
    # The template's {% trans %} strings, looked up once per thread; trans
    # output is escaped, blocktrans text is not (only its variables are).
    author_badge = (
        ' <span class="author-badge">'
        f"{escape(pgettext('comment badge', 'Author'))}</span>"
    )
    edited = f' <span class="comment-edited">{escape(gettext("(edited)"))}</span>'
    reply = escape(gettext("Reply"))
    reply_to = gettext("Reply to %(name)s")
    for item in items:
        c = item.comment
        anchor = escape(item.anchor)
        name = escape(c.author_name)
        out.append(
            f'<li id="{anchor}" class="comment'
            f'{" by-post-author" if c.is_post_author else ""}">'
            f'<article class="comment-body" aria-labelledby="{anchor}-author">\n'
            '<header class="comment-meta"><img class="avatar" '
            f'src="{escape(item.avatar)}" alt="" width="48" height="48" '
            'loading="lazy">\n'
            f'<b class="comment-author" id="{anchor}-author">'
        )
        if c.author_url:
            out.append(
                f'<a href="{escape(c.author_url)}" '
                f'rel="external nofollow ugc noopener">{name}</a>'
            )
        else:
            out.append(name)
        handle = (
            f' <span class="comment-handle">{escape(c.author_handle)}</span>'
            if c.author_handle
            else ""
        )
        out.append(
            f"</b>{handle}{author_badge if c.is_post_author else ''}\n"
            f'<a class="comment-permalink" href="{post_url}#{anchor}">'
            f'<time datetime="{escape(item.machine_time)}">'
            f"{escape(item.shown_time)}</time></a>"
            f"{edited if c.edited_at else ''}"
            "</header>\n"
            f'<div class="comment-content">{under_prefix(c.body_html)}</div>'
        )
        if item.can_reply:
            item_id = escape(item.id)
            out.append(
                "\n"
                '<p class="reply"><a class="comment-reply-link" '
                f'href="?replytocom={item_id}#respond" data-parent="{item_id}" '
                f'data-author="{name}" rel="nofollow"><span aria-hidden="true">'
                f'{reply}</span><span class="visually-hidden">'
                f"{reply_to % {'name': name}}</span></a></p>"
            )
        out.append("\n</article>")
        if item.opens:
            out.append('<ol class="children">')
        else:
            out.append("</li>" + "</ol></li>" * len(item.closes))
        out.append("\n")
    out.append("</ol>\n")
    return "".join(out)
