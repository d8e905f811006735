"""Every change to webmentions, as named actions.

``webmention.receive``  the endpoint stores a (source, target) pair and
                        queues its verification;
``webmention.verify``   the task records what fetching the source showed
                        (kind, author, content, verdict), or deletes the
                        mention when the source is gone (410) or no longer
                        links to the target;
``webmention.approve`` / ``spam`` / ``trash`` / ``delete``  the writer's
                        buttons in the desk;
``webmention.record_sent``  what sending our own post's webmentions did.

Moderating asks for the permission comments need
(``discussion.change_comment``): whoever moderates comments moderates
mentions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from afterword.core.actions import Action

from . import moderation, targets
from .links import domain_of, is_http_url, normalise
from .microformats import Mention
from .models import SentWebmention, Webmention

MODERATE_PERMISSION = "discussion.change_comment"


class ReceiveWebmention(Action):
    """Check a received (source, target) pair, store it, queue verification.

    A refusal is a ``ValidationError`` whose message the endpoint answers
    with (400). A pair sent again updates the stored row and is verified
    again, as the spec asks.
    """

    name = "webmention.receive"

    def __init__(self, source: str, target: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.source = (source or "").strip()
        self.target = (target or "").strip()
        self.post = None

    def check(self) -> None:
        super().check()
        if not self.source or not self.target:
            raise ValidationError(_("Both source and target are required."))
        if not is_http_url(self.source):
            raise ValidationError(_("The source is not an http or https URL."))
        if not is_http_url(self.target):
            raise ValidationError(_("The target is not an http or https URL."))
        if len(self.source) > 2000 or len(self.target) > 2000:
            raise ValidationError(_("The source or target URL is too long."))
        if normalise(self.source) == normalise(self.target):
            raise ValidationError(_("The source and the target are the same URL."))
        if not targets.is_ours(self.target):
            raise ValidationError(_("The target is not on this site."))
        self.post = targets.post_for(self.target)
        if self.post is None:
            # Drafts, private and unlisted posts answer as unknown ones.
            raise ValidationError(
                _("The target is not a post of this site that accepts webmentions.")
            )

    def execute(self) -> Webmention:
        mention, created = Webmention.objects.get_or_create(
            source=self.source,
            target=self.target,
            defaults={"post": self.post, "source_domain": domain_of(self.source)},
        )
        if not created:
            # Verified again below; what it shows stays until then.
            mention.received_at = timezone.now()
            mention.save(update_fields=["received_at"])
        return mention

    def announce(self, result: Webmention) -> None:
        from .tasks import verify_webmention

        verify_webmention.enqueue(result.pk)


@dataclass(frozen=True)
class Fetched:
    """What fetching a source gave: ``gone`` (410), ``error`` (unreachable,
    too large, another failing status), else whether it links to the target
    and what it says."""

    gone: bool = False
    error: str = ""
    links: bool = False
    mention: Mention | None = None


class VerifyWebmention(Action):
    name = "webmention.verify"

    def __init__(self, mention: Webmention, fetched: Fetched, **kwargs) -> None:
        super().__init__(**kwargs)
        self.mention = mention
        self.fetched = fetched

    def execute(self) -> Webmention | None:
        mention = Webmention.objects.select_for_update().filter(pk=self.mention.pk)
        mention = mention.first()
        if mention is None:
            return None
        fetched = self.fetched
        if fetched.gone or (not fetched.error and not fetched.links):
            if fetched.gone or mention.verified_at is not None:
                # The spec: a deleted source, or one that stopped linking,
                # takes its webmention away.
                mention.delete()
                return None
            mention.status = Webmention.Status.FAILED
            mention.note = "the source does not link to the target"
            mention.save()
            return mention
        if fetched.error:
            # A passing failure does not undo an earlier verification.
            if mention.verified_at is None:
                mention.status = Webmention.Status.FAILED
            mention.note = fetched.error[:300]
            mention.save()
            return mention
        found = fetched.mention or Mention(url=mention.source)
        mention.kind = found.kind
        mention.author_name = found.author_name
        mention.author_url = found.author_url[:2000]
        mention.author_photo = found.author_photo[:2000]
        mention.content = found.content
        mention.url = found.url[:2000]
        mention.published_at = found.published_at
        mention.verified_at = timezone.now()
        if mention.status in (Webmention.Status.UNVERIFIED, Webmention.Status.FAILED):
            verdict = moderation.decide(mention)
            mention.status = verdict.status
            mention.note = verdict.note
        mention.save()
        return mention


class ModerateWebmention(Action):
    """Set a webmention's status from the desk (subclasses name the status)."""

    permission = MODERATE_PERMISSION
    status = ""

    def __init__(self, mention: Webmention, **kwargs) -> None:
        super().__init__(**kwargs)
        self.mention = mention

    def check(self) -> None:
        super().check()
        if self.mention.status in (
            Webmention.Status.UNVERIFIED,
            Webmention.Status.FAILED,
        ) and self.status == Webmention.Status.APPROVED:
            raise ValidationError(_("Only a verified webmention can be approved."))

    def execute(self) -> Webmention:
        self.mention.status = self.status
        self.mention.note = ""
        self.mention.save(update_fields=["status", "note"])
        return self.mention


