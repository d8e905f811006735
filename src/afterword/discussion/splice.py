"""A kept comment section put into the page's bytes after rendering.

A post with 300 comments is a 300 KB page, nearly all of it the comment
section, which plain anonymous readers are given from memory
(``templatetags.discussion.comments_section``). Returned through the
template, that text is copied at every level it passes (the ``if`` around
it, the content block, the base template: each joins its parts, then makes
the result a ``SafeString``) and encoded once more at the end: more than
half of such a page's time. So the tag leaves a short mark instead, and
:class:`SpliceMiddleware` puts the section, kept as encoded bytes, in its
place once the page is rendered: one join.

The tag leaves a mark only on requests that passed through the middleware
(which says so on the request), so a template rendered any other way still
gets its section inline.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

ACTIVE = "_afterword_splice_active"
SECTIONS = "_afterword_spliced_sections"


def active(request: HttpRequest | None) -> bool:
    return bool(getattr(request, ACTIVE, False))


def later(request: HttpRequest, section: bytes) -> str:
    """A mark to render in place of ``section`` (UTF-8); it is put there
    once the page is rendered. Only for requests where :func:`active`."""
    sections = request.__dict__.setdefault(SECTIONS, [])
    mark = f"\x00afterword-spliced-{len(sections)}\x00"
    sections.append((mark.encode(), section))
    return mark


class SpliceMiddleware:
    """Puts the sections :func:`later` stood in for into the page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        setattr(request, ACTIVE, True)
        response = self.get_response(request)
        sections = request.__dict__.get(SECTIONS)
        if sections and not response.streaming:
            content = response.content
            for mark, section in sections:
                head, found, tail = content.partition(mark)
                if found:
                    content = b"".join((head, section, tail))
            response.content = content
        return response
