"""Every change to comments and to the discussion settings, as named actions.

The comment view, the admin's moderation queue (form, bulk actions,
"delete"), the signed email links, the importers and the demo loader all call
these, so a comment approved from an email behaves exactly like one approved
in the admin. Request-level defences (form token, honeypot, origin, flood per
address) stay in the view (``defences.screen``); everything about the
comment itself (closed posts, the flood per commenter, replies, duplicates,
moderation) is here. Threads and cached pages follow from the declared models
(``discussion.apps``): an action never invalidates anything itself.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email, validate_ipv46_address
from django.utils import timezone
from django.utils.translation import gettext as _

from afterword.core import changes
from afterword.core.actions import Action, DeleteObject, SaveObject
from afterword.core.markdown import render_markdown

from . import defences, notifications, rules
from .defences import Refused
from .models import Block, Comment, DiscussionSettings
from .moderation import decide, matching_block
from .signals import comment_approved, comment_held


@dataclass
class CommentInput:
    """A commenter's submission after form validation."""

    body: str
    name: str = ""
    email: str = ""
    url: str = ""
    parent_id: int | None = None
    notify_replies: bool = False
    subscribe: bool = False


def render_body(body: str) -> str:
    return render_markdown(body, profile="comment").html


def announce_status(comment: Comment) -> None:
    """Tell listeners that ``comment`` is now held or approved (after commit)."""
    if comment.status == Comment.Status.PENDING:
        comment_held.send(sender=Comment, comment=comment)
    elif comment.status == Comment.Status.APPROVED:
        comment_approved.send(sender=Comment, comment=comment)


def _identity(user, data: CommentInput) -> str:
    return (
        f"user:{user.pk}" if user is not None else f"email:{data.email.strip().lower()}"
    )


class PostComment(Action):
    """A reader's comment, through the moderation rules; ``Refused`` if not.

    ``receipts`` are the ids of comments this browser posted before (from the
    signed commenter cookie): proof, unlike a typed email address, that the
    guest is the one whose earlier comment was approved. The returned
    comment's ``status`` says whether it is visible now or held.
    """

    name = "discussion.post_comment"

    def __init__(
        self,
        post,
        data: CommentInput,
        *,
        user=None,
        ip: str | None = None,
        user_agent: str = "",
        provider_name: str = "",
        receipts=(),
    ):
        if user is not None and not user.is_authenticated:
            user = None
        super().__init__(user=user)
        self.post, self.data = post, data
        self.ip, self.user_agent = ip, user_agent
        self.provider_name = provider_name
        self.receipts = tuple(receipts)

    def check(self) -> None:
        policy = self.policy = DiscussionSettings.load()
        reason = rules.closed_reason(self.post, policy)
        if reason:
            raise Refused(reason, status=403, keep_form=False)
        defences.hit(
            "identity",
            _identity(self.user, self.data),
            defences.Limit(policy.flood_identity_limit, policy.flood_window_seconds),
            _("You are commenting too fast. Please wait a few minutes and try again."),
        )
        parent = self.parent = rules.parent_for(self.post, self.data.parent_id, policy)
        user, data = self.user, self.data
        body = data.body.strip()
        self.comment = Comment(
            post=self.post,
            parent=parent,
            depth=parent.depth + 1 if parent else 0,
            user=user,
            author_name=(user.public_name if user else data.name.strip())[:100],
            author_email=(user.email if user else data.email.strip()) or "",
            author_url=(user.website if user else data.url.strip()) or "",
            provider_name=self.provider_name[:60],
            body=body,
            body_html=render_body(body),
            is_post_author=user is not None and user.pk == self.post.author_id,
            notify_replies=data.notify_replies,
            ip_address=self.ip or None,
            user_agent=self.user_agent[:255],
        )
        duplicate = Comment.objects.filter(post=self.post, body=body).exclude(
            status=Comment.Status.TRASH
        )
        duplicate = (
            duplicate.filter(user=user)
            if user
            else duplicate.filter(author_email__iexact=self.comment.author_email)
        )
        if duplicate.exists():
            raise Refused(
                _("It looks like you have already said that."),
                status=409,
                keep_form=False,
            )

    def execute(self) -> Comment:
        comment, policy = self.comment, self.policy
        verdict = decide(
            comment,
            policy,
            {"ip": self.ip, "user_agent": self.user_agent},
            receipts=self.receipts,
        )
        comment.status = verdict.status
        comment.moderation_note = verdict.note[:200]
        comment.save()
        if comment.status != Comment.Status.SPAM:
            notifications.comment_received(comment, policy)
        if comment.status == Comment.Status.APPROVED:
            notifications.comment_published(comment)
        if self.data.subscribe and comment.author_email:
            notifications.request_subscription(self.post, comment.author_email)
        return comment

    def announce(self, comment: Comment) -> None:
        announce_status(comment)


