"""The comments screen's buttons: one comment, a selection, a reply.

Each calls the discussion action a person would expect (``ApproveComment``,
``ReplyToComment``…); the action's check is the rule, so an author's click
on someone else's comment is refused there, not here.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from afterword.core import changes
from afterword.core.admin import refusal_text
from afterword.desk.access import desk_view
from afterword.discussion import actions
from afterword.discussion.models import Comment

from .answers import answer, refuse, wants_json

MODERATE = ("discussion.change_comment", "discussion.moderate_own_comment")

# The buttons: the action each runs, and what to say once it did.
VERBS = {
    "approve": actions.ApproveComment,
    "unapprove": actions.UnapproveComment,
    "spam": actions.SpamComment,
    "trash": actions.TrashComment,
    "restore": actions.RestoreComment,
    "delete": actions.DeleteComment,
}


def done_text(verb: str, count: int) -> str:
    texts = {
        "approve": ngettext(
            "%(n)d comment approved.", "%(n)d comments approved.", count
        ),
        "unapprove": ngettext(
            "%(n)d comment unapproved: it is back in Pending.",
            "%(n)d comments unapproved: they are back in Pending.",
            count,
        ),
        "spam": ngettext(
            "%(n)d comment marked as spam.", "%(n)d comments marked as spam.", count
        ),
        "trash": ngettext(
            "%(n)d comment moved to the trash.",
            "%(n)d comments moved to the trash.",
            count,
        ),
        "restore": ngettext(
            "%(n)d comment restored to Pending.",
            "%(n)d comments restored to Pending.",
            count,
        ),
        "delete": ngettext(
            "%(n)d comment deleted for good.", "%(n)d comments deleted for good.", count
        ),
    }
    return texts[verb] % {"n": count}


def _comment(pk) -> Comment | None:
    found = Comment.objects.select_related("post", "user", "parent").filter(pk=pk)
    return found.first()


def _refused(request, error: Exception):
    if isinstance(error, PermissionDenied) and not wants_json(request):
        raise error
    status = 403 if isinstance(error, PermissionDenied) else 400
    return refuse(request, refusal_text(error), status=status)


def _run(verb: str, comment: Comment, user) -> bool:
    """Run the button's action; True when it changed something."""
    result = VERBS[verb](comment, user=user).run()
    return True if verb == "delete" else bool(result)


@require_POST
@desk_view(MODERATE)
def act(request, pk: int):
    verb = request.POST.get("action", "")
    if verb not in VERBS:
        return refuse(request, _("That is not something a comment can have done."))
    comment = _comment(pk)
    if comment is None:
        return refuse(
            request, _("That comment no longer exists: it was deleted."), status=404
        )
    try:
        changed = _run(verb, comment, request.user)
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, error)
    if verb == "delete":
        return answer(request, done_text(verb, 1), gone=[pk])
    text = done_text(verb, 1) if changed else _("Nothing to do: it already was.")
    return answer(request, text, comments=[comment])


@require_POST
@desk_view(MODERATE)
def bulk(request):
    verb = request.POST.get("action", "")
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
    if verb not in VERBS:
        return refuse(request, _("Choose what to do with the selected comments."))
    if not ids:
        return refuse(request, _("Select at least one comment first."))
    chosen = Comment.objects.select_related("post", "user", "parent").filter(pk__in=ids)
    found = {comment.pk: comment for comment in chosen}
    changed, refusals, deleted = 0, set(), []
    with changes.collect():
        for comment in found.values():
            try:
                changed += _run(verb, comment, request.user)
            except (PermissionDenied, ValidationError) as error:
                refusals.add(refusal_text(error))
            else:
                if verb == "delete":
                    deleted.append(comment.pk)
    missing = [pk for pk in ids if pk not in found]
    parts = [done_text(verb, changed)]
    if missing:
        parts.append(
            ngettext(
                "%(n)d was already deleted.",
                "%(n)d were already deleted.",
                len(missing),
            )
            % {"n": len(missing)}
        )
    parts.extend(sorted(refusals))
    return answer(
        request,
        " ".join(parts),
        comments=[c for c in found.values() if c.pk not in deleted],
        gone=missing + deleted,
    )


@require_POST
@desk_view(MODERATE)
def reply(request, pk: int):
    parent = _comment(pk)
    if parent is None:
        return refuse(
            request, _("That comment no longer exists: it was deleted."), status=404
        )
    try:
        written = actions.ReplyToComment(
            parent, request.POST.get("body", ""), user=request.user
        ).run()
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, error)
    parent.refresh_from_db(fields=["status"])
    return answer(
        request,
        _("Your reply is published."),
        comments=[parent],
        extra={"reply_url": written.get_absolute_url()},
    )
