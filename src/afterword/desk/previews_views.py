"""Private preview links: the page a link opens, and the desk screen that
makes, lists and revokes a post's links.

``/preview/<token>/`` shows the post's saved text, whatever its status, in
the site's theme with a "not published" banner. It says ``noindex`` and
``Cache-Control: private, no-store``, so neither the page cache nor nginx's
page files nor a browser's shared cache keeps it; an expired, revoked or
unknown token answers 404 with a page saying so.

The desk screen at ``/desk/posts/<id>/previews/`` answers HTML to a person
and JSON to the editor's scripts (``X-Requested-With: fetch``); every change
goes through ``desk.actions``.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from afterword.core.numbers import ascii_number
from afterword.posts import seo
from afterword.posts.models import Post
from afterword.posts.visibility import can_edit

from .access import desk_view
from .actions import DEFAULT_LIFETIME, CreatePreviewLink, RevokePreviewLink
from .models import PreviewLink

EDIT_PERMISSIONS = ("posts.change_post", "posts.change_page")
# The lifetimes offered, in hours: one hour to 30 days.
LIFETIMES = (
    (1, gettext_lazy("1 hour")),
    (24, gettext_lazy("1 day")),
    (72, gettext_lazy("3 days")),
    (168, gettext_lazy("7 days")),
    (336, gettext_lazy("14 days")),
    (720, gettext_lazy("30 days")),
)
NO_STORE = "private, no-store"


# -- the page a link opens ----------------------------------------------------
@require_GET
def show_preview(request: HttpRequest, token: str) -> HttpResponse:
    """The post behind a usable link, or a 404 page saying the link is gone."""
    link = (
        PreviewLink.objects.usable()
        .select_related("post", "post__author", "post__featured_image")
        .filter(token=token)
        .first()
    )
    if link is None:
        response = TemplateResponse(
            request,
            "desk/previews/gone.html",
            {
                "meta": seo.page_meta(
                    request, title=_("Preview unavailable"), noindex=True
                )
            },
            status=404,
        )
    else:
        post = link.post
        response = TemplateResponse(
            request,
            "desk/previews/show.html",
            {
                "post": post,
                "link": link,
                "meta": seo.page_meta(request, title=post.title, noindex=True),
            },
        )
    response["Cache-Control"] = NO_STORE
    response["X-Robots-Tag"] = "noindex"
    return response


# -- the desk screen ------------------------------------------------------------
def editable_post(request: HttpRequest, post_id: int) -> Post:
    post = get_object_or_404(Post, pk=post_id)
    if not can_edit(request.user, post):
        raise PermissionDenied(_("You can only share previews of posts you may edit."))
    return post


def wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def link_state(link: PreviewLink, now) -> str:
    if link.revoked_at is not None:
        return "revoked"
    return "active" if link.expires_at > now else "expired"


STATE_LABELS = {
    "active": gettext_lazy("Active"),
    "expired": gettext_lazy("Expired"),
    "revoked": gettext_lazy("Revoked"),
}


def describe_link(link: PreviewLink, now) -> dict:
    state = link_state(link, now)
    return {
        "id": link.pk,
        "url": seo.absolute_url(reverse("preview:show", kwargs={"token": link.token})),
        "note": link.note,
        "created_at": link.created_at.isoformat(),
        "expires_at": link.expires_at.isoformat(),
        "revoked_at": link.revoked_at.isoformat() if link.revoked_at else None,
        "state": state,
        "state_label": str(STATE_LABELS[state]),
        "revoke_url": reverse(
            "desk:preview_revoke", kwargs={"post_id": link.post_id, "link_id": link.pk}
        ),
    }


def screen(
    request: HttpRequest, post: Post, errors: dict | None = None, status: int = 200
):
    now = timezone.now()
    links = [
        {"link": link, **describe_link(link, now)} for link in post.preview_links.all()
    ]
    if wants_json(request):
        return JsonResponse(
            {"links": [{k: v for k, v in e.items() if k != "link"} for e in links]},
            status=status,
        )
    return TemplateResponse(
        request,
        "desk/previews/list.html",
        {
            "nav_current": "write",
            "post": post,
            "links": links,
            "lifetimes": LIFETIMES,
            "default_hours": int(DEFAULT_LIFETIME.total_seconds() // 3600),
            "errors": errors or {},
            "sent": request.POST if errors else {},
        },
        status=status,
    )


@desk_view(EDIT_PERMISSIONS)
@require_GET
def preview_list(request: HttpRequest, post_id: int) -> HttpResponse:
    """A post's preview links, newest first, with a form for a new one."""
    return screen(request, editable_post(request, post_id))


@desk_view(EDIT_PERMISSIONS)
@require_POST
def preview_create(request: HttpRequest, post_id: int) -> HttpResponse:
    post = editable_post(request, post_id)
    sent_hours = request.POST.get("hours", "")
    # Anything but a whole number of hours up to 30 days is refused by the
    # action, with its message: zero stands for "not a lifetime".
    hours = ascii_number(sent_hours, maximum=10_000) or 0
    lifetime = timedelta(hours=hours) if sent_hours else DEFAULT_LIFETIME
    try:
        link = CreatePreviewLink(
            post,
            user=request.user,
            lifetime=lifetime,
            note=request.POST.get("note", ""),
        ).run()
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {}
        errors = errors or {"__all__": error.messages}
        if wants_json(request):
            return JsonResponse({"errors": errors}, status=400)
        return screen(request, post, errors=errors, status=400)
    if wants_json(request):
        return JsonResponse({"link": describe_link(link, timezone.now())}, status=201)
    messages.success(request, _("Preview link made. Copy it from the list below."))
    return redirect("desk:previews", post_id=post.pk)


@desk_view(EDIT_PERMISSIONS)
@require_POST
def preview_revoke(request: HttpRequest, post_id: int, link_id: int) -> HttpResponse:
    post = editable_post(request, post_id)
    link = get_object_or_404(PreviewLink, pk=link_id, post=post)
    RevokePreviewLink(link, user=request.user).run()
    if wants_json(request):
        return JsonResponse({"link": describe_link(link, timezone.now())})
    messages.success(request, _("Preview link revoked: it no longer opens the post."))
    return redirect("desk:previews", post_id=post.pk)