class EditOwnComment(Action):
    """A commenter rewrites their own comment (rights checked by the caller,
    ``rules.can_edit``), and the moderation rules judge the new text.

    An approved comment edited into something the rules would hold (a link
    farm, a held word) is held again; the comment itself does not count as
    the commenter's earlier approved one.
    """

    name = "discussion.edit_own_comment"

    def __init__(self, comment: Comment, body: str, *, user=None, receipts=()):
        super().__init__(user=user)
        self.comment, self.body = comment, body.strip()
        self.receipts = tuple(receipts)

    def execute(self) -> Comment:
        comment = self.comment
        self.previous = comment.status
        comment.body = self.body
        comment.body_html = render_body(self.body)
        comment.edited_at = timezone.now()
        if comment.status in (Comment.Status.APPROVED, Comment.Status.PENDING):
            verdict = decide(
                comment,
                DiscussionSettings.load(),
                {"ip": comment.ip_address, "user_agent": comment.user_agent},
                receipts=self.receipts,
                editing=True,
            )
            comment.status = verdict.status
            comment.moderation_note = verdict.note[:200]
        comment.save(
            update_fields=[
                "body",
                "body_html",
                "edited_at",
                "status",
                "moderation_note",
            ]
        )
        return comment

    def announce(self, comment: Comment) -> None:
        if comment.status != self.previous:
            announce_status(comment)


class EditComment(SaveObject):
    """The writer corrects a comment's text from the admin (no new moderation:
    the writer is the moderator)."""

    name = "discussion.edit_comment"

    def validate(self) -> None:
        pass

    def execute(self) -> Comment:
        comment = self.instance
        comment.body = comment.body.strip()
        comment.body_html = render_body(comment.body)
        comment.save()
        return comment


class ModerationCheck:
    """Refuse a moderator who may not touch this comment (``rules.may_moderate``:
    an author moderates the comments on their own posts only)."""

    def check(self) -> None:
        if not rules.may_moderate(self.user, self.comment, self.required_permission()):
            raise PermissionDenied(f"You are not allowed to {self.describe()}.")


class SetCommentStatus(ModerationCheck, Action):
    """Move a comment to another status (approve, spam, trash).

    A conditional UPDATE, so two moderators clicking at once change it once;
    the caller learns whether this run changed it.
    """

    status: str = ""
    permission = "discussion.change_comment"

    def __init__(self, comment: Comment, *, user=None):
        super().__init__(user=user)
        self.comment = comment

    def execute(self) -> bool:
        comment = self.comment
        previous = comment.status
        if previous == self.status:
            return False
        updated = Comment.objects.filter(pk=comment.pk, status=previous).update(
            status=self.status
        )
        if not updated:
            return False
        comment.status = self.status
        # A queryset UPDATE sends no model signal: report it. Only a move
        # into or out of "approved" changes what readers see.
        if Comment.Status.APPROVED in (previous, self.status):
            changes.record(Comment, [], instances=[comment])
        self.after_change(comment)
        return True

    def after_change(self, comment: Comment) -> None:
        pass

    def announce(self, changed: bool) -> None:
        if changed:
            announce_status(self.comment)


