"""Reading views of series: the index and one series with its parts."""

from __future__ import annotations

import dataclasses

from django.db.models import Count
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from afterword.core import memo
from afterword.posts import seo

from . import jsonld, toc
from .models import Series


class SeriesIndexView(ListView):
    template_name = "series/series_list.html"
    context_object_name = "series_list"

    def get_queryset(self):
        return Series.objects.annotate(part_count=Count("parts")).select_related(
            "cover_image"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meta=seo.page_meta(
                self.request,
                title=_("Series"),
                description=_("Long reviews and essays published in parts."),
            ),
            **kwargs,
        )


class SeriesView(DetailView):
    template_name = "series/series_detail.html"
    context_object_name = "series"

    def get_object(self, queryset=None) -> Series:
        # Kept for the content version, like the page's fragment: a kept
        # series page reads nothing. A slug naming nothing keeps nothing.
        slug = self.kwargs["slug"]
        return memo.remember_row(
            f"series:{slug}",
            Series.objects.select_related("cover_image").prefetch_related(
                "cover_image__renditions"
            ),
            slug=slug,
        )

    def get_context_data(self, **kwargs):
        contents = toc.for_series(self.object)
        meta = seo.page_meta(
            self.request,
            title=self.object.title,
            description=self.object.description,
            image=self.object.cover_image,
        )
        meta = dataclasses.replace(meta, json_ld=jsonld.series_data(contents))
        return super().get_context_data(toc=contents, meta=meta, **kwargs)
