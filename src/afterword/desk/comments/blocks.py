"""Blocked commenters: made from a comment's row or typed in, listed, lifted."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from afterword.core.admin import refusal_text
from afterword.desk.access import desk_view
from afterword.discussion.actions import BlockCommenter, Unblock
from afterword.discussion.models import Block, Comment

from .answers import back_to
from .queries import block_value


@require_GET
@desk_view("discussion.view_block")
def block_list(request):
    return TemplateResponse(
        request,
        "desk/comments/blocks.html",
        {
            "nav_current": "comments",
            "blocks": Block.objects.select_related("created_by"),
            "kinds": Block.Kind.choices,
            "can_unblock": request.user.has_perm("discussion.delete_block"),
            "can_block": request.user.has_perm("discussion.add_block"),
        },
    )


@require_POST
@desk_view("discussion.add_block")
def block(request):
    """Block from a comment's row (``comment`` and ``kind``) or from the
    blocks screen's form (``kind`` and ``value``)."""
    kind = request.POST.get("kind", "")
    value = request.POST.get("value", "")
    comment_id = request.POST.get("comment", "")
    if comment_id:
        comment = (
            Comment.objects.filter(pk=comment_id).first()
            if comment_id.isdigit()
            else None
        )
        if comment is None:
            messages.error(request, _("That comment no longer exists: it was deleted."))
            return HttpResponseRedirect(back_to(request))
        value = block_value(comment, kind)
        if not value:
            messages.error(request, _("This comment does not give that to block."))
            return HttpResponseRedirect(back_to(request))
    try:
        made, spammed = BlockCommenter(
            kind,
            value,
            note=request.POST.get("note", ""),
            spam_held=request.POST.get("spam_held") == "on",
            user=request.user,
        ).run()
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal_text(error))
        return HttpResponseRedirect(back_to(request, "desk:comment_blocks"))
    text = _("Blocked %(block)s: new comments from it go to spam.") % {
        "block": made.value
    }
    if spammed:
        text += " " + ngettext(
            "%(n)d held comment moved to spam.",
            "%(n)d held comments moved to spam.",
            spammed,
        ) % {"n": spammed}
    messages.success(request, text)
    return HttpResponseRedirect(back_to(request, "desk:comment_blocks"))


@require_POST
@desk_view("discussion.delete_block")
def unblock(request, pk: int):
    found = Block.objects.filter(pk=pk).first()
    if found is None:
        messages.info(request, _("That block was already lifted."))
    else:
        Unblock(found, user=request.user).run()
        messages.success(request, _("Unblocked %(value)s.") % {"value": found.value})
    return HttpResponseRedirect(reverse("desk:comment_blocks"))
