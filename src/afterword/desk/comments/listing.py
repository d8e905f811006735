"""The comments list at /desk/comments/: a tab, a page of rows."""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from afterword.core.counting import CappedPaginator
from afterword.desk.access import desk_view

from . import queries
from .answers import row_context
from .moderate import MODERATE

PER_PAGE = 50


@require_GET
@desk_view(MODERATE)
def comment_list(request):
    user = request.user
    tab = request.GET.get("status", "")
    tab = tab if tab in queries.TAB_STATUSES else queries.DEFAULT_TAB
    search = request.GET.get("q", "").strip()[:200]
    counts = queries.tab_counts(user)
    paginator = CappedPaginator(queries.comments_for_tab(user, tab, search), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    comments = queries.annotate_rows(list(page.object_list))
    return TemplateResponse(
        request,
        "desk/comments/list.html",
        {
            **row_context(request, tab),
            "nav_current": "comments",
            "tabs": queries.tab_list(user, counts, tab),
            "comments": comments,
            "page": page,
            "search": search,
            "own_posts_only": not queries.can_moderate_all(user),
            "bulk_verbs": BULK_VERBS[tab],
        },
    )


# What "Apply to selected" offers on each tab (labels in the template).
BULK_VERBS = {
    "pending": ("approve", "spam", "trash"),
    "approved": ("unapprove", "spam", "trash"),
    "spam": ("restore", "delete"),
    "trash": ("restore", "delete"),
    "all": ("approve", "unapprove", "spam", "trash"),
}
