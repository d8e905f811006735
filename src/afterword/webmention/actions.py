"""Every change to webmentions, as named actions.

``webmention.receive``  the endpoint stores a (source, target) pair and
                        queues its verification;
``webmention.verify``   (in ``verification``, run by the task) records
                        what fetching the source showed, or deletes the
                        mention when the source is gone or stopped linking;
``webmention.approve`` / ``spam`` / ``trash`` / ``delete``  the writer's
                        buttons in the desk;
``webmention.record_sent`` (in ``sending``)  what sending our own post's
                        webmentions did;
``webmention.mark_imported``  the links of imported posts, as told.

Moderating asks for the permission comments need
(``discussion.change_comment``): whoever moderates comments moderates
mentions.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from afterword.core.actions import Action

from . import targets
from .links import digest, domain_of, is_http_url, links_in, normalise
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


class ModerateWebmention(Action):
    """Set a webmention's status from the desk (subclasses name the status)."""

    permission = MODERATE_PERMISSION
    status = ""

    def __init__(self, mention: Webmention, **kwargs) -> None:
        super().__init__(**kwargs)
        self.mention = mention

    def check(self) -> None:
        super().check()
        if (
            self.mention.status
            in (
                Webmention.Status.UNVERIFIED,
                Webmention.Status.FAILED,
            )
            and self.status == Webmention.Status.APPROVED
        ):
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
