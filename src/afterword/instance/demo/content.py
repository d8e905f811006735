"""Reading the demo texts: ``posts/*.md`` files with a small front matter.

A file starts with ``---``, then ``key: value`` lines, then ``---`` and the
Markdown body. Keys: ``title``, ``slug``, ``kind`` (post or page), ``status``
(draft, scheduled, published), ``days_ago`` or ``in_days`` (the publish time,
relative to the moment the demo is loaded, so the blog always looks current),
``tags`` and ``categories`` (comma-separated names), ``sticky`` (yes/no),
``featured`` (an image key from ``images.py``) and ``excerpt``.

Inside the body, three placeholders are filled in by the loader:
``![](demo-image:KEY)`` on a line of its own becomes the figure Markdown for
that library image (image line, then caption line), and link targets
``(demo-post:SLUG)`` / ``(demo-page:SLUG)`` become the post's or page's URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify

POSTS_DIR = Path(__file__).resolve().parent / "posts"
KNOWN_KEYS = {
    "title",
    "slug",
    "kind",
    "status",
    "days_ago",
    "in_days",
    "tags",
    "categories",
    "sticky",
    "featured",
    "excerpt",
}


class DemoContentError(ValueError):
    """A demo text file is malformed (a bug in the demo, not in user data)."""


@dataclass(frozen=True)
class DemoText:
    slug: str
    title: str
    body: str
    kind: str = "post"
    status: str = "published"
    days_ago: int | None = None
    in_days: int | None = None
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    sticky: bool = False
    featured: str = ""
    excerpt: str = ""


def term_slug(name: str) -> str:
    """A URL slug for a tag or category name, in the name's own letters
    ("Stanisław Lem" is ``stanisław-lem``, not a transliteration)."""
    return slugify(name, allow_unicode=True)


def parse(source: str, origin: str = "<demo>") -> DemoText:
    """Split one demo file into its front matter and Markdown body."""
    if not source.startswith("---\n"):
        raise DemoContentError(f"{origin}: missing the opening '---' line")
    header, separator, body = source[4:].partition("\n---\n")
    if not separator:
        raise DemoContentError(f"{origin}: missing the closing '---' line")
    meta: dict[str, str] = {}
    for number, line in enumerate(header.splitlines(), start=2):
        key, colon, value = line.partition(":")
        key = key.strip()
        if not colon or key not in KNOWN_KEYS:
            raise DemoContentError(f"{origin}, line {number}: cannot read {line!r}")
        meta[key] = value.strip()
    for required in ("title", "slug"):
        if not meta.get(required):
            raise DemoContentError(f"{origin}: no {required}")

    def names(key: str) -> list[str]:
        return [item.strip() for item in meta.get(key, "").split(",") if item.strip()]

    def number(key: str) -> int | None:
        return int(meta[key]) if meta.get(key) else None

    return DemoText(
        slug=meta["slug"],
        title=meta["title"],
        body=body.strip() + "\n",
        kind=meta.get("kind", "post"),
        status=meta.get("status", "published"),
        days_ago=number("days_ago"),
        in_days=number("in_days"),
        tags=names("tags"),
        categories=names("categories"),
        sticky=meta.get("sticky", "no").lower() in {"yes", "true", "1"},
        featured=meta.get("featured", ""),
        excerpt=meta.get("excerpt", ""),
    )


def load_texts(directory: Path = POSTS_DIR) -> list[DemoText]:
    """Every demo text, in file-name order."""
    return [
        parse(path.read_text(encoding="utf-8"), origin=path.name)
        for path in sorted(directory.glob("*.md"))
    ]
