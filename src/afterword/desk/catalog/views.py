"""Catalog: works, people and organisations, searched, filtered and edited.

Works and people are edited here; credits, releases and relations (and
organisations) stay on Django's admin pages, linked as "More details".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, ProtectedError, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from afterword.catalog.actions import DeleteCatalogObject, SaveCatalogObject
from afterword.catalog.models import (
    Credit,
    Organisation,
    Person,
    PostMention,
    PostWork,
    Work,
)
from afterword.core.counting import CappedPaginator
from afterword.desk.access import desk_view
from afterword.desk.action_errors import run_for_form

from .forms import PersonForm, WorkForm

PAGE_SIZE = 30


@dataclass(frozen=True)
class Listing:
    """One of the catalog's three lists."""

    key: str
    label: str
    model: type
    order: tuple[str, ...]
    search: tuple[str, ...]
    count_label: str
    editable: bool

    def kinds(self):
        kind = getattr(self.model, "Kind", None)
        return kind.choices if kind else []

    def counts(self, ids: list[int]) -> dict[int, int]:
        """How many posts (for organisations: works) each row is linked to,
        in one grouped query for the whole page."""
        if self.model is Work:
            rows = PostWork.objects.filter(work_id__in=ids).values_list("work_id")
            rows = rows.annotate(n=Count("post_id", distinct=True))
        elif self.model is Person:
            rows = PostMention.objects.filter(person_id__in=ids).values_list(
                "person_id"
            )
            rows = rows.annotate(n=Count("post_id", distinct=True))
        else:
            rows = Credit.objects.filter(organisation_id__in=ids).values_list(
                "organisation_id"
            )
            rows = rows.annotate(n=Count("work_id", distinct=True))
        return dict(rows.order_by())


LISTINGS = {
    listing.key: listing
    for listing in (
        Listing(
            "works",
            gettext_lazy("Works"),
            Work,
            ("title", "year", "pk"),
            ("title", "original_title", "alternative_titles"),
            gettext_lazy("Posts about it"),
            True,
        ),
        Listing(
            "people",
            gettext_lazy("People"),
            Person,
            ("name", "pk"),
            ("name", "native_name", "alternative_names"),
            gettext_lazy("Posts mentioning them"),
            True,
        ),
        Listing(
            "organisations",
            gettext_lazy("Organisations"),
            Organisation,
            ("name", "pk"),
            ("name", "native_name"),
            gettext_lazy("Works credited"),
            False,
        ),
    )
}
EDITORS = {"works": (Work, WorkForm), "people": (Person, PersonForm)}


@desk_view("catalog.view_work")
def catalog(request):
    listing = LISTINGS.get(request.GET.get("list", "works"), LISTINGS["works"])
    query = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("kind", "")
    if kind not in dict(listing.kinds()):
        kind = ""
    rows = listing.model.objects.order_by(*listing.order)
    if query:
        found = Q()
        for field in listing.search:
            found |= Q(**{f"{field}__icontains": query})
        rows = rows.filter(found)
    if kind:
        rows = rows.filter(kind=kind)
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    counts = listing.counts([item.pk for item in items])
    opts = listing.model._meta
    can_edit = request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
    can_add = request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}")
    entries = [
        {
            "item": item,
            "posts": counts.get(item.pk, 0),
            "edit_url": edit_url(listing, item) if can_edit else "",
        }
        for item in items
    ]
    return TemplateResponse(
        request,
        "desk/catalog/list.html",
        {
            "nav_current": "catalog",
            "listing": listing,
            "listings": LISTINGS.values(),
            "query": query,
            "kind": kind,
            "page": page,
            "rows": entries,
            "new_url": reverse("desk:catalog_new", args=[listing.key])
            if can_add and listing.editable
            else "",
        },
    )


def edit_url(listing: Listing, item) -> str:
    if listing.editable:
        return reverse("desk:catalog_edit", args=[listing.key, item.pk])
    return reverse("admin:catalog_organisation_change", args=[item.pk])


def editor_for(kind: str):
    try:
        return EDITORS[kind]
    except KeyError:
        raise Http404("No such list in the catalog.") from None


@desk_view(("catalog.add_work", "catalog.add_person"))
def new(request, kind: str):
    model, form_class = editor_for(kind)
    return edit_page(request, kind, model, form_class, model())


@desk_view(("catalog.change_work", "catalog.change_person"))
def edit(request, kind: str, pk: int):
    model, form_class = editor_for(kind)
    return edit_page(request, kind, model, form_class, get_object_or_404(model, pk=pk))


def edit_page(request, kind, model, form_class, instance):
    """The form for one work or person; saving goes through the catalog's
    action, which asks for the add or change permission itself."""
    creating = instance.pk is None
    form = form_class(request.POST or None, instance=instance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            action = SaveCatalogObject(form.instance, user=request.user)
            saved, item = run_for_form(action, form)
            if saved:
                messages.success(request, _("“%(name)s” is saved.") % {"name": item})
                return redirect("desk:catalog_edit", kind, item.pk)
        status = 400
    opts = model._meta
    return TemplateResponse(
        request,
        "desk/catalog/edit.html",
        {
            "nav_current": "catalog",
            "kind": kind,
            "form": form,
            "item": instance,
            "creating": creating,
            "listing": LISTINGS[kind],
            "admin_url": ""
            if creating
            else reverse(f"admin:catalog_{opts.model_name}_change", args=[instance.pk]),
            "can_delete": not creating
            and request.user.has_perm(f"catalog.delete_{opts.model_name}"),
        },
        status=status,
    )


@require_POST
@desk_view(("catalog.delete_work", "catalog.delete_person"))
def delete(request, kind: str, pk: int):
    model, form_class = editor_for(kind)
    item = get_object_or_404(model, pk=pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the deletion."))
        return redirect("desk:catalog_edit", kind, item.pk)
    try:
        try:
            DeleteCatalogObject(item, user=request.user).run()
        except ProtectedError:
            raise ValidationError(
                _(
                    "“%(name)s” has parts (episodes, segments…): move or delete "
                    "them first."
                )
                % {"name": item}
            ) from None
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("desk:catalog_edit", kind, item.pk)
    messages.success(request, _("“%(name)s” is deleted.") % {"name": item})
    return redirect(f"{reverse('desk:catalog')}?list={kind}")
