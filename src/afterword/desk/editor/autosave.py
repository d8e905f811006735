"""The editor's autosave endpoint: every few seconds, and when the page goes.

A new post becomes a draft on its first autosave (through ``SavePost``) so it
has an address; after that only the writer's ``Autosave`` row changes. The
answer says when another writer saved the post meanwhile, so the editor can
warn before the writer presses Save.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from afterword.core.admin import refusal_text
from afterword.core.numbers import ascii_number
from afterword.posts import actions as post_actions
from afterword.posts.models import Post, Revision

from ..access import desk_view
from .actions import WriteAutosave
from .saving import latest_revision, someone_else_saved, unique_slug

MAX_CHARS = 500_000


@require_POST
@desk_view(("posts.add_post", "posts.change_post"))
def autosave(request):
    data = request.POST
    title = data.get("title", "")[:300]
    body = data.get("body", "").replace("\r\n", "\n")
    excerpt = data.get("excerpt", "")
    if len(body) > MAX_CHARS or "\x00" in title + body + excerpt:
        return JsonResponse({"error": _("This text cannot be stored.")}, status=400)
    post_id = ascii_number(data.get("post", ""))
    base_id = ascii_number(data.get("base_revision", ""))
    try:
        if post_id is None:
            if not (title.strip() or body.strip()):
                return JsonResponse({"skipped": True})
            post = _create_draft(request.user, title, body, excerpt)
            base = latest_revision(post)
            return _answer(post, base, conflict=None, created=True)
        post = Post.objects.posts().filter(pk=post_id).first()
        if post is None:
            return JsonResponse({"error": _("This post no longer exists.")}, status=404)
        base = Revision.objects.filter(pk=base_id, post=post).first()
        WriteAutosave(
            post,
            user=request.user,
            title=title,
            body=body,
            excerpt=excerpt,
            base_revision=base,
        ).run()
    except PermissionDenied as error:
        return JsonResponse({"error": refusal_text(error)}, status=403)
    except ValidationError as error:
        return JsonResponse({"error": refusal_text(error)}, status=400)
    return _answer(post, base, conflict=someone_else_saved(post, base_id, request.user))


def _create_draft(user, title: str, body: str, excerpt: str) -> Post:
    post = Post(
        kind=Post.Kind.POST,
        author=user,
        title=title,
        body=body,
        excerpt=excerpt,
        status=Post.Status.DRAFT,
    )
    post.slug = unique_slug(title, post)
    return post_actions.SavePost(post, user=user, note="Created by autosave").run()


def _answer(post: Post, base, *, conflict, created=False) -> JsonResponse:
    now = timezone.localtime()
    answer = {
        "post": post.pk,
        "edit_url": reverse("desk:edit_post", args=[post.pk]),
        "base_revision": base.pk if base else None,
        "saved_at": now.isoformat(),
        "saved_label": _("Autosaved at %s") % time_format(now, "H:i"),
        "created": created,
        "conflict": None,
    }
    if conflict is not None:
        who = conflict.author
        name = (getattr(who, "display_name", "") or who.get_username()) if who else "?"
        answer["conflict"] = _(
            "%(name)s saved this post at %(time)s while you were writing. "
            "Saving now will show you both versions first."
        ) % {
            "name": name,
            "time": time_format(timezone.localtime(conflict.created_at), "H:i"),
        }
    return JsonResponse(answer)
