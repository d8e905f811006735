"""Every change the fediverse makes, or the writer makes about it, as actions.

The inbox (``inbox.py``) runs these once a request's signature, actor and
blocks are checked; the desk runs the follower, block and settings ones.
Comments that arrive from the fediverse go through the same moderation
rules as any comment (``discussion.moderation.decide``); an account with an
earlier approved comment is trusted like a known guest, since its requests
are signed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from afterword.core.actions import Action
from afterword.core.sanitize import clean_html
from afterword.discussion.actions import announce_status
from afterword.discussion.models import Comment, DiscussionSettings
from afterword.discussion.moderation import decide

from . import outgoing
from .models import (
    Block,
    FediverseComment,
    Follower,
    LocalActor,
    Reaction,
    RemoteActor,
)

MAX_COMMENT = 20_000


class AddFollower(Action):
    """A Follow arrived: record it, and Accept at once unless the writer
    approves followers by hand."""

    name = "federation.add_follower"

    def __init__(self, actor: LocalActor, remote: RemoteActor, follow_id: str):
        super().__init__()
        self.actor, self.remote, self.follow_id = actor, remote, follow_id

    def execute(self) -> Follower:
        state = (
            Follower.State.PENDING
            if self.actor.approve_followers
            else Follower.State.ACCEPTED
        )
        follower, created = Follower.objects.get_or_create(
            actor=self.actor,
            remote=self.remote,
            defaults={"state": state, "follow_id": self.follow_id},
        )
        if not created:
            # A Follow sent again: answer it, keeping what was decided.
            Follower.objects.filter(pk=follower.pk).update(follow_id=self.follow_id)
            follower.follow_id = self.follow_id
        return follower

    def announce(self, follower: Follower) -> None:
        if follower.state == Follower.State.ACCEPTED:
            outgoing.accept_follow(follower)


class ApproveFollower(Action):
    name = "federation.approve_follower"

    def __init__(self, follower: Follower, *, user=None):
        super().__init__(user=user)
        self.follower = follower

    def check(self) -> None:
        check_owner(self.user, self.follower.actor)

    def execute(self) -> Follower:
        Follower.objects.filter(pk=self.follower.pk).update(
            state=Follower.State.ACCEPTED
        )
        self.follower.state = Follower.State.ACCEPTED
        return self.follower

    def announce(self, follower: Follower) -> None:
        outgoing.accept_follow(follower)


class RemoveFollower(Action):
    """The writer refuses or removes a follower (a Reject tells them)."""

    name = "federation.remove_follower"

    def __init__(self, follower: Follower, *, user=None):
        super().__init__(user=user)
        self.follower = follower

    def check(self) -> None:
        check_owner(self.user, self.follower.actor)

    def execute(self) -> Follower:
        self.follower.delete()
        return self.follower

    def announce(self, follower: Follower) -> None:
        outgoing.reject_follow(follower)


class Unfollow(Action):
    """An Undo(Follow) arrived."""

    name = "federation.unfollow"

    def __init__(self, remote: RemoteActor, actor: LocalActor | None):
        super().__init__()
        self.remote, self.actor = remote, actor

    def execute(self) -> int:
        follows = Follower.objects.filter(remote=self.remote)
        if self.actor is not None:
            follows = follows.filter(actor=self.actor)
        return follows.delete()[0]


class SetFollowerApproval(Action):
    name = "federation.set_follower_approval"

    def __init__(self, actor: LocalActor, approve: bool, *, user=None):
        super().__init__(user=user)
        self.actor, self.approve = actor, approve

    def check(self) -> None:
        check_owner(self.user, self.actor)

    def execute(self) -> LocalActor:
        LocalActor.objects.filter(pk=self.actor.pk).update(
            approve_followers=self.approve
        )
        self.actor.approve_followers = self.approve
        return self.actor


def check_owner(user, actor: LocalActor) -> None:
    """Writers manage their own actor; administrators manage every one."""
    if user is None or user.is_superuser:
        return
    if actor.user_id != user.pk:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("That is another writer's fediverse account."))


# Comments -------------------------------------------------------------------


def comment_html(content: str) -> str:
    return clean_html(content[:MAX_COMMENT], profile="comment")


class ReceiveReply(Action):
    """A Create(Note) answering a post or a comment of this site."""

    name = "federation.receive_reply"

    def __init__(self, remote: RemoteActor, note: dict, post, parent: Comment | None):
        super().__init__()
        self.remote, self.note, self.post, self.parent = remote, note, post, parent

    def check(self) -> None:
        policy = self.policy = DiscussionSettings.load()
        from afterword.discussion import rules

        reason = rules.closed_reason(self.post, policy)
        if reason:
            raise ValidationError(reason)
        if self.parent is not None and self.parent.depth + 1 >= policy.max_depth:
            # Too deep to nest: shown as a reply to the same comment's parent.
            self.parent = self.parent.parent

    def execute(self) -> Comment:
        remote, parent = self.remote, self.parent
        html = comment_html(str(self.note.get("content") or ""))
        comment = Comment(
            post=self.post,
            parent=parent,
            depth=parent.depth + 1 if parent else 0,
            author_name=remote.display_name[:100],
            author_url=(remote.url or remote.uri)[:200],
            author_handle=remote.handle[:255],
            author_avatar=remote.avatar,
            provider_name="Fediverse",
            body=_text_of(html),
            body_html=html,
        )
        known = Comment.objects.approved().filter(fediverse__remote=remote).exists()
        verdict = decide(comment, self.policy, {}, known=known)
        comment.status = verdict.status
        comment.moderation_note = verdict.note[:200]
        comment.save()
        FediverseComment.objects.create(
            comment=comment, object_id=self.note["id"], remote=remote
        )
        from afterword.discussion import notifications

        if comment.status != Comment.Status.SPAM:
            notifications.comment_received(comment, self.policy)
        return comment

    def announce(self, comment: Comment) -> None:
        announce_status(comment)


def _text_of(html: str) -> str:
    from django.utils.html import strip_tags

    return strip_tags(html).strip()


class UpdateReply(Action):
    name = "federation.update_reply"

    def __init__(self, link: FediverseComment, note: dict):
        super().__init__()
        self.link, self.note = link, note

    def execute(self) -> Comment:
        comment = self.link.comment
        html = comment_html(str(self.note.get("content") or ""))
        comment.body_html = html
        comment.body = _text_of(html)
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "body_html", "edited_at"])
        return comment


class DeleteReply(Action):
    name = "federation.delete_reply"

    def __init__(self, link: FediverseComment):
        super().__init__()
        self.link = link

    def execute(self) -> int:
        return Comment.objects.filter(pk=self.link.comment_id).delete()[0]


class RecordReaction(Action):
    name = "federation.record_reaction"

    def __init__(self, remote: RemoteActor, post, kind: str, activity_id: str):
        super().__init__()
        self.remote, self.post = remote, post
        self.kind, self.activity_id = kind, activity_id

    def execute(self) -> Reaction:
        reaction, _ = Reaction.objects.get_or_create(
            post=self.post,
            remote=self.remote,
            kind=self.kind,
            defaults={"activity_id": self.activity_id},
        )
        return reaction


class UndoReaction(Action):
    name = "federation.undo_reaction"

    def __init__(self, remote: RemoteActor, activity_id: str):
        super().__init__()
        self.remote, self.activity_id = remote, activity_id

    def execute(self) -> int:
        return Reaction.objects.filter(
            remote=self.remote, activity_id=self.activity_id
        ).delete()[0]


class ForgetActor(Action):
    """The account was deleted, or blocked: remove all it left here."""

    name = "federation.forget_actor"

    def __init__(self, remote: RemoteActor):
        super().__init__()
        self.remote = remote

    def execute(self) -> int:
        remote = self.remote
        Comment.objects.filter(fediverse__remote=remote).delete()
        return RemoteActor.objects.filter(pk=remote.pk).delete()[0]


class MoveFollower(Action):
    """A Move: the old account's follows now belong to the new account."""

    name = "federation.move_follower"

    def __init__(self, old: RemoteActor, new: RemoteActor):
        super().__init__()
        self.old, self.new = old, new

    def execute(self) -> int:
        moved = 0
        for follow in Follower.objects.filter(remote=self.old):
            if not Follower.objects.filter(
                actor=follow.actor, remote=self.new
            ).exists():
                Follower.objects.filter(pk=follow.pk).update(remote=self.new)
                moved += 1
            else:
                follow.delete()
        RemoteActor.objects.filter(pk=self.old.pk).update(moved_to=self.new.uri)
        return moved


