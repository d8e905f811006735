"""The writer's tools around the post form: live preview and revision history.

These views are mounted inside the admin by ``PostAdmin.get_urls`` (through
``admin_site.admin_view``), so they are for staff only and keep Django's
CSRF protection. Each view parses the request, calls the Markdown pipeline
or a posts service, and renders.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from afterword.core.markdown import render_markdown
from afterword.core.numbers import ascii_number
from afterword.media.services import describe_image

from . import actions
from .models import Post, Revision

# Lines of unchanged text shown around each change in a comparison.
DIFF_CONTEXT = 3
# The preview refuses sources far larger than any post, to stay cheap.
MAX_PREVIEW_CHARS = 500_000


@require_POST
def preview(request: HttpRequest) -> JsonResponse:
    """Render Markdown exactly as saving would, for the editor's preview pane."""
    user = request.user
    if not (user.has_perm("posts.add_post") or user.has_perm("posts.change_post")):
        return JsonResponse({"error": "Your account may not write posts."}, status=403)
    source = request.POST.get("body", "")
    if len(source) > MAX_PREVIEW_CHARS:
        return JsonResponse({"error": "This text is too long to preview."}, status=400)
    rendered = render_markdown(source, image_resolver=describe_image)
    # The pipeline's warnings include images still lacking alt text.
    return JsonResponse({"html": rendered.html, "warnings": rendered.warnings})


@dataclass
class DiffLine:
    """One row of a comparison: ``kind`` is context, removed, added or gap."""

    kind: str
    text: str = ""
    old_number: int | None = None
    new_number: int | None = None


@dataclass
class FieldDiff:
    label: str
    changed: bool
    lines: list[DiffLine] = field(default_factory=list)


def diff_text(old: str, new: str, *, context: int = DIFF_CONTEXT) -> list[DiffLine]:
    """A unified, line-by-line comparison of two texts, as rows to print.

    The rows hold plain text; the template escapes it, so nothing a writer
    typed can become markup on the comparison page.
    """
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    rows: list[DiffLine] = []
    for index, group in enumerate(matcher.get_grouped_opcodes(context)):
        if index:
            rows.append(DiffLine("gap"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.extend(
                    DiffLine("context", old_lines[i], i + 1, j + 1)
                    for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                )
                continue
            rows.extend(
                DiffLine("removed", old_lines[i], old_number=i + 1)
                for i in range(i1, i2)
            )
            rows.extend(
                DiffLine("added", new_lines[j], new_number=j + 1) for j in range(j1, j2)
            )
    return rows


def compare_revisions(old: Revision, new: Revision) -> list[FieldDiff]:
    """Title, body and excerpt of two revisions, side by side as diffs."""
    diffs = []
    for name, label in (("title", "Title"), ("body", "Body"), ("excerpt", "Excerpt")):
        before, after = getattr(old, name), getattr(new, name)
        diffs.append(FieldDiff(label, before != after, diff_text(before, after)))
    return diffs


def _post_for(model_admin: ModelAdmin, request: HttpRequest, object_id: str) -> Post:
    post = get_object_or_404(model_admin.get_queryset(request), pk=object_id)
    if not model_admin.has_view_or_change_permission(request, post):
        raise PermissionDenied
    return post


def _context(model_admin: ModelAdmin, request: HttpRequest, post: Post, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": post,
        "has_change_permission": model_admin.has_change_permission(request, post),
        **extra,
    }


def revision_list(
    request: HttpRequest, object_id: str, *, model_admin: ModelAdmin
) -> TemplateResponse:
    """Every revision of a post, newest first, with compare and restore."""
    post = _post_for(model_admin, request, object_id)
    revisions = list(post.revisions.select_related("author"))
    context = _context(
        model_admin,
        request,
        post,
        title=f"Revisions of “{post.title}”",
        revisions=revisions,
    )
    return TemplateResponse(request, "admin/posts/revision_list.html", context)


def revision_compare(
    request: HttpRequest, object_id: str, *, model_admin: ModelAdmin
) -> HttpResponse:
    """Compare any two revisions of a post, the older one first."""
    post = _post_for(model_admin, request, object_id)
    list_url = reverse(
        f"admin:{post._meta.app_label}_{model_admin.model._meta.model_name}_revisions",
        args=[post.pk],
    )
    wanted = [request.GET.get("a", ""), request.GET.get("b", "")]
    if any(ascii_number(value) is None for value in wanted) or wanted[0] == wanted[1]:
        messages.warning(request, "Choose two different revisions to compare.")
        return HttpResponseRedirect(list_url)
    found = {
        r.pk: r for r in post.revisions.filter(pk__in=wanted).select_related("author")
    }
    if len(found) != 2:
        messages.warning(request, "Those revisions do not belong to this post.")
        return HttpResponseRedirect(list_url)
    old, new = sorted(found.values(), key=lambda r: (r.created_at, r.pk))
    context = _context(
        model_admin,
        request,
        post,
        title=f"Comparing revisions of “{post.title}”",
        old=old,
        new=new,
        diffs=compare_revisions(old, new),
        list_url=list_url,
    )
    return TemplateResponse(request, "admin/posts/revision_compare.html", context)


@require_POST
def revision_restore(
    request: HttpRequest, object_id: str, revision_id: str, *, model_admin: ModelAdmin
) -> HttpResponseRedirect:
    """Put a revision's title, body and excerpt back, as a new revision."""
    post = _post_for(model_admin, request, object_id)
    if not model_admin.has_change_permission(request, post):
        raise PermissionDenied
    revision = get_object_or_404(post.revisions.all(), pk=revision_id)
    change_url = reverse(
        f"admin:{post._meta.app_label}_{model_admin.model._meta.model_name}_change",
        args=[post.pk],
    )
    try:
        actions.restore_revision(revision, user=request.user)
    except ValidationError as error:
        messages.error(request, "Could not restore: " + " ".join(error.messages))
        return HttpResponseRedirect(change_url)
    messages.success(
        request, f"Restored the revision of {revision.created_at:%Y-%m-%d %H:%M:%S}."
    )
    return HttpResponseRedirect(change_url)
