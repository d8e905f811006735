"""The Write screen: the list of posts and the editor.

Each view parses the request, hands a save to ``saving`` (which runs the
apps' actions) and renders. A refusal is a message on the editor with
everything typed still in it; two writers saving the same post meet a
warning, never a silent overwrite (``conflict``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from afterword.core.admin import refusal_text
from afterword.core.numbers import ascii_number
from afterword.posts.admin import describe_schedule
from afterword.posts.models import Post

from ..access import desk_view
from . import conflict, panel
from .forms import EditorForm
from .saving import INTENTS, save_from_editor

WRITERS = ("posts.add_post", "posts.change_post")
PER_PAGE = 25
STATUSES = ("draft", "scheduled", "published")


@desk_view(WRITERS)
def post_list(request):
    """Posts newest-changed first; one extra row tells whether a next page
    exists, so no COUNT runs over a large table."""
    user = request.user
    can_see_all = user.has_perm("posts.edit_others_posts")
    whose = request.GET.get("whose", "all" if can_see_all else "mine")
    if not can_see_all:
        whose = "mine"
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()[:200]
    page = ascii_number(request.GET.get("page", "1")) or 1
    posts = Post.objects.posts().select_related("author")
    if whose == "mine":
        posts = posts.filter(author=user)
    if status in STATUSES:
        posts = posts.filter(status=status)
    else:
        posts = posts.exclude(status=Post.Status.TRASH)
    if query:
        posts = posts.filter(Q(title__icontains=query))
    posts = posts.only(
        "title", "status", "published_at", "updated_at", "author__username"
    ).order_by("-updated_at", "-id")
    start = (page - 1) * PER_PAGE
    rows = list(posts[start : start + PER_PAGE + 1])
    params = request.GET.copy()

    def page_url(number: int) -> str:
        params["page"] = str(number)
        return "?" + params.urlencode()

    return TemplateResponse(
        request,
        "desk/editor/post_list.html",
        {
            "nav_current": "write",
            "posts": rows[:PER_PAGE],
            "status": status,
            "whose": whose,
            "query": query,
            "can_see_all": can_see_all,
            "statuses": [(s, Post.Status(s).label) for s in STATUSES],
            "newer_url": page_url(page - 1) if page > 1 else "",
            "older_url": page_url(page + 1) if len(rows) > PER_PAGE else "",
            "page": page,
        },
    )


@desk_view("posts.add_post")
def new_post(request):
    post = Post(kind=Post.Kind.POST, author=request.user)
    return _editor(request, post)


@desk_view(WRITERS)
def edit_post(request, post_id: int):
    post = get_object_or_404(
        Post.objects.posts().select_related("author", "featured_image"), pk=post_id
    )
    if post.author_id != request.user.pk and not request.user.has_perm(
        "posts.edit_others_posts"
    ):
        raise PermissionDenied(_("You can only change your own posts."))
    return _editor(request, post)


def _editor(request, post: Post):
    if request.method != "POST":
        form = EditorForm(initial=panel.initial_for(post), post=post)
        return _render(request, post, form)
    form = EditorForm(request.POST, post=post)
    intent = request.POST.get("intent", "save")
    if intent == "overwrite":
        intent = request.POST.get("overwrite_intent", "save")
        overwriting = ascii_number(request.POST.get("overwrite_revision", ""))
    else:
        overwriting = None
    if intent not in INTENTS:
        intent = "save"
    if not form.is_valid():
        messages.error(
            request, _("Nothing was saved: please correct the marked fields.")
        )
        return _render(request, post, form, status=400)
    found = conflict.check(post, form, request.user, overwriting)
    if found is not None:
        return _render(request, post, form, status=409, conflict=found, intent=intent)
    was_new = post.pk is None
    try:
        save_from_editor(post, form, intent, request.user)
    except (ValidationError, PermissionDenied) as error:
        if was_new:
            post.pk = None
        elif post.pk:
            post.refresh_from_db()
        messages.error(request, _("Not saved: %s") % refusal_text(error))
        status = 403 if isinstance(error, PermissionDenied) else 400
        return _render(request, post, form, status=status)
    messages.success(request, _saved_message(post, intent))
    return HttpResponseRedirect(reverse("desk:edit_post", args=[post.pk]))


def _saved_message(post: Post, intent: str) -> str:
    if intent == "publish" or (intent == "save" and post.is_live()):
        return _("Published. Readers can see it now.")
    if post.status == Post.Status.SCHEDULED:
        return _("Scheduled. %s") % describe_schedule(post)
    if intent == "unpublish":
        return _("Back to draft: readers no longer see it.")
    return _("Saved.")


def _render(request, post: Post, form: EditorForm, *, status=200, **extra):
    chosen = panel.chosen_items(post, form if form.is_bound else None)
    unsaved = None if form.is_bound else panel.unsaved_text(post, request.user)
    context = {
        "nav_current": "write",
        "post": post,
        "form": form,
        "chosen": chosen,
        "can": panel.permissions(request.user),
        "urls": panel.endpoints(post),
        "unsaved": unsaved,
        "unsaved_data": {
            "title": unsaved.title,
            "body": unsaved.body,
            "excerpt": unsaved.excerpt,
        }
        if unsaved
        else None,
        "schedule_text": describe_schedule(post) if post.pk else "",
        "live": post.pk is not None and post.is_live(),
        "slug_follows": panel.slug_follows_title(post),
        **extra,
    }
    return TemplateResponse(request, "desk/editor/editor.html", context, status=status)
