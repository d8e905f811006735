"""The Markdown pipeline: Markdown source in, sanitised HTML out.

Everything a reader sees that came from Markdown passes through
:func:`render_markdown` once, when it is saved; pages then print the stored
HTML and never render Markdown per request.

The pipeline, in order:

1. markdown-it-py parses the source with the rules of a *profile*: ``"post"``
   (CommonMark, tables, footnotes, strikethrough, raw HTML, heading anchors,
   figures, video embeds, spoilers) or ``"comment"`` (emphasis, links, quotes,
   code, lists, line breaks and spoilers; nothing else).
2. Core rules written for Afterword (``afterword.core.markdown_rules``) reshape
   the token stream: an image alone in its paragraph becomes a figure, a bare
   video URL becomes a click-to-load embed, headings get stable unique ids.
3. The renderer writes HTML; renderer rules add ``rel`` to links and the
   media library's dimensions and ``srcset`` to images.
4. :func:`afterword.core.sanitize.clean_html` passes the HTML through the one
   nh3 allow-list of the site. A document with spoilers is rendered with each
   spoiler sealed (sanitised on its own, then checked to be intact), so no
   hand-written HTML can let a spoiler's text out of its ``<details>``; see
   :mod:`afterword.core.markdown_rules.spoilers`.
5. ``plain_text`` is read from the sanitised HTML, leaving out spoilers,
   footnote markers and embed controls.

Besides the page HTML, a render reports what is shown *about* the document
elsewhere, all of it from the same token stream:

``lead_figure_html``
    The first figure in plain view (not in a spoiler, a footnote or a
    hand-written ``<details>``), rendered and sanitised on its own: the
    image listings show for a post without a featured image.
``spoiler_free_html``
    The HTML that leaves the site (feeds): each spoiler replaced by a notice
    linking to it (to ``spoiler_link`` when given, else to the spoiler's
    ``#spoiler-N`` anchor).

:func:`hide_spoilers` does the same for a Markdown *source*, for plain-text
emails that quote what someone wrote.

Extending the syntax
--------------------
Other apps add syntax with a :class:`MarkdownExtension` subclass listed by
dotted path in ``settings.AFTERWORD_MARKDOWN_EXTENSIONS``::

    class ReferenceExtension(MarkdownExtension):
        name = "catalog_refs"
        profiles = frozenset({"post"})

        def setup(self, md):
            md.inline.ruler.before("link", "catalog_ref", parse_reference)
            md.core.ruler.push("catalog_ref_lookup", resolve_references)
            md.add_render_rule("catalog_ref", render_reference)

``setup`` is called once per profile when the parser is built; the parser is
cached and shared by every render (and thread), so an extension keeps no
per-document state on ``self``. Per-document state lives in
``env["afterword"]``, a dict that every rule (core rules see ``state.env``,
renderer rules receive ``env``) may read and write:

``env["afterword"]["profile"]``
    ``"post"`` or ``"comment"``.
``env["afterword"]["warnings"]``
    A list of messages for the writer (shown in the editor preview); append to
    it, for example for a reference to a work that does not exist.
``env["afterword"]["extras"]``
    A dict returned as :attr:`RenderedMarkdown.extras`; an extension stores its
    findings under its own ``name`` (for example the works a post mentions).

The other keys (``images``, ``headings``, ``image_resolver``) belong to the
built-in rules.

A core rule pushed at the end (``md.core.ruler.push``) runs after inline
parsing, so it sees every token of the document at once: the place to look up
all references of a document with one query rather than one per reference.

The output of an extension is sanitised like everything else, so it can only
use tags, attributes and classes of the allow-list in
:mod:`afterword.core.sanitize`. Inline tokens should set ``token.content`` to
their readable text: heading anchors and figure captions are made from it.
``plain_text`` is read from the final HTML, so new syntax needs nothing for it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string
from markdown_it import MarkdownIt

from afterword.core import markdown_rules
from afterword.core.markdown_rules import spoilers
from afterword.core.sanitize import clean_html

PROFILES = ("post", "comment")


class ResolvedImage(Protocol):
    """What an image resolver returns for an image of the media library."""

    width: int | None
    height: int | None
    srcset: str
    sizes: str
    alt: str


ImageResolver = Callable[[str], ResolvedImage | None]


@dataclass
class ImageRef:
    """An image of a rendered document, with the alt text it ended up with."""

    src: str
    alt: str
    caption: str = ""


class Heading(NamedTuple):
    """A heading of a post: its level (1-6), anchor id and text."""

    level: int
    id: str
    text: str


@dataclass
class RenderedMarkdown:
    """The result of rendering one Markdown document."""

    html: str
    #: The first figure in plain view, on its own ("" when there is none).
    lead_figure_html: str = ""
    #: ``html`` with each spoiler replaced by a notice pointing to it.
    spoiler_free_html: str = ""
    images: list[ImageRef] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)

    @functools.cached_property
    def plain_text(self) -> str:
        """The reader-visible text of :attr:`html`.

        Read on first use only: it parses the HTML once more, and most
        renders (every comment, a post body whose summary comes from its
        excerpt) never need it.
        """
        return markdown_rules.plain_text(self.html)


class MarkdownExtension:
    """Base class for syntax that other apps add to the Markdown pipeline.

    Subclasses set :attr:`name` and :attr:`profiles` and override
    :meth:`setup`; list them by dotted path in
    ``settings.AFTERWORD_MARKDOWN_EXTENSIONS``. See the module docstring.
    """

    #: A short unique name; also the key of this extension's ``extras``.
    name: str = ""
    #: The profiles ("post", "comment") this extension is active in.
    profiles: frozenset[str] | set[str] = frozenset({"post"})

    def setup(self, md: MarkdownIt) -> None:
        """Add inline/block/core rules and renderer rules to ``md``."""


def render_markdown(
    source: str,
    *,
    profile: str = "post",
    image_resolver: ImageResolver | None = None,
    spoiler_link: str = "",
) -> RenderedMarkdown:
    """Render Markdown ``source`` to sanitised HTML and its plain text.

    ``image_resolver(src)`` may return the media library's record of an image
    (see :class:`ResolvedImage`) so that the ``<img>`` gets its dimensions,
    ``srcset`` and, when the Markdown has none, its alt text.
    ``spoiler_link`` is where the spoiler notices of ``spoiler_free_html``
    point (a comment's address, say); by default each points to its spoiler.
    """
    md = get_parser(profile)
    state: dict[str, Any] = {
        "profile": profile,
        "warnings": [],
        "extras": {},
        "images": [],
        "headings": [],
        # The lead figure's image is rendered twice: look it up once.
        "image_resolver": functools.cache(image_resolver) if image_resolver else None,
    }
    env: dict[str, Any] = {"afterword": state}
    tokens = md.parse(source or "", env)
    lead = markdown_rules.lead_figure(tokens)

    def clean(html: str) -> str:
        return clean_html(html, profile=profile)

    rendering = spoilers.render_document(md, tokens, env, clean, spoiler_link)
    lead_html = ""
    if lead is not None:
        # Its own per-document state, so its image is neither counted twice
        # nor made lazy-loading as a later image of the document would be.
        fresh = {**state, "images": [], "warnings": [], "headings": []}
        lead_html = clean(
            md.renderer.render(lead, md.options, {**env, "afterword": fresh})
        )
    return RenderedMarkdown(
        html=rendering.html,
        lead_figure_html=lead_html,
        spoiler_free_html=rendering.spoiler_free_html,
        images=[ImageRef(*image) for image in state["images"]],
        headings=[Heading(*heading) for heading in state["headings"]],
        warnings=state["warnings"],
        extras=state["extras"],
    )


def may_hold_spoilers(source: str) -> bool:
    """False when ``source`` certainly has no spoiler block.

    Every spoiler block opens with at least three colons, so text without
    them needs no second rendering.
    """
    return ":::" in source


def hide_spoilers(source: str, *, profile: str = "comment", link: str = "") -> str:
    """Markdown ``source`` with each spoiler block replaced by a one-line notice.

    For plain-text emails that quote what someone wrote: the notice names the
    spoiler and, when ``link`` is given, where to read it. Text without a
    spoiler comes back unchanged.
    """
    if not may_hold_spoilers(source):
        return source
    md = get_parser(profile)
    tokens = md.parse(source, {"afterword": {"profile": profile}})
    return spoilers.hide_in_source(source, tokens, link)


@functools.cache
def get_parser(profile: str) -> MarkdownIt:
    """The configured parser for ``profile``, built once and then cached."""
    if profile not in PROFILES:
        raise ValueError(f"Unknown Markdown profile {profile!r}.")
    md = markdown_rules.build_parser(profile)
    for extension in _load_extensions():
        if profile in extension.profiles:
            extension.setup(md)
    return md


def _load_extensions() -> list[MarkdownExtension]:
    extensions = []
    for path in getattr(settings, "AFTERWORD_MARKDOWN_EXTENSIONS", []):
        extension = import_string(path)()
        if not isinstance(extension, MarkdownExtension):
            raise TypeError(f"{path} is not a MarkdownExtension subclass.")
        extensions.append(extension)
    return extensions


def _reset_parsers(*, setting: str, **kwargs: Any) -> None:
    # Tests override the extension list; the cached parsers must follow.
    if setting == "AFTERWORD_MARKDOWN_EXTENSIONS":
        get_parser.cache_clear()


# Connected here rather than in an AppConfig: the cache lives in this module,
# so its invalidation must exist whenever the module does.
setting_changed.connect(_reset_parsers, dispatch_uid="afterword-markdown-parsers")
