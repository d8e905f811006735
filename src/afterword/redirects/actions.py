"""Every change to redirects, as actions (see ``core.actions``).

``SaveRedirect`` and ``DeleteRedirect`` are what the desk and the admin
run; ``RecordMove`` is run when a post's, a page's or a term's address
changes (``moves``), and ``ImportRedirects`` by the WordPress importer for
the permalinks of the old site. Whoever writes them, the same rules hold:

* every stored path is spelled the one way ``paths.normalise`` spells it;
* a redirect leads to its final address in one step: a redirect to an
  address that is itself redirected leads straight to where that one leads,
  and a new redirect from ``B`` makes every redirect that led to ``B`` lead
  on to the new target (``A → B`` then ``B → C`` is ``A → C``);
* nothing leads back to where it started, and an address where the site
  shows a page is never redirected (the page wins).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from afterword.core.actions import Action, DeleteObject, SaveObject
from afterword.posts.models import Post

from . import paths
from .addresses import post_at, site_answers
from .models import Redirect


def _post_path(post: Post) -> str:
    return paths.normalise(post.get_absolute_url())


def _lead_on(redirect: Redirect) -> None:
    """Point ``redirect`` at its final address: a post at the target path
    becomes the target itself; a target that is redirected is skipped over."""
    if redirect.target_post_id is not None:
        redirect.target_path = ""
        return
    onward = (
        Redirect.objects.filter(old_path=redirect.target_path)
        .exclude(pk=redirect.pk)
        .select_related("target_post")
        .first()
    )
    if onward is not None:
        redirect.target_post = onward.target_post
        redirect.target_path = onward.target_path
    if redirect.target_post_id is None:
        post = post_at(redirect.target_path)
        if post is not None:
            redirect.target_post, redirect.target_path = post, ""


def _final_path(redirect: Redirect) -> str:
    if redirect.target_post_id is not None:
        return _post_path(redirect.target_post)
    return redirect.target_path


class SaveRedirect(SaveObject):
    """Create or change a redirect, refusing what could never work."""

    name = "redirects.save_redirect"

    def validate(self) -> None:
        redirect = self.instance
        errors: dict[str, list[str]] = {}
        try:
            redirect.old_path = paths.normalise(
                redirect.old_path, what=_("The old address")
            )
        except ValidationError as error:
            errors["old_path"] = error.messages
        if redirect.target_post_id is None:
            try:
                redirect.target_path = paths.normalise(
                    redirect.target_path, what=_("The new address")
                )
            except ValidationError as error:
                errors["target_path"] = error.messages
        if errors:
            raise ValidationError(errors)
        _lead_on(redirect)
        final = _final_path(redirect)
        if final == redirect.old_path:
            raise ValidationError(
                {
                    "target_path": _(
                        "This redirect would lead back to %(path)s, where it "
                        "starts: readers would go round in circles."
                    )
                    % {"path": redirect.old_path}
                }
            )
        if site_answers(redirect.old_path):
            raise ValidationError(
                {
                    "old_path": _(
                        "%(path)s shows a page of this site right now, and a "
                        "page always wins over a redirect. Change that page's "
                        "address (a redirect is then made for you) or choose "
                        "another old address."
                    )
                    % {"path": redirect.old_path}
                }
            )
        redirect.full_clean()

    def execute(self) -> Redirect:
        redirect = super().execute()
        # Redirects that led here now lead straight on.
        Redirect.objects.filter(target_path=redirect.old_path).exclude(
            pk=redirect.pk
        ).update(target_path=redirect.target_path, target_post=redirect.target_post)
        _drop_circles()
        return redirect


class DeleteRedirect(DeleteObject):
    """Delete a redirect: its old address is a 404 again."""

    name = "redirects.delete_redirect"


def _drop_circles() -> None:
    """Remove redirects that, after a collapse, lead to their own address."""
    Redirect.objects.filter(
        target_post__isnull=True, target_path=F("old_path")
    ).delete()


class RecordMove(Action):
    """An address of the site changed: ``old`` now lives at ``new``.

    Run by the posts actions (through ``posts.signals.address_changed``) in
    their own transaction. With ``post``, the redirect leads to the post, so
    it follows any later move too. ``old`` may be empty: something just
    appeared at ``new`` (a post went live), and a redirect from ``new`` would
    now hide it, so it goes. Acts as the installation: the save that moved
    the address was checked already.
    """

    name = "redirects.record_move"

    def __init__(self, old: str, new: str, *, post: Post | None = None) -> None:
        super().__init__(user=None)
        self.old, self.new, self.post = old, new, post

    def execute(self) -> Redirect | None:
        try:
            new = paths.normalise(self.new)
            old = paths.normalise(self.old) if self.old else ""
        except ValidationError:
            # Too long to store: no redirect, the move itself stands.
            return None
        Redirect.objects.filter(old_path=new).delete()
        if not old or old == new:
            return None
        target = {"target_post": self.post, "target_path": "" if self.post else new}
        redirect, _created = Redirect.objects.update_or_create(
            old_path=old,
            defaults={
                **target,
                "status": Redirect.Status.PERMANENT,
                "source": Redirect.Source.MOVED,
                "created_at": timezone.now(),
            },
        )
        Redirect.objects.filter(target_path=old).update(**target)
        _drop_circles()
        return redirect


class ImportRedirects(Action):
    """The old site's permalinks, each leading to the post imported from it.

    ``links`` holds ``(old address, post)`` pairs. An address already
    redirected keeps its redirect; one that is the post's own address is
    skipped. A few queries for the whole batch.
    """

    name = "redirects.import_redirects"

    def __init__(self, links: Iterable[tuple[str, Post]], *, user=None) -> None:
        super().__init__(user=user)
        self.links = list(links)

    def required_permission(self) -> str:
        return "redirects.add_redirect"

    def execute(self) -> int:
        wanted: dict[str, Post] = {}
        for address, post in self.links:
            try:
                old = paths.normalise(address)
            except ValidationError:
                continue
            if old != _post_path(post):
                wanted.setdefault(old, post)
        taken = set(
            Redirect.objects.filter(old_path__in=list(wanted)).values_list(
                "old_path", flat=True
            )
        )
        now = timezone.now()
        created = Redirect.objects.bulk_create(
            [
                Redirect(
                    old_path=old,
                    target_post=post,
                    source=Redirect.Source.IMPORTED,
                    created_at=now,
                )
                for old, post in wanted.items()
                if old not in taken
            ],
            ignore_conflicts=True,
        )
        return len(created)
