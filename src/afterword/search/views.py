"""The search results page."""

from django.conf import settings
from django.utils.translation import gettext
from django.views.generic import ListView

from afterword.core.numbers import AsciiPageNumbers
from afterword.posts import seo

from .forms import SearchForm
from .services import search


class SearchView(AsciiPageNumbers, ListView):
    template_name = "search/results.html"
    context_object_name = "results"

    def get_paginate_by(self, queryset):
        return settings.AFTERWORD_PAGE_SIZE

    def get_queryset(self):
        self.form = SearchForm(self.request.GET)
        self.query = self.form.query()
        return search(self.query)

    def get_context_data(self, **kwargs):
        title = (
            gettext("Search results for “%(query)s”") % {"query": self.query}
            if self.query
            else gettext("Search")
        )
        # Result pages are endless variations of the site's own content:
        # crawlers are asked not to index them.
        meta = seo.page_meta(self.request, title=title, noindex=True)
        return super().get_context_data(
            form=self.form, query=self.query, page_title=title, meta=meta, **kwargs
        )
