"""The desk's figures: the site's (``desk:stats``) and one post's
(``desk:post_stats``). Any writer may look; contributors and authors see
their own posts only (``queries.sees_every_post``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from afterword.desk.access import desk_view
from afterword.posts.models import Post
from afterword.stats import queries

PERIODS = (7, 30, 90)


def chosen_period(request, default: int) -> int:
    """``?days=`` when it is one of the offered periods, else ``default``."""
    value = request.GET.get("days", "")
    return int(value) if value in {str(days) for days in PERIODS} else default


@desk_view()
def site(request):
    days = chosen_period(request, 7)
    summary = queries.site_summary(days, user=request.user)
    return TemplateResponse(
        request,
        "desk/figures/site.html",
        {"nav_current": "stats", "summary": summary, "periods": PERIODS},
    )


@desk_view()
def post(request, post_id: int):
    found = get_object_or_404(Post, pk=post_id)
    if found.author_id != request.user.pk and not queries.sees_every_post(request.user):
        raise PermissionDenied("You can see the figures of your own posts only.")
    days = chosen_period(request, 30)
    return TemplateResponse(
        request,
        "desk/figures/post.html",
        {
            "nav_current": "stats",
            "summary": queries.post_summary(found, days),
            "periods": PERIODS,
        },
    )
