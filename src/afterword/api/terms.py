"""Tags and categories (``posts.SaveTerm``, ``posts.DeleteTerm``).

Creating a term needs the ``draft`` scope (writers file their drafts);
renaming or deleting one changes live pages and needs ``publish``.
"""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from afterword.credentials import scopes
from afterword.posts.actions import DeleteTerm, SaveTerm
from afterword.posts.models import Category, Tag

from .auth import need, user
from .conditional import check_if_match
from .errors import ApiError
from .pagination import DEFAULT_LIMIT, MAX_LIMIT, Keyset, paginate
from .responses import DELETING, reading, writing
from .schemas import (
    CategoryIn,
    CategoryOut,
    CategoryPage,
    CategoryPatch,
    TagIn,
    TagOut,
    TagPage,
    TagPatch,
)

router = Router()
TAGS = Keyset("tags", "name", descending=False)
CATEGORIES = Keyset("categories", "name", descending=False)


def _apply(term, data: dict) -> None:
    for field in ("name", "slug", "description"):
        if field in data:
            setattr(term, field, data[field].strip())
    if "parent" in data:
        parent = data["parent"]
        if parent is not None and not Category.objects.filter(pk=parent).exists():
            raise ApiError(
                422, _("No such category."), fields={"parent": _("No such category.")}
            )
        term.parent_id = parent
    if not term.slug:
        term.slug = slugify(term.name, allow_unicode=True)[:100]
    clash = type(term).objects.filter(slug=term.slug).exclude(pk=term.pk)
    if not term.slug or clash.exists():
        raise ApiError(
            422,
            _("This address is taken or empty."),
            fields={"slug": _("Choose another slug.")},
        )


def _save(request, term, data: dict, schema):
    _apply(term, data)
    SaveTerm(term, user=user(request)).run()
    return term


def _term_routes(model, keyset, noun, out, page, in_schema, patch_schema):
    plural = f"{noun}s" if noun == "tag" else "categories"
    one = f"/{plural}/{{int:{noun}_id}}"
    term_id_in_path = Path(..., alias=f"{noun}_id")

    @router.get(f"/{plural}", response=reading(page), operation_id=f"list_{plural}")
    def list_terms(
        request,
        search: str | None = Query(None, max_length=100),
        cursor: str | None = Query(None, max_length=500),
        limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    ):
        terms = model.objects.all()
        if search:
            terms = terms.filter(name__icontains=search)
        return paginate(terms, keyset, cursor, limit)

    @router.get(one, response=reading(out), operation_id=f"get_{noun}")
    def get_term(request, term_id: int = term_id_in_path):
        return get_object_or_404(model, pk=term_id)

    @router.post(
        f"/{plural}", response=writing(out, 201), operation_id=f"create_{noun}"
    )
    def create_term(request, payload: in_schema):
        need(request, scopes.DRAFT)
        with transaction.atomic():
            term = _save(request, model(), payload.model_dump(), out)
        return Status(201, term)

    @router.patch(
        one,
        response=writing(out),
        operation_id=f"update_{noun}",
    )
    def update_term(request, payload: patch_schema, term_id: int = term_id_in_path):
        need(request, scopes.PUBLISH)
        with transaction.atomic():
            term = get_object_or_404(model.objects.select_for_update(), pk=term_id)
            check_if_match(request, out, term)
            _save(request, term, payload.model_dump(exclude_unset=True), out)
        return term

    @router.delete(
        one,
        response=DELETING,
        operation_id=f"delete_{noun}",
    )
    def delete_term(request, term_id: int = term_id_in_path):
        need(request, scopes.PUBLISH)
        with transaction.atomic():
            term = get_object_or_404(model.objects.select_for_update(), pk=term_id)
            check_if_match(request, out, term)
            DeleteTerm(term, user=user(request)).run()
        return Status(204, None)


_term_routes(Tag, TAGS, "tag", TagOut, TagPage, TagIn, TagPatch)
_term_routes(
    Category,
    CATEGORIES,
    "category",
    CategoryOut,
    CategoryPage,
    CategoryIn,
    CategoryPatch,
)