# Blocks ---------------------------------------------------------------------


class BlockFediverse(Action):
    """Block a server (``domain``) or an account (an actor's id): their
    follows end, their comments and reactions go, and nothing more is
    heard from or sent to them."""

    name = "federation.block"
    permission = "federation.add_block"

    def __init__(self, kind: str, value: str, *, user=None):
        super().__init__(user=user)
        self.kind, self.value = kind, value.strip()

    def check(self) -> None:
        super().check()
        if self.kind == Block.Kind.DOMAIN:
            value = self.value.lower().removeprefix("@").strip("/")
            if "/" in value or "." not in value or " " in value:
                raise ValidationError(_("Enter a server name, like example.social."))
            self.value = value
        elif not self.value.startswith(("https://", "http://")):
            raise ValidationError(_("Enter the account's address (its actor id)."))

    def execute(self) -> Block:
        block, _ = Block.objects.get_or_create(
            kind=self.kind, value=self.value, defaults={"created_by": self.user}
        )
        if self.kind == Block.Kind.DOMAIN:
            gone = RemoteActor.objects.filter(
                Q(domain=self.value) | Q(domain__endswith="." + self.value)
            )
        else:
            gone = RemoteActor.objects.filter(uri=self.value)
        for remote in gone:
            ForgetActor(remote).execute()
        return block


class Unblock(Action):
    name = "federation.unblock"
    permission = "federation.delete_block"

    def __init__(self, block: Block, *, user=None):
        super().__init__(user=user)
        self.block = block

    def execute(self) -> Block:
        self.block.delete()
        return self.block
