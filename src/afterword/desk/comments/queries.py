"""What the comments screen reads: the writer's comments, counts per tab, and
each commenter's history and trust, in a fixed number of queries per page.

Nothing here writes; the screen's buttons call ``discussion.actions``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from afterword.core.counting import CappedCount, capped_counts
from afterword.discussion.models import Block, Comment
from afterword.discussion.moderation import matching_block

Status = Comment.Status

# The tabs, in WordPress's order: the queue first. "All" is what readers can
# or could see (held and approved), as in WordPress: spam and trash stay apart.
TABS = (
    ("pending", _("Pending"), (Status.PENDING,)),
    ("approved", _("Approved"), (Status.APPROVED,)),
    ("spam", _("Spam"), (Status.SPAM,)),
    ("trash", _("Trash"), (Status.TRASH,)),
    ("all", _("All"), (Status.PENDING, Status.APPROVED)),
)
TAB_STATUSES = {key: statuses for key, _label, statuses in TABS}
DEFAULT_TAB = "pending"


def can_moderate_all(user) -> bool:
    return user.has_perm("discussion.change_comment")


def visible_to(user):
    """The comments ``user`` moderates: all of them, or an author's own posts'."""
    comments = Comment.objects.all()
    if not can_moderate_all(user):
        comments = comments.filter(post__author_id=user.pk)
    return comments


def tab_counts(user) -> dict[str, CappedCount]:
    """Comments per tab, each counted up to ``counting.CAP``, in one query:
    a million approved comments cost what ten thousand do."""
    visible = visible_to(user)
    return capped_counts(
        {
            key: visible.filter(status__in=statuses)
            for key, statuses in TAB_STATUSES.items()
        }
    )


def tab_list(user, counts: dict[str, int], current: str) -> list[dict]:
    return [
        {"key": key, "label": label, "count": counts[key], "current": key == current}
        for key, label, _statuses in TABS
    ]


def comments_for_tab(user, tab: str, search: str = ""):
    comments = (
        visible_to(user)
        .filter(status__in=TAB_STATUSES[tab])
        .select_related("post", "user", "parent")
        .order_by("-created_at", "-id")
    )
    if search:
        comments = comments.filter(
            Q(author_name__icontains=search)
            | Q(author_email__icontains=search)
            | Q(author_url__icontains=search)
            | Q(body__icontains=search)
            | Q(ip_address__startswith=search)
        )
    return comments


def belongs_to(tab: str, status: str) -> bool:
    return status in TAB_STATUSES.get(tab, ())


@dataclass
class History:
    """A commenter's comments by status, across the site."""

    counts: Counter = field(default_factory=Counter)

    def parts(self) -> list[tuple[str, int]]:
        return [
            (status, self.counts[status])
            for status in (Status.APPROVED, Status.PENDING, Status.SPAM, Status.TRASH)
            if self.counts[status]
        ]


def _identity(comment: Comment):
    if comment.user_id:
        return ("user", comment.user_id)
    email = comment.author_email.strip().lower()
    return ("email", email) if email else None


def annotate_rows(comments: list[Comment]) -> list[Comment]:
    """Give each comment ``history``, ``trust`` and ``block`` for its row.

    Four queries whatever the number of comments: the history of every
    commenter on the page (grouped), the social logins and verified
    addresses of their accounts, and the blocks.
    """
    user_ids = {c.user_id for c in comments if c.user_id}
    emails = {
        c.author_email.strip().lower()
        for c in comments
        if not c.user_id and c.author_email.strip()
    }
    histories: dict = {}
    if user_ids or emails:
        rows = (
            Comment.objects.annotate(email=Lower("author_email"))
            .filter(Q(user_id__in=user_ids) | Q(user__isnull=True, email__in=emails))
            .order_by()
            .values("user_id", "email", "status")
            .annotate(n=Count("id"))
        )
        for row in rows:
            key = (
                ("user", row["user_id"]) if row["user_id"] else ("email", row["email"])
            )
            histories.setdefault(key, History()).counts[row["status"]] += row["n"]
    vouched = set()
    if user_ids:
        vouched |= set(
            SocialAccount.objects.filter(user_id__in=user_ids).values_list(
                "user_id", flat=True
            )
        )
        vouched |= set(
            EmailAddress.objects.filter(
                user_id__in=user_ids, verified=True
            ).values_list("user_id", flat=True)
        )
    blocks = list(Block.objects.all()) if comments else []
    for comment in comments:
        key = _identity(comment)
        comment.history = histories.get(key, History()) if key else History()
        comment.trust = _trust(comment, vouched)
        comment.block = matching_block(comment, blocks)
        comment.block_domain = block_value(comment, Block.Kind.DOMAIN)
    return comments


def block_value(comment: Comment, kind: str) -> str:
    """What of ``comment``'s commenter a block of ``kind`` names ("" if none)."""
    if kind == Block.Kind.ADDRESS:
        return comment.ip_address or ""
    if kind == Block.Kind.EMAIL:
        return comment.author_email
    if kind == Block.Kind.DOMAIN:
        if "@" in comment.author_email:
            return comment.author_email.rsplit("@", 1)[1].lower()
        return urlsplit(comment.author_url).hostname or ""
    return ""


TRUST_LABELS = {
    "verified": _("Verified account"),
    "account": _("Account, not verified"),
    "known": _("Known guest"),
    "first": _("First-time commenter"),
    "anonymous": _("No email given"),
}


def _trust(comment: Comment, vouched: set) -> dict:
    """How far the site trusts the commenter (``discussion.moderation``'s rules).

    Fediverse identities are not kept apart yet: a reply from the fediverse
    shows as a guest.
    """
    if comment.user_id:
        user = comment.user
        key = "verified" if user.is_staff or user.pk in vouched else "account"
    elif not comment.author_email.strip():
        key = "anonymous"
    else:
        others = comment.history.counts[Status.APPROVED] - (
            comment.status == Status.APPROVED
        )
        key = "known" if others > 0 else "first"
    return {"key": key, "label": TRUST_LABELS[key]}
