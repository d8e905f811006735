"""Reading views of the catalog: indexes, work, person and organisation pages.

Each view fetches through ``queries`` (fixed query counts) and renders.
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from afterword.core import memo
from afterword.core.keyset import KeysetPaginator
from afterword.core.numbers import AsciiPageNumbers, ascii_number, page_number
from afterword.posts import seo

from . import jsonld, queries, recommend
from .models import Organisation, Person, Role, Work

INDEX_PAGE_SIZE = 50
# The largest value of ``Work.year`` (a PositiveSmallIntegerField).
YEAR_MAX = 32767


class WorkIndexView(AsciiPageNumbers, ListView):
    """All works, filtered by kind and year (``?kind=anime_film&year=1995``)."""

    template_name = "catalog/work_list.html"
    context_object_name = "works"
    paginate_by = INDEX_PAGE_SIZE
    pages_as_folders = True

    def get_queryset(self):
        works = Work.objects.select_related("parent").order_by("title", "year")
        self.kind = self.request.GET.get("kind", "")
        if self.kind in Work.Kind.values:
            works = works.filter(kind=self.kind)
        else:
            self.kind = ""
        # Any other text (another script's digits, a year no work can have)
        # shows every year, as the form's "All years" does.
        year = ascii_number(self.request.GET.get("year", ""), maximum=YEAR_MAX)
        if year is not None:
            works = works.filter(year=year)
        self.year = "" if year is None else str(year)
        return works

    def get_context_data(self, **kwargs):
        years = (
            Work.objects.exclude(year=None)
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        return super().get_context_data(
            kinds=Work.Kind.choices,
            kind=self.kind,
            year=self.year,
            years=list(years),
            page_title=_("Works"),
            **kwargs,
        )


class KeysetIndex:
    """A ``ListView`` mixin: numbered pages read by keyset (``core.keyset``),
    the listing named by the view and its filters. A static copy writes the
    unfiltered list's page N at ``<address>page/N/``."""

    pages_as_folders = True

    def listing_key(self) -> str | None:
        return type(self).__name__

    def get_paginator(self, queryset, per_page, orphans=0, **kwargs):
        return KeysetPaginator(queryset, per_page, key=self.listing_key(), **kwargs)


class PersonIndexView(KeysetIndex, AsciiPageNumbers, ListView):
    """All people, filtered by the role they had (``?role=director``)."""

    template_name = "catalog/person_list.html"
    context_object_name = "people"
    paginate_by = INDEX_PAGE_SIZE

    def get_queryset(self):
        people = Person.objects.order_by("name", "id")
        self.role = self.request.GET.get("role", "")
        if self.role:
            people = people.filter(
                pk__in=Person.objects.filter(credits__role__slug=self.role).values("pk")
            )
        return people

    def listing_key(self) -> str | None:
        # Any text can be sent as a role: only the unfiltered list is kept,
        # so invented filters cannot fill the cache.
        return None if self.role else "people"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            roles=Role.objects.filter(kind=Role.Kind.PERSON),
            role=self.role,
            page_title=_("People"),
            **kwargs,
        )


class OrganisationIndexView(KeysetIndex, AsciiPageNumbers, ListView):
    template_name = "catalog/organisation_list.html"
    context_object_name = "organisations"
    paginate_by = INDEX_PAGE_SIZE
    queryset = Organisation.objects.order_by("name", "id")
    extra_context = {"page_title": _("Organisations")}


class WorkView(TemplateView):
    # Its reviews' page N: ``<address>page/N/`` on a static copy.
    pages_as_folders = True
    template_name = "catalog/work_detail.html"

    def get_context_data(self, **kwargs):
        # Kept for the content version, as the rest of the page is.
        work = memo.remember_row(
            f"work:{kwargs['slug']}",
            Work.objects.select_related("parent", "image"),
            slug=kwargs["slug"],
        )
        context = queries.work_page(work, page_number(self.request))
        people = context.pop("people")
        description = work.synopsis or f"{work}: {work.get_kind_display()}."
        context["meta"] = dataclasses.replace(
            seo.page_meta(
                self.request, title=str(work), description=description, image=work.image
            ),
            og_type="video.movie" if jsonld.schema_type(work) == "Movie" else "website",
            json_ld=jsonld.work_data(work, people, context["parts"]),
        )
        context["suggestions"] = recommend.suggestions(work)
        return super().get_context_data(**context, **kwargs)


class PersonView(TemplateView):
    pages_as_folders = True
    template_name = "catalog/person_detail.html"

    def get_context_data(self, **kwargs):
        person = memo.remember_row(
            f"person:{kwargs['slug']}",
            Person.objects.select_related("image"),
            slug=kwargs["slug"],
        )
        context = queries.person_page(person, page_number(self.request))
        titles = [group.role.name for group in context["role_groups"]]
        description = person.bio or f"{person.name}: " + ", ".join(titles)
        context["meta"] = dataclasses.replace(
            seo.page_meta(
                self.request,
                title=person.name,
                description=description,
                image=person.image,
            ),
            og_type="profile",
            json_ld=jsonld.person_data(person, titles),
        )
        return super().get_context_data(**context, **kwargs)


class OrganisationView(TemplateView):
    template_name = "catalog/organisation_detail.html"

    def get_context_data(self, **kwargs):
        org = get_object_or_404(Organisation, slug=kwargs["slug"])
        context = queries.organisation_page(org)
        context["meta"] = seo.page_meta(
            self.request, title=org.name, description=org.description
        )
        return super().get_context_data(**context, **kwargs)


def card(request, kind: str, slug: str) -> JsonResponse:
    """The small preview shown when a reader hovers or focuses a reference."""
    if kind == "work":
        work = get_object_or_404(Work, slug=slug)
        facts = [str(work.year) if work.year else "", work.get_kind_display()]
        data = {
            "title": work.title,
            "subtitle": work.original_title,
            "facts": " · ".join(f for f in facts if f),
            "text": _clip(work.synopsis),
            "url": work.get_absolute_url(),
        }
    elif kind == "person":
        person = get_object_or_404(Person, slug=slug)
        data = {
            "title": person.name,
            "subtitle": person.native_name,
            "facts": "",
            "text": _clip(person.bio),
            "url": person.get_absolute_url(),
        }
    else:
        raise Http404("No such kind of reference.")
    response = JsonResponse(data)
    response["Cache-Control"] = (
        f"public, max-age={getattr(settings, 'AFTERWORD_CARD_MAX_AGE', 300)}"
    )
    return response


def _clip(text: str, words: int = 40) -> str:
    parts = (text or "").split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")
