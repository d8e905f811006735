"""``include()`` for a URL module that is imported only when it is needed.

``path(route, include(module))`` imports ``module`` at once, and Django's
first ``reverse()`` reads every included pattern. The API's routes build
their schemas when imported (django-ninja and pydantic: a quarter of a
second and about 10 MB), so a worker serving pages, or a static build after
one edit, paid that for addresses it never answers.

:func:`include_when_asked` mounts a namespaced module that is imported when
a request's path starts with its route (``resolve``), or when one of its
names is reversed (``reverse("api:docs")``), and not before.
"""

from __future__ import annotations

from django.urls import URLResolver
from django.urls.resolvers import RoutePattern
from django.utils.translation import get_language


class ResolverWhenAsked(URLResolver):
    """A resolver that reads its patterns for its own names only.

    The parent resolver calls ``_populate`` on every child while building
    its own table of names; a namespaced child's names live under its
    namespace, which the parent reaches through ``namespace_dict`` and this
    resolver's ``reverse_dict`` later. So the parent's call does nothing
    here, and the tables read the patterns on first use.
    """

    def _populate(self) -> None:
        pass

    def _read(self) -> None:
        if get_language() not in self._reverse_dict:
            URLResolver._populate(self)

    @property
    def reverse_dict(self):
        self._read()
        return super().reverse_dict

    @property
    def namespace_dict(self):
        self._read()
        return super().namespace_dict

    @property
    def app_dict(self):
        self._read()
        return super().app_dict

    def _is_callback(self, name):
        self._read()
        return super()._is_callback(name)


def include_when_asked(route: str, module: str, namespace: str) -> URLResolver:
    """``path(route, include(module, namespace))``, imported on first use."""
    return ResolverWhenAsked(
        RoutePattern(route, is_endpoint=False),
        module,
        app_name=namespace,
        namespace=namespace,
    )
