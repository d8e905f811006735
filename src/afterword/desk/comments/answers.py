"""How the comments screen answers a button: JSON for its script, or a
redirect back to the list with a message when the browser posted the form."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from . import queries


def wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def back_to(request, default: str = "desk:comments") -> str:
    """The list the form was posted from (only ever a page of this site)."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def current_tab(request) -> str:
    tab = request.POST.get("tab", "")
    return tab if tab in queries.TAB_STATUSES else queries.DEFAULT_TAB


def render_rows(request, comments, tab: str) -> dict[str, str | None]:
    """Each comment's row as the list would print it, or None when the comment
    no longer belongs in the tab the writer is looking at."""
    shown = [c for c in comments if queries.belongs_to(tab, c.status)]
    queries.annotate_rows(shown)
    context = row_context(request, tab)
    return {
        str(comment.pk): (
            render_to_string(
                "desk/comments/row.html", {**context, "comment": comment}, request
            )
            if comment in shown
            else None
        )
        for comment in comments
    }


def row_context(request, tab: str) -> dict:
    user = request.user
    return {
        "tab": tab,
        "next": (
            back_to(request) if request.method == "POST" else request.get_full_path()
        ),
        "can_block": user.has_perm("discussion.add_block"),
        "status_words": STATUS_WORDS,
    }


def answer(
    request,
    text: str,
    *,
    level=messages.SUCCESS,
    status: int = 200,
    comments=(),
    gone=(),
    extra: dict | None = None,
):
    """Answer a moderation request: ``comments`` were changed (their rows are
    sent again), ``gone`` are ids whose rows should go."""
    if not wants_json(request):
        messages.add_message(request, level, text)
        return HttpResponseRedirect(back_to(request))
    tab = current_tab(request)
    rows = render_rows(request, list(comments), tab)
    rows.update({str(pk): None for pk in gone})
    data = {
        "ok": status < 400,
        "message": str(text),
        "rows": rows,
        "counts": queries.tab_counts(request.user),
    }
    data.update(extra or {})
    return JsonResponse(data, status=status)


def refuse(request, text: str, *, status: int = 400):
    """A request that changed nothing, said plainly."""
    return answer(request, text, level=messages.ERROR, status=status)


# Short words for a commenter's history ("3 approved, 1 spam").
STATUS_WORDS = {
    "approved": _("approved"),
    "pending": _("pending"),
    "spam": _("spam"),
    "trash": _("in the trash"),
}