class ApproveComment(SetCommentStatus):
    """Publish a held (or spam/trashed) comment and notify who should hear."""

    name = "discussion.approve_comment"
    status = Comment.Status.APPROVED

    def after_change(self, comment: Comment) -> None:
        notifications.comment_published(comment)


class SpamComment(SetCommentStatus):
    name = "discussion.spam_comment"
    status = Comment.Status.SPAM


class TrashComment(SetCommentStatus):
    name = "discussion.trash_comment"
    status = Comment.Status.TRASH


class UnapproveComment(SetCommentStatus):
    """Take an approved comment off the page and back to the queue."""

    name = "discussion.unapprove_comment"
    status = Comment.Status.PENDING


class RestoreComment(SetCommentStatus):
    """Bring a comment back from spam or the trash, into the queue to be
    judged again (its earlier status is not kept)."""

    name = "discussion.restore_comment"
    status = Comment.Status.PENDING

    def check(self) -> None:
        super().check()
        if self.comment.status not in (Comment.Status.SPAM, Comment.Status.TRASH):
            raise ValidationError("Only spam or trashed comments can be restored.")


class DeleteOwnComment(TrashComment):
    """A commenter removes their own comment (to the trash, where the writer
    can still see it); rights checked by the caller (``rules.can_edit``)."""

    name = "discussion.delete_own_comment"
    permission = ""


class DeleteComment(ModerationCheck, DeleteObject):
    """Delete a comment for good, with the replies under it."""

    name = "discussion.delete_comment"

    @property
    def comment(self) -> Comment:
        return self.instance


class ReplyToComment(ModerationCheck, Action):
    """The writer answers a comment; a held parent is approved first."""

    name = "discussion.reply_to_comment"
    permission = "discussion.change_comment"

    def __init__(self, parent: Comment, body: str, *, user):
        super().__init__(user=user)
        self.parent, self.body = parent, body.strip()
        self.comment = parent

    def check(self) -> None:
        super().check()
        if not self.body:
            raise ValidationError("Write something to reply with.")

    def execute(self) -> Comment:
        parent, user = self.parent, self.user
        if parent.status != Comment.Status.APPROVED:
            ApproveComment(parent, user=user).run()
        depth_parent = rules.within_depth(parent, DiscussionSettings.load())
        comment = Comment(
            post=parent.post,
            parent=depth_parent,
            depth=depth_parent.depth + 1 if depth_parent else 0,
            user=user,
            author_name=user.public_name,
            author_email=user.email,
            author_url=user.website,
            body=self.body,
            body_html=render_body(self.body),
            is_post_author=user.pk == parent.post.author_id,
            status=Comment.Status.APPROVED,
        )
        comment.save()
        notifications.comment_published(comment)
        return comment

    def announce(self, comment: Comment) -> None:
        announce_status(comment)


class AddComment(Action):
    """Store a comment as given, with no moderation and no emails.

    For importers and the demo: the comment was already moderated elsewhere.
    """

    name = "discussion.add_comment"

    def __init__(
        self,
        post,
        *,
        name: str,
        body: str,
        email: str = "",
        url: str = "",
        parent: Comment | None = None,
        user=None,
        created_at=None,
        status: str = Comment.Status.APPROVED,
    ):
        super().__init__(user=None)
        self.comment = Comment(
            post=post,
            parent=parent,
            depth=parent.depth + 1 if parent else 0,
            user=user,
            author_name=name[:100],
            author_email=email,
            author_url=url,
            body=body.strip(),
            body_html=render_body(body.strip()),
            is_post_author=user is not None and user.pk == post.author_id,
            status=status,
            created_at=created_at or timezone.now(),
        )

    def execute(self) -> Comment:
        self.comment.save()
        return self.comment


class AddCommentsInBulk(Action):
    """Store many already-moderated comments at once (an import): one INSERT.

    Parents must be stored before their replies (an importer writes a reply
    level at a time). No moderation and no emails, as :class:`AddComment`.
    """

    name = "discussion.add_comments_in_bulk"

    def __init__(self, comments):
        super().__init__(user=None)
        self.comments = list(comments)

    def execute(self) -> list[Comment]:
        made = Comment.objects.bulk_create(self.comments)
        # bulk_create sends no model signals: report what readers will see.
        approved = [c for c in made if c.status == Comment.Status.APPROVED]
        changes.record(Comment, [], instances=approved)
        return made


