"""Every screen of the desk, read from the URL map rather than listed by hand.

``desk_routes()`` walks the ``desk`` namespace, so a screen added later is
part of the role table and of the accessibility walk without anyone adding
it here; a route whose arguments this module cannot fill fails the tests
(``ROUTE_ARGUMENTS`` says what each argument name means).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Route:
    name: str  # "desk:comments"
    arguments: tuple[str, ...]


def _walk(patterns, namespace: str):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = getattr(entry.pattern, "converters", {}) or {}
            names = tuple(converters) or tuple(entry.pattern.regex.groupindex)
            yield Route(f"{namespace}:{entry.name}", names)


def desk_routes() -> list[Route]:
    _prefix, resolver = get_resolver().namespace_dict["desk"]
    seen, routes = set(), []
    for route in _walk(resolver.url_patterns, "desk"):
        if route.name not in seen:
            seen.add(route.name)
            routes.append(route)
    return routes


def address(route: Route, values: dict[str, object]) -> str:
    missing = [name for name in route.arguments if name not in values]
    if missing:
        raise AssertionError(
            f"{route.name} takes {missing}: add what they mean to the site "
            "fixture's values in tests/desk/conftest.py"
        )
    return reverse(route.name, kwargs={n: values[n] for n in route.arguments})