class ApproveWebmention(ModerateWebmention):
    name = "webmention.approve"
    status = Webmention.Status.APPROVED


class SpamWebmention(ModerateWebmention):
    name = "webmention.spam"
    status = Webmention.Status.SPAM


class TrashWebmention(ModerateWebmention):
    name = "webmention.trash"
    status = Webmention.Status.TRASH


class DeleteWebmention(Action):
    name = "webmention.delete"
    permission = MODERATE_PERMISSION

    def __init__(self, mention: Webmention, **kwargs) -> None:
        super().__init__(**kwargs)
        self.mention = mention

    def execute(self) -> Webmention:
        self.mention.delete()
        return self.mention


@dataclass(frozen=True)
class SendOutcome:
    target: str
    endpoint: str
    outcome: str
    status: int | None = None
    detail: str = ""
    linked: bool = True


class RecordSentWebmentions(Action):
    """Remember what sending a post's webmentions did, link by link."""

    name = "webmention.record_sent"

    def __init__(self, post, outcomes: list[SendOutcome], digest: str, **kwargs):
        super().__init__(**kwargs)
        self.post = post
        self.outcomes = outcomes
        self.digest = digest

    def execute(self) -> int:
        now = timezone.now()
        for outcome in self.outcomes:
            with transaction.atomic():
                SentWebmention.objects.update_or_create(
                    post=self.post,
                    target=outcome.target[:2000],
                    defaults={
                        "endpoint": outcome.endpoint[:2000],
                        "outcome": outcome.outcome,
                        "last_status": outcome.status,
                        "detail": outcome.detail[:300],
                        "linked": outcome.linked,
                        "body_digest": self.digest,
                        "sent_at": now,
                    },
                )
        return len(self.outcomes)


class MarkImportedAsSent(Action):
    """Record the links of imported old posts as told, without sending.

    Their original site sent its webmentions (or pingbacks) when they were
    new; moving a blog in must not ping every link of ten years of posts.
    A later edit still tells new and removed links, like any other edit.
    The importer calls it in its transaction, as it marks followers told.
    """

    name = "webmention.mark_imported"

    def __init__(self, post_ids, **kwargs) -> None:
        super().__init__(**kwargs)
        self.post_ids = list(post_ids)

    def execute(self) -> int:
        from afterword.posts.seo import absolute_url

        from .links import links_in
        from .sending import digest

        rows = []
        for post in targets.public_posts().filter(pk__in=self.post_ids):
            source = absolute_url(post.get_absolute_url())
            rows += [
                SentWebmention(
                    post=post,
                    target=url[:2000],
                    outcome=SentWebmention.Outcome.IMPORTED,
                    body_digest=digest(post),
                )
                for url in links_in(post.body_html, source)
                if not targets.is_ours(url)
            ]
        SentWebmention.objects.bulk_create(rows, ignore_conflicts=True)
        return len(rows)
