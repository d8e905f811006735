"""The catalog: works, people and their credits (``catalog.SaveCatalogObject``
and ``DeleteCatalogObject``: the model's own rules, such as a work's parent
cycle, are checked by them). Writes need the ``catalog`` scope."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from afterword.catalog.actions import DeleteCatalogObject, SaveCatalogObject
from afterword.catalog.models import Credit, Person, Role, Work
from afterword.credentials import scopes

from .auth import need, user
from .conditional import check_if_match
from .errors import ApiError
from .pagination import DEFAULT_LIMIT, MAX_LIMIT, Keyset, paginate
from .responses import DELETING, reading, writing
from .schemas import (
    CreditIn,
    CreditList,
    CreditOut,
    CreditPatch,
    PersonIn,
    PersonOut,
    PersonPage,
    PersonPatch,
    WorkIn,
    WorkOut,
    WorkPage,
    WorkPatch,
)

router = Router()


def _apply(row, data: dict, title_field: str) -> None:
    for field, value in data.items():
        if field == "parent":
            if value is not None and not Work.objects.filter(pk=value).exists():
                raise ApiError(
                    422, _("No such work."), fields={"parent": _("No such work.")}
                )
            row.parent_id = value
        elif field in ("person", "role"):
            continue
        else:
            setattr(row, field, value.strip() if isinstance(value, str) else value)
    if not getattr(row, "slug", None):
        row.slug = slugify(getattr(row, title_field))[:200]
    clash = type(row).objects.filter(slug=row.slug).exclude(pk=row.pk)
    if not row.slug or clash.exists():
        raise ApiError(
            422,
            _("This address is taken or empty."),
            fields={"slug": _("Choose another slug.")},
        )


def _entity_routes(model, noun, plural, title_field, out, page, in_schema, patch):
    keyset = Keyset(plural, title_field, descending=False)
    # The address names its resource ("/works/{work_id}"), as the credits'.
    one = f"/{plural}/{{int:{noun}_id}}"

    @router.get(f"/{plural}", response=reading(page), operation_id=f"list_{plural}")
    def list_rows(
        request,
        search: str | None = Query(None, max_length=200),
        cursor: str | None = Query(None, max_length=500),
        limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    ):
        rows = model.objects.all()
        if search:
            rows = rows.filter(**{f"{title_field}__icontains": search})
        return paginate(rows, keyset, cursor, limit)

    @router.get(one, response=reading(out), operation_id=f"get_{noun}")
    def get_row(request, row_id: int = Path(..., alias=f"{noun}_id")):
        return get_object_or_404(model, pk=row_id)

    @router.post(
        f"/{plural}", response=writing(out, 201), operation_id=f"create_{noun}"
    )
    def create_row(request, payload: in_schema):
        need(request, scopes.CATALOG)
        row = model()
        _apply(row, payload.model_dump(exclude_unset=True), title_field)
        SaveCatalogObject(row, user=user(request)).run()
        return Status(201, row)

    @router.patch(
        one,
        response=writing(out),
        operation_id=f"update_{noun}",
    )
    def update_row(
        request, payload: patch, row_id: int = Path(..., alias=f"{noun}_id")
    ):
        need(request, scopes.CATALOG)
        with transaction.atomic():
            row = get_object_or_404(model.objects.select_for_update(), pk=row_id)
            check_if_match(request, out, row)
            _apply(row, payload.model_dump(exclude_unset=True), title_field)
            SaveCatalogObject(row, user=user(request)).run()
        return model.objects.get(pk=row.pk)

    @router.delete(one, response=DELETING, operation_id=f"delete_{noun}")
    def delete_row(request, row_id: int = Path(..., alias=f"{noun}_id")):
        need(request, scopes.CATALOG)
        with transaction.atomic():
            row = get_object_or_404(model.objects.select_for_update(), pk=row_id)
            check_if_match(request, out, row)
            DeleteCatalogObject(row, user=user(request)).run()
        return Status(204, None)


_entity_routes(Work, "work", "works", "title", WorkOut, WorkPage, WorkIn, WorkPatch)
_entity_routes(
    Person, "person", "people", "name", PersonOut, PersonPage, PersonIn, PersonPatch
)


# ---------------------------------------------------------------------------
# Credits


def _role(slug: str) -> Role:
    role = Role.objects.filter(slug=slug).first()
    if role is None:
        raise ApiError(422, _("No such role."), fields={"role": _("No such role.")})
    return role


def credits():
    return Credit.objects.select_related("role")


@router.get(
    "/works/{int:work_id}/credits",
    response=reading(CreditList),
    summary="A work's credits, in their order",
)
def list_credits(request, work_id: int):
    work = get_object_or_404(Work, pk=work_id)
    return {"items": list(credits().filter(work=work))}


@router.post(
    "/works/{int:work_id}/credits",
    response=writing(CreditOut, 201),
    summary="Credit a person on a work",
)
def create_credit(request, work_id: int, payload: CreditIn):
    need(request, scopes.CATALOG)
    work = get_object_or_404(Work, pk=work_id)
    person = Person.objects.filter(pk=payload.person).first()
    if person is None:
        raise ApiError(
            422, _("No such person."), fields={"person": _("No such person.")}
        )
    credit = Credit(
        work=work,
        person=person,
        role=_role(payload.role),
        character_name=payload.character_name.strip(),
        sort_order=payload.sort_order,
    )
    SaveCatalogObject(credit, user=user(request)).run()
    return Status(201, credits().get(pk=credit.pk))


@router.get("/credits/{int:credit_id}", response=reading(CreditOut))
def get_credit(request, credit_id: int):
    return get_object_or_404(credits(), pk=credit_id)


@router.patch("/credits/{int:credit_id}", response=writing(CreditOut))
def update_credit(request, credit_id: int, payload: CreditPatch):
    need(request, scopes.CATALOG)
    data = payload.model_dump(exclude_unset=True)
    with transaction.atomic():
        credit = get_object_or_404(
            credits().select_for_update(of=("self",)), pk=credit_id
        )
        check_if_match(request, CreditOut, credit)
        if "role" in data:
            credit.role = _role(data["role"])
        if "character_name" in data:
            credit.character_name = data["character_name"].strip()
        if "sort_order" in data:
            credit.sort_order = data["sort_order"]
        SaveCatalogObject(credit, user=user(request)).run()
    return credits().get(pk=credit.pk)


@router.delete("/credits/{int:credit_id}", response=DELETING)
def delete_credit(request, credit_id: int):
    need(request, scopes.CATALOG)
    with transaction.atomic():
        credit = get_object_or_404(
            credits().select_for_update(of=("self",)), pk=credit_id
        )
        check_if_match(request, CreditOut, credit)
        DeleteCatalogObject(credit, user=user(request)).run()
    return Status(204, None)
