"""The desk's home: what needs the writer first, the figures, a quick draft
and recent activity; plus the two small POST endpoints its forms use.

The comment buttons answer in place when the page's script sends them
(``Desk.post``: JSON back, the row becomes a confirmation) and, without
JavaScript, the same form posts here and the home comes back with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from afterword.desk.access import desk_view
from afterword.discussion.actions import ApproveComment, ReplyToComment, SpamComment
from afterword.discussion.models import Comment

from . import activity, attention, glance, scope
from .drafts import start_draft
from .forms import CommentActionForm, QuickDraftForm
from .links import edit_url, held_comments_url


def render_home(request, *, quick_form=None, status=200) -> TemplateResponse:
    user, now = request.user, timezone.now()
    figures = glance.gather(user, now)
    return TemplateResponse(
        request,
        "desk/home/home.html",
        {
            "nav_current": "home",
            "attention": attention.gather(user, now),
            "figures": figures,
            "events": activity.recent(user, now),
            "quick_form": quick_form or QuickDraftForm(),
            "may_draft": user.has_perm("posts.add_post"),
            "moderates": scope.moderates_comments(user),
            "sees_everything": scope.sees_everything(user),
            "held_url": held_comments_url() if figures.comments_held else "",
        },
        status=status,
    )


@desk_view()
def home(request):
    return render_home(request)


@require_POST
@desk_view("posts.add_post")
def quick_draft(request):
    form = QuickDraftForm(request.POST)
    if form.is_valid():
        try:
            post = start_draft(
                request.user, form.cleaned_data["title"], form.cleaned_data["body"]
            )
        except (PermissionDenied, ValidationError) as refusal:
            form.add_error(None, _refusal_text(refusal))
        except IntegrityError:
            form.add_error(
                None, _("Another draft took that address just now; save again.")
            )
        else:
            messages.success(
                request,
                format_html(
                    _('Draft “{title}” saved. <a href="{url}">Continue editing</a>'),
                    title=post.title,
                    url=edit_url(post),
                ),
            )
            return redirect("desk:home")
    messages.error(request, _("The draft was not saved; your text is still below."))
    return render_home(request, quick_form=form, status=400)


@require_POST
@desk_view("discussion.change_comment")
def comment_action(request, pk: int):
    comment = get_object_or_404(
        scope.comments_for(request.user, Comment.objects.select_related("post")),
        pk=pk,
    )
    form = CommentActionForm(request.POST)
    status, text, link = 200, "", ""
    if not form.is_valid():
        status = 400
        text = " ".join(form.non_field_errors()) or _("Choose what to do.")
    else:
        try:
            text, link = _moderate(request.user, comment, form.cleaned_data)
        except PermissionDenied as refusal:
            status, text = 403, _refusal_text(refusal)
        except ValidationError as refusal:
            status, text = 400, _refusal_text(refusal)
    if request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse(
            {"ok": status == 200, "message": text, "url": link}, status=status
        )
    if status == 200:
        shown = (
            format_html('{} <a href="{}">{}</a>', text, link, _("View it on the post"))
            if link
            else text
        )
        messages.success(request, shown)
    else:
        messages.error(request, text)
    return redirect(reverse("desk:home") + "#held-comments")


def _moderate(user, comment: Comment, data: dict) -> tuple[str, str]:
    """Run the chosen discussion action; return a confirmation and a link."""
    action = data["action"]
    if action == "reply":
        reply = ReplyToComment(comment, data["body"], user=user).run()
        return (
            _("Reply published; %(name)s’s comment is approved.")
            % {"name": comment.author_name},
            reply.get_absolute_url(),
        )
    if comment.status != Comment.Status.PENDING:
        return _("Someone has already moderated this comment."), ""
    if action == "approve":
        ApproveComment(comment, user=user).run()
        return (
            _("Approved %(name)s’s comment.") % {"name": comment.author_name},
            comment.get_absolute_url(),
        )
    SpamComment(comment, user=user).run()
    return _("Marked %(name)s’s comment as spam.") % {"name": comment.author_name}, ""


def _refusal_text(refusal: Exception) -> str:
    if isinstance(refusal, ValidationError):
        return " ".join(refusal.messages)
    return str(refusal) or _("Your role does not allow this.")
