"""Search-as-you-type for the editor's panel, and creating what is missing.

``lookup/<kind>/?q=`` answers with at most ten matches as JSON; ``create/
<kind>/`` adds a work, a person or a tag through its app's action and answers
with it, so the panel can link it at once. Each kind asks for the permission
its model's list or its creation needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from afterword.catalog.actions import SaveCatalogObject
from afterword.catalog.models import Person, Work
from afterword.core.admin import refusal_text
from afterword.media.models import Image
from afterword.media.services import thumbnail_url
from afterword.posts.actions import SaveTerm
from afterword.posts.models import Category, Tag
from afterword.series.models import Series

from ..access import desk_view

SHOWN = 10


@dataclass(frozen=True)
class Kind:
    permission: str
    search: Callable[[str], object]
    describe: Callable[[object], dict]


def _label(obj) -> dict:
    return {"id": obj.pk, "label": str(obj)}


def _image(image) -> dict:
    return {
        "id": image.pk,
        "label": str(image),
        "thumbnail": thumbnail_url(image),
        "alt": image.alt_text,
    }


KINDS: dict[str, Kind] = {
    "works": Kind(
        "catalog.view_work",
        lambda q: Work.objects.filter(
            Q(title__icontains=q) | Q(original_title__icontains=q)
        ).order_by("title", "year"),
        _label,
    ),
    "people": Kind(
        "catalog.view_person",
        lambda q: Person.objects.filter(
            Q(name__icontains=q) | Q(native_name__icontains=q)
        ).order_by("name"),
        _label,
    ),
    "tags": Kind(
        "posts.view_tag", lambda q: Tag.objects.filter(name__icontains=q), _label
    ),
    "categories": Kind(
        "posts.view_category",
        lambda q: Category.objects.filter(name__icontains=q),
        _label,
    ),
    "series": Kind(
        "series.view_series",
        lambda q: Series.objects.filter(title__icontains=q),
        _label,
    ),
    "images": Kind(
        "media.view_image",
        lambda q: Image.objects.filter(
            Q(title__icontains=q) | Q(alt_text__icontains=q) | Q(caption__icontains=q)
        ).prefetch_related("renditions"),
        _image,
    ),
}


@require_GET
@desk_view()
def lookup(request, kind: str):
    found = KINDS.get(kind)
    if found is None:
        raise Http404
    if not request.user.has_perm(found.permission):
        return JsonResponse({"error": _("Your role cannot look these up.")}, status=403)
    query = request.GET.get("q", "").strip()[:100]
    if not query:
        return JsonResponse({"results": []})
    results = [found.describe(obj) for obj in found.search(query)[:SHOWN]]
    return JsonResponse({"results": results})


def _unique(model, base: str, *, unicode: bool = False) -> str:
    base = slugify(base, allow_unicode=unicode)[:180] or model._meta.model_name
    taken = set(
        model.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _new_work(name: str, user):
    return SaveCatalogObject(
        Work(title=name, slug=_unique(Work, name)), user=user
    ).run()


def _new_person(name: str, user):
    return SaveCatalogObject(
        Person(name=name, slug=_unique(Person, name)), user=user
    ).run()


def _new_tag(name: str, user):
    existing = Tag.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    return SaveTerm(
        Tag(name=name, slug=_unique(Tag, name, unicode=True)), user=user
    ).run()


CREATORS = {"works": _new_work, "people": _new_person, "tags": _new_tag}


@require_POST
@desk_view()
def create(request, kind: str):
    creator = CREATORS.get(kind)
    if creator is None:
        raise Http404
    name = " ".join(request.POST.get("name", "").split())[:200]
    if not name:
        return JsonResponse({"error": _("Type a name first.")}, status=400)
    try:
        obj = creator(name, request.user)
    except PermissionDenied as error:
        return JsonResponse({"error": refusal_text(error)}, status=403)
    except ValidationError as error:
        return JsonResponse({"error": refusal_text(error)}, status=400)
    return JsonResponse(_label(obj), status=201)