class UpdateDiscussionSettings(SaveObject):
    """The writer's comment policy (one row): comments on or off site-wide,
    moderation, block lists, flood limits."""

    name = "discussion.update_settings"


# ---------------------------------------------------------------------------
# Short ways in


def submit_comment(post, data: CommentInput, **kwargs) -> Comment:
    return PostComment(post, data, **kwargs).run()


def approve(comment: Comment, *, user=None) -> bool:
    return ApproveComment(comment, user=user).run()


def mark_spam(comment: Comment, *, user=None) -> bool:
    return SpamComment(comment, user=user).run()


def trash(comment: Comment, *, user=None) -> bool:
    return TrashComment(comment, user=user).run()


def reply(parent: Comment, user, body: str) -> Comment:
    return ReplyToComment(parent, body, user=user).run()


def edit_own(comment: Comment, body: str, *, receipts=()) -> Comment:
    return EditOwnComment(comment, body, receipts=receipts).run()


def delete_own(comment: Comment) -> bool:
    return DeleteOwnComment(comment).run()


def add_comment(post, **kwargs) -> Comment:
    return AddComment(post, **kwargs).run()


# ---------------------------------------------------------------------------
# Blocking commenters (the desk's comments screen)


def normalise_block(kind: str, value: str) -> str:
    """``value`` as stored for a block of ``kind``; ValidationError if it is
    not an address (or network), an email address, or a domain."""
    value = value.strip().lower()
    if not value:
        raise ValidationError("Say what to block.")
    if kind == Block.Kind.ADDRESS:
        try:
            if "/" in value:
                return str(ipaddress.ip_network(value, strict=False))
            validate_ipv46_address(value)
        except (ValueError, ValidationError):
            raise ValidationError(
                f"“{value}” is not an IP address or network."
            ) from None
        return str(ipaddress.ip_address(value))
    if kind == Block.Kind.EMAIL:
        validate_email(value)
        return value
    if kind == Block.Kind.DOMAIN:
        domain = value.split("@")[-1].lstrip(".").removeprefix("www.")
        labels = domain.split(".")
        if len(labels) < 2 or not all(
            label and len(label) < 64 and label.replace("-", "").isalnum()
            for label in labels
        ):
            raise ValidationError(f"“{value}” is not a domain.")
        return domain
    raise ValidationError("Choose an address, an email or a domain to block.")


class BlockCommenter(Action):
    """Block an address, email or domain: later comments from it go to spam.

    With ``spam_held`` the held comments it matches go to spam at once too.
    Blocking what is already blocked changes nothing. Returns the block, and
    how many held comments were moved to spam.
    """

    name = "discussion.block_commenter"
    permission = "discussion.add_block"

    def __init__(
        self, kind: str, value: str, *, note: str = "", spam_held=False, user=None
    ):
        super().__init__(user=user)
        self.kind, self.raw_value = kind, value or ""
        self.note, self.spam_held = note.strip()[:200], spam_held

    def check(self) -> None:
        super().check()
        self.value = normalise_block(self.kind, self.raw_value)

    def execute(self) -> tuple[Block, int]:
        block, _created = Block.objects.get_or_create(
            kind=self.kind,
            value=self.value,
            defaults={"note": self.note, "created_by": self.user},
        )
        spammed = 0
        if self.spam_held:
            for comment in Comment.objects.held().select_related("post"):
                if matching_block(comment, [block]):
                    spammed += SpamComment(comment, user=None).run()
        return block, spammed


class Unblock(Action):
    """Lift a block: comments from it are judged like anyone's again."""

    name = "discussion.unblock"
    permission = "discussion.delete_block"

    def __init__(self, block: Block, *, user=None):
        super().__init__(user=user)
        self.block = block

    def execute(self) -> Block:
        Block.objects.filter(pk=self.block.pk).delete()
        return self.block
