"""Inline references to the catalog in Markdown: ``[[Memories (1995)]]``.

Syntax (documented for writers in docs/catalog.md):

``[[work:memories-1995]]`` / ``[[person:satoshi-kon]]``
    By slug; the link text is the work's title or the person's name.
``[[Memories (1995)]]``
    A work by title (or original title) and year.
``[[Perfect Blue]]`` / ``[[Satoshi Kon]]``
    A work by title, else a person by name, when exactly one matches.
``[[...|shown text]]``
    Any of the above with different link text.

References are resolved when the post is saved (the stored HTML already
holds the links): all of a document's references cost two queries. An
unknown or ambiguous reference renders as plain text in
``<span class="ref-missing">`` and adds a warning for the editor preview; it
never breaks the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from django.db.models import Q
from django.db.models.functions import Lower

from afterword.core.markdown import MarkdownExtension

from .models import Person, Work

_TITLE_YEAR = re.compile(r"^(?P<title>.+?)\s*\((?P<year>[0-9]{4})\)$")
_PREFIXED = re.compile(r"^(?P<kind>work|person):(?P<slug>[-\w]+)$")
_MAX_LENGTH = 200


@dataclass
class Reference:
    """One ``[[...]]`` as written, and what it resolved to."""

    raw: str
    label: str
    kind: str = ""  # "work" or "person" once resolved
    slug: str = ""
    url: str = ""
    name: str = ""
    problem: str = ""

    @property
    def resolved(self) -> bool:
        return bool(self.slug)


@dataclass
class _Query:
    """What a reference asks for, parsed from its text."""

    kind: str = ""  # "work", "person" or "" (either)
    slug: str = ""
    title: str = ""
    year: int | None = None
    candidates: dict[str, list] = field(default_factory=dict)


def parse_reference(text: str) -> tuple[_Query, str]:
    """Split ``target|label`` and work out what the target asks for."""
    target, _, label = text.partition("|")
    target, label = target.strip(), label.strip()
    match = _PREFIXED.match(target)
    if match:
        return _Query(kind=match["kind"], slug=match["slug"]), label
    match = _TITLE_YEAR.match(target)
    if match:
        return _Query(kind="work", title=match["title"], year=int(match["year"])), label
    return _Query(title=target), label


def _lowered(text: str) -> set[str]:
    """What a database's lower() may make of ``text``.

    PostgreSQL lowers every letter, SQLite only ASCII ones: offer both, and
    let :func:`_match` compare exactly (casefolded) in Python.
    """
    return {text.lower(), "".join(c.lower() if c.isascii() else c for c in text)}


def resolve(texts: list[str]) -> list[Reference]:
    """Resolve the texts of a document's references in two queries.

    The queries use ``IN`` lists, whose size does not deepen the SQL
    expression, so a post with hundreds of references still saves.
    """
    queries = [parse_reference(t) for t in texts]
    work_slugs, person_slugs, titles, names = set(), set(), set(), set()
    for query, _ in queries:
        if query.slug:
            (work_slugs if query.kind == "work" else person_slugs).add(query.slug)
        else:
            titles |= _lowered(query.title)
            if not query.kind:
                names |= _lowered(query.title)
    works = list(
        Work.objects.annotate(_t=Lower("title"), _o=Lower("original_title"))
        .filter(Q(slug__in=work_slugs) | Q(_t__in=titles) | Q(_o__in=titles))
        .only("slug", "title", "original_title", "year")
    )
    people = list(
        Person.objects.annotate(_n=Lower("name"), _o=Lower("native_name"))
        .filter(Q(slug__in=person_slugs) | Q(_n__in=names) | Q(_o__in=names))
        .only("slug", "name", "native_name")
    )
    return [
        _match(text, query, label, works, people)
        for text, (query, label) in zip(texts, queries, strict=True)
    ]


def _match(text, query: _Query, label: str, works, people) -> Reference:
    ref = Reference(raw=text, label=label)
    if query.slug:
        pool = works if query.kind == "work" else people
        hits = [obj for obj in pool if obj.slug == query.slug]
        if not hits:
            ref.problem = f"No {query.kind} with the slug “{query.slug}”."
    else:
        wanted = query.title.casefold()
        hits = [
            w
            for w in works
            if wanted in (w.title.casefold(), w.original_title.casefold())
            and (query.year is None or w.year == query.year)
        ]
        if not hits and not query.kind:
            hits = [
                p
                for p in people
                if wanted in (p.name.casefold(), p.native_name.casefold())
            ]
        if not hits:
            ref.problem = f"Nothing in the catalog is called “{query.title}”."
        elif len(hits) > 1:
            slugs = ", ".join(
                f"{'work' if isinstance(h, Work) else 'person'}:{h.slug}" for h in hits
            )
            ref.problem = (
                f"“{query.title}” could mean several entries ({slugs}); "
                "use one of those."
            )
            hits = []
    if hits:
        obj = hits[0]
        ref.kind = "work" if isinstance(obj, Work) else "person"
        ref.slug = obj.slug
        ref.url = obj.get_absolute_url()
        ref.name = obj.title if isinstance(obj, Work) else obj.name
    if not ref.label:
        ref.label = ref.name or (query.title or query.slug)
    return ref


def render_reference(ref: Reference) -> str:
    """The HTML for one reference: a link, or a marked plain-text miss."""
    if not ref.resolved:
        return f'<span class="ref-missing">{escape(ref.label)}</span>'
    return (
        f'<a class="ref ref-{ref.kind}" href="{escape(ref.url)}" '
        f'data-ref-kind="{ref.kind}" data-ref-slug="{escape(ref.slug)}">'
        f"{escape(ref.label)}</a>"
    )


# -- markdown-it plugin ------------------------------------------------------


def _inline_rule(state, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("[[", pos):
        return False
    end = src.find("]]", pos + 2)
    if end < 0:
        return False
    inner = src[pos + 2 : end]
    if not inner.strip() or len(inner) > _MAX_LENGTH or any(c in inner for c in "[]\n"):
        return False
    if not silent:
        token = state.push("catalog_ref", "", 0)
        token.content = inner
        token.markup = "[["
    state.pos = end + 2
    return True


def _resolve_core(state) -> None:
    """After inline parsing: resolve every reference of the document at once."""
    tokens = [
        child
        for block in state.tokens
        if block.type == "inline" and block.children
        for child in block.children
        if child.type == "catalog_ref"
    ]
    if not tokens:
        return
    refs = resolve([t.content for t in tokens])
    store = state.env.setdefault("afterword", {})
    warnings = store.setdefault("warnings", [])
    found = store.setdefault("extras", {}).setdefault(ReferenceExtension.name, [])
    for token, ref in zip(tokens, refs, strict=True):
        token.meta = {"reference": ref}
        found.append(ref)
        if ref.problem:
            warnings.append(f"Reference [[{ref.raw}]]: {ref.problem}")


def _render(self, tokens, idx, options, env) -> str:
    ref = tokens[idx].meta.get("reference")
    if ref is None:
        return escape(tokens[idx].content)
    return render_reference(ref)


def references_plugin(md) -> None:
    """Teach a MarkdownIt instance the ``[[...]]`` syntax."""
    md.inline.ruler.before("link", "catalog_ref", _inline_rule)
    md.core.ruler.push("catalog_ref_resolve", _resolve_core)
    md.add_render_rule("catalog_ref", _render)


class ReferenceExtension(MarkdownExtension):
    """The ``[[...]]`` syntax, for posts and comments.

    Its ``extras`` entry (``RenderedMarkdown.extras["catalog_refs"]``) lists
    every :class:`Reference` of the document, resolved or not.
    """

    name = "catalog_refs"
    profiles = frozenset({"post", "comment"})

    def setup(self, md) -> None:
        references_plugin(md)


_REF_ANCHOR = re.compile(r"<a\s[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'(data-ref-kind|data-ref-slug)="([^"]*)"')


def references_in_html(html: str) -> list[tuple[str, str]]:
    """The (kind, slug) pairs of resolved inline references in rendered HTML.

    Mentions are read back from the stored HTML rather than from the Markdown
    so that what is recorded is exactly what readers see linked.
    """
    found = []
    for tag in _REF_ANCHOR.findall(html or ""):
        attrs = dict(_ATTR.findall(tag))
        if "data-ref-kind" in attrs and "data-ref-slug" in attrs:
            pair = (attrs["data-ref-kind"], attrs["data-ref-slug"])
            if pair not in found:
                found.append(pair)
    return found
