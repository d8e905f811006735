"""Template tags the theme uses to show discussions.

``{% comments_section post %}``  the whole "Leave a Reply" section of a post
``{% contact_form author %}``    the "Contact" form of an author's profile
``{% comment_count post %}``     the approved comment count of a post in a
                                 listing: one query for the whole page's posts
"""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import quote

from django import template
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from afterword.core import memo, staticcopy
from afterword.core.numbers import ascii_number
from afterword.core.urls import cached_reverse, site_path
from afterword.pagecache.fragments import content_version, fragment_cache_enabled

from .. import cookies, defences, rules, splice
from ..contact import accepts_messages
from ..models import Comment, DiscussionSettings
from ..providers import login_choices
from ..threads import remember, render_thread

register = template.Library()

COUNTS_KEY = "_afterword_comment_counts"
TOKEN_REUSE_SECONDS = 60
# Whole sections of plain anonymous readers, per process (see comments_section).
_PLAIN_SECTIONS: dict[tuple, list[bytes]] = {}
# Stand-ins for the per-request parts of a cached section.
THREAD_MARK = "\x00afterword-thread\x00"
TOKEN_MARK = "\x00afterword-token\x00"
NONCE_MARK = "\x00afterword-nonce\x00"


def _own_comments(request, post, policy) -> list[Comment]:
    """This reader's comments on ``post`` that only they see something of:
    held ones (shown to them and nobody else) and published ones they may
    still edit."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        mine = Comment.objects.filter(post=post, user=user)
    else:
        ids = cookies.guest_comment_ids(request)
        if not ids:
            return []
        mine = Comment.objects.filter(post=post, pk__in=ids, user__isnull=True)
    editable_since = timezone.now() - timedelta(minutes=policy.edit_minutes)
    return list(
        mine.filter(
            Q(status=Comment.Status.PENDING)
            | Q(status=Comment.Status.APPROVED, created_at__gte=editable_since)
        ).order_by("created_at", "id")
    )


@register.simple_tag(takes_context=True)
def comments_section(context, post) -> str:
    """The discussion of ``post``: thread, the reader's held comments, the form.

    Most readers are anonymous and see the same section except for its form
    token and script nonce, so that rendering is kept with the cached thread
    and only those two values are put in per request. Within one content
    version, a process also keeps the whole section of such readers, its form
    token renewed every ``TOKEN_REUSE_SECONDS`` (pages from the page cache
    carry older tokens still; the form's script fetches a fresh one).
    """
    request = context.get("request")
    nonce = staticcopy.nonce_of(request)
    if not (nonce and fragment_cache_enabled() and _plain_reader(request)):
        return _section(request, post, nonce)
    key = (
        content_version(request),
        post.pk,
        int(time.time() // TOKEN_REUSE_SECONDS),
    )
    pieces = _PLAIN_SECTIONS.get(key)
    if pieces is None:
        # Kept encoded and cut at the nonce's places: putting it back is one
        # join, not a search through a long thread's 300 KB per request.
        html = _section(request, post, NONCE_MARK)
        pieces = [piece.encode() for piece in html.split(NONCE_MARK)]
        if len(_PLAIN_SECTIONS) >= 512:
            # Entries of past versions are never read again.
            _PLAIN_SECTIONS.clear()
        _PLAIN_SECTIONS[key] = pieces
    section = nonce.encode().join(pieces)
    if splice.active(request):
        # Put into the page's bytes once it is rendered (see ``splice``).
        return mark_safe(splice.later(request, section))
    return mark_safe(section.decode())


def _plain_reader(request) -> bool:
    """An anonymous reader with no comments of their own and no reply open."""
    if request is None:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return not request.GET.get("replytocom") and not cookies.guest_comment_ids(request)


def _section(request, post, nonce: str) -> str:
    policy = DiscussionSettings.load()
    closed = rules.closed_reason(post, policy)
    # A static copy with no server to post to shows the thread alone: no
    # form, no reply buttons, no login choices, nothing to say about it.
    accepts = staticcopy.has_server(request)
    thread = render_thread(
        post,
        is_open=closed is None and accepts,
        policy=policy,
        keep=not getattr(request, memo.ONCE_ATTRIBUTE, False),
    )
    if (closed or not accepts) and not thread["count"]:
        return ""
    user = getattr(request, "user", None)
    logged_in = user is not None and user.is_authenticated
    reply_to = request.GET.get("replytocom", "") if request is not None else ""
    reply_to = reply_to if ascii_number(reply_to) else ""
    own = _own_comments(request, post, policy) if request is not None else []
    choices = [] if logged_in or closed or not accepts else login_choices(request)
    # A static copy's form gets its token from the server when a reader
    # starts writing: the copy's bytes stay the same from build to build.
    token = "" if staticcopy.of(request) else defences.make_token(f"post:{post.pk}")
    if logged_in or own or reply_to or not accepts:
        return _render_section(
            request,
            post,
            policy,
            thread["html"],
            thread["count"],
            closed,
            token,
            nonce,
            reply_to=reply_to,
            own=own,
            logged_in=logged_in,
            choices=choices,
            accepts_comments=accepts,
        )
    signature = "|".join(choice.id for choice in choices)
    shell = thread.get("shell")
    if shell is None or shell[0] != signature:
        rendered = _render_section(
            request,
            post,
            policy,
            THREAD_MARK,
            thread["count"],
            closed,
            TOKEN_MARK,
            NONCE_MARK,
            reply_to="",
            own=[],
            logged_in=False,
            choices=choices,
        )
        head, tail = rendered.split(THREAD_MARK, 1)
        shell = thread["shell"] = (signature, head, tail)
        remember(thread)
    _, head, tail = shell
    # Our own rendering; the values put in are a signed token and a nonce.
    return mark_safe(
        head
        + thread["html"]
        + tail.replace(TOKEN_MARK, token).replace(NONCE_MARK, nonce)
    )


def _render_section(
    request,
    post,
    policy,
    thread_html,
    count,
    closed,
    token,
    nonce,
    *,
    reply_to,
    own,
    logged_in,
    choices,
    accepts_comments=True,
) -> str:
    post_url = post.get_absolute_url()
    # Where a login brings the reader back: a path on the server's site.
    next_url = quote(site_path(post_url) + "#respond")
    context_data = {
        "post": post,
        "post_url": post_url,
        "thread_html": mark_safe(thread_html),  # our own cached rendering
        "count": count,
        "closed": closed,
        "policy": policy,
        "token": token,
        "nonce": nonce,
        "honeypot": defences.HONEYPOT_FIELD,
        "parent_value": reply_to,
        "data": {},
        "own_comments": [c for c in own if c.status == Comment.Status.PENDING],
        "editable_comments": [c for c in own if c.status == Comment.Status.APPROVED],
        "logged_in": logged_in,
        "provider_name": request.session.get("afterword_login_provider", "")
        if logged_in
        else "",
        "accepts_comments": accepts_comments and not closed,
        # (choice, its link, where its form goes): on the server, for a
        # static copy that has one.
        "login_choices": [
            (
                choice,
                f"{staticcopy.server_address(request, choice.login_url)}"
                f"?process=login&next={next_url}",
                staticcopy.server_address(request, choice.login_url),
            )
            for choice in choices
        ],
        "next_url": next_url,
        "feed_url": cached_reverse("discussion:post-feed-atom", post_id=post.pk),
        "contact_url": f"{post.author.get_absolute_url()}#contact-title"
        if accepts_messages(post.author) and staticcopy.has_server(request)
        else "",
    }
    return render_to_string("discussion/section.html", context_data, request=request)


@register.simple_tag(takes_context=True)
def contact_form(context, author) -> str:
    """The contact form of an author's profile, if they accept messages."""
    from ..contact import purpose

    request = context.get("request")
    # Not on a static copy with no server to send the message to.
    if not accepts_messages(author) or not staticcopy.has_server(request):
        return ""
    token = "" if staticcopy.of(request) else defences.make_token(purpose(author))
    return render_to_string(
        "discussion/contact_form.html",
        {"author": author, "token": token, "data": {}},
        request=request,
    )


@register.simple_tag(takes_context=True)
def comment_count(context, post) -> int:
    """Approved comments of ``post``; counts every post on the page at once."""
    counts = context.get(COUNTS_KEY)
    if counts is None:
        posts = context.get("posts") or context.get("object_list") or [post]
        ids = {getattr(item, "pk", None) for item in posts} | {post.pk}
        counts = dict(
            Comment.objects.filter(post_id__in=ids, status=Comment.Status.APPROVED)
            .values("post_id")
            .annotate(n=Count("id"))
            .values_list("post_id", "n")
        )
        # Stored at the root of the context so every iteration of the
        # listing's loop finds it.
        context.dicts[0][COUNTS_KEY] = counts
    elif post.pk not in counts and not any(
        getattr(item, "pk", None) == post.pk for item in context.get("posts") or []
    ):
        counts[post.pk] = Comment.objects.filter(
            post_id=post.pk, status=Comment.Status.APPROVED
        ).count()
    return counts.get(post.pk, 0)
