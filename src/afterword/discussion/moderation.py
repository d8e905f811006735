"""Moderation rules: decide whether a new comment is approved, held or spam.

The rules follow WordPress's well-tried defaults, in this order:

1. the block lists (words, emails, IP addresses, domains) send it to spam,
   and so do the blocks made from the desk's comments screen (:class:`Block`),
   without telling the commenter: a spammer learns nothing from the answer;
2. the hold list and the link count hold it for the writer;
3. any extra checkers named in ``AFTERWORD_SPAM_CHECKERS`` (dotted paths to
   :class:`SpamChecker` subclasses, e.g. ``afterword.discussion.akismet.
   AkismetChecker``) may call it spam or hold it;
4. the post's author and staff are approved, and so are readers logged in
   with a *verified* identity (a social login, or a verified email address)
   when "publish logged-in readers at once" is on: an account anyone can make
   with any address proves nothing;
5. a commenter with an earlier approved comment is approved, when they can
   show it is theirs: an account, or for a guest the signed receipt the site
   gave the browser that posted it (the commenter cookie), or an email
   address confirmed by a comment subscription. A typed email address alone
   is not enough, since anyone can type it. Anyone else is held when "hold a
   first comment" is on.

The same rules judge an edited comment, without counting the comment itself
as the commenter's earlier approved one.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.utils.module_loading import import_string

from .models import Block, Comment, CommentSubscription, DiscussionSettings

_LINK = re.compile(r"https?://[^\s)>\]]+|www\.[^\s)>\]]+", re.IGNORECASE)
_HREF = re.compile(r"<a\s", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    status: str
    note: str = ""


class SpamChecker:
    """Base class for pluggable checks; return a Verdict or None (no opinion)."""

    def check(self, comment: Comment, request_meta: dict) -> Verdict | None:
        return None


def _domains_in(comment: Comment) -> set[str]:
    domains = set()
    for url in [comment.author_url, *_LINK.findall(comment.body)]:
        host = urlsplit(url if "//" in url else f"http://{url}").hostname
        if host:
            domains.add(host.lower().removeprefix("www."))
    if "@" in comment.author_email:
        domains.add(comment.author_email.rsplit("@", 1)[1].lower())
    return domains


def _ip_listed(ip: str | None, entries: list[str]) -> bool:
    if not ip:
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for entry in entries:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def _domain_listed(domains: set[str], entries: list[str]) -> str | None:
    for domain in domains:
        for entry in entries:
            entry = entry.lstrip("@.").removeprefix("www.")
            if domain == entry or domain.endswith("." + entry):
                return entry
    return None


def _word_listed(text: str, entries: list[str]) -> str | None:
    lowered = text.lower()
    for word in entries:
        if word and word in lowered:
            return word
    return None


def count_links(body: str) -> int:
    return len(_LINK.findall(body)) + len(_HREF.findall(body))


def blocklist_verdict(comment: Comment, policy: DiscussionSettings) -> Verdict | None:
    text = " ".join(
        [comment.author_name, comment.author_email, comment.author_url, comment.body]
    )
    lines = policy.lines
    if word := _word_listed(text, lines(policy.blocked_words)):
        return Verdict(Comment.Status.SPAM, f"blocked word: {word}")
    if comment.author_email.lower() in lines(policy.blocked_emails):
        return Verdict(Comment.Status.SPAM, "blocked email")
    if _ip_listed(comment.ip_address, lines(policy.blocked_ips)):
        return Verdict(Comment.Status.SPAM, "blocked IP address")
    if domain := _domain_listed(_domains_in(comment), lines(policy.blocked_domains)):
        return Verdict(Comment.Status.SPAM, f"blocked domain: {domain}")
    if block := matching_block(comment, candidate_blocks(comment)):
        return Verdict(Comment.Status.SPAM, f"blocked {block.kind}: {block.value}")
    hold = lines(policy.hold_words)
    if word := _word_listed(text, hold):
        return Verdict(Comment.Status.PENDING, f"held word: {word}")
    if _ip_listed(comment.ip_address, hold):
        return Verdict(Comment.Status.PENDING, "held IP address")
    links = count_links(comment.body)
    if links > policy.max_links:
        return Verdict(Comment.Status.PENDING, f"{links} links")
    return None


def _suffixes(domain: str) -> list[str]:
    parts = domain.split(".")
    return [".".join(parts[n:]) for n in range(len(parts))]


def candidate_blocks(comment: Comment) -> list[Block]:
    """The blocks that might match ``comment``, in one query: its email, the
    domains it names and their parents, and every address block (a network
    cannot be looked up by equality)."""
    domains = {suffix for d in _domains_in(comment) for suffix in _suffixes(d)}
    wanted = Q(kind=Block.Kind.ADDRESS) | Q(kind=Block.Kind.DOMAIN, value__in=domains)
    email = comment.author_email.strip().lower()
    if email:
        wanted |= Q(kind=Block.Kind.EMAIL, value=email)
    return list(Block.objects.filter(wanted))


def matching_block(comment: Comment, blocks) -> Block | None:
    """The first of ``blocks`` that ``comment`` falls under, or None."""
    email = comment.author_email.strip().lower()
    domains = None
    for block in blocks:
        if block.kind == Block.Kind.EMAIL and email and email == block.value:
            return block
        if block.kind == Block.Kind.ADDRESS and _ip_listed(
            comment.ip_address, [block.value]
        ):
            return block
        if block.kind == Block.Kind.DOMAIN:
            domains = _domains_in(comment) if domains is None else domains
            if _domain_listed(domains, [block.value]):
                return block
    return None


def extra_checkers() -> list[SpamChecker]:
    return [
        import_string(path)()
        for path in getattr(settings, "AFTERWORD_SPAM_CHECKERS", [])
    ]


def has_verified_identity(user) -> bool:
    """Whether an account's owner is known beyond "typed an address": staff, a
    social login (the provider vouches), or a verified email address."""
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    if user.is_staff:
        return True
    if SocialAccount.objects.filter(user_id=user.pk).exists():
        return True
    return EmailAddress.objects.filter(user_id=user.pk, verified=True).exists()


def is_known_commenter(comment: Comment, receipts=()) -> bool:
    """Whether the commenter has an earlier approved comment they can prove is
    theirs (see rule 5 above); ``comment`` itself never counts."""
    approved = Comment.objects.approved()
    if comment.pk:
        approved = approved.exclude(pk=comment.pk)
    if comment.user_id:
        return approved.filter(user_id=comment.user_id).exists()
    email = comment.author_email.strip()
    if not email:
        return False
    theirs = approved.filter(author_email__iexact=email, user__isnull=True)
    if receipts and theirs.filter(pk__in=list(receipts)).exists():
        return True
    confirmed = CommentSubscription.objects.filter(
        email__iexact=email, confirmed_at__isnull=False
    )
    return confirmed.exists() and theirs.exists()


def decide(
    comment: Comment,
    policy: DiscussionSettings,
    request_meta: dict | None = None,
    *,
    receipts=(),
    editing: bool = False,
    known: bool = False,
) -> Verdict:
    """The status a new (or, with ``editing``, an edited) comment gets, and why.

    ``known`` is the caller's proof that the commenter has an earlier
    approved comment (a fediverse account, whose requests are signed).
    """
    verdict = blocklist_verdict(comment, policy)
    if verdict is not None:
        return verdict
    for checker in extra_checkers():
        verdict = checker.check(comment, request_meta or {})
        if verdict is not None and verdict.status != Comment.Status.APPROVED:
            return verdict
    user = comment.user
    if comment.is_post_author or (user is not None and user.is_staff):
        return Verdict(Comment.Status.APPROVED)
    if user is not None and policy.trust_logged_in and has_verified_identity(user):
        return Verdict(Comment.Status.APPROVED)
    if not policy.hold_first_comment or known or is_known_commenter(comment, receipts):
        return Verdict(Comment.Status.APPROVED)
    if editing:
        return Verdict(Comment.Status.PENDING, "edited; first approved comment")
    return Verdict(Comment.Status.PENDING, "first comment")
