"""Reader for WordPress eXtended RSS (WXR 1.0, 1.1 and 1.2) export files.

The file is read with :mod:`defusedxml` (a DTD, and so any entity expansion
or external entity, is refused) and parsed incrementally: each ``<item>`` is
turned into an :class:`~.base.ItemRecord` and then dropped from the tree, so
memory stays bounded by the largest single item, not by the file.

Only elements in WordPress's own namespaces (``http://wordpress.org/export/
1.x/``) count: an element that merely borrows the ``wp:`` prefix for another
namespace is ignored, as WordPress's importer does.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import iterparse
from django.utils.text import slugify

from .base import (
    AuthorRecord,
    CommentRecord,
    ImportFileError,
    ItemRecord,
    Reader,
    Record,
    SiteRecord,
    TermRecord,
)

WP_NS = re.compile(r"^https?://wordpress\.org/export/1\.[0-2]/$")
EXCERPT_NS = re.compile(r"^https?://wordpress\.org/export/1\.[0-2]/excerpt/$")
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
VERSION = re.compile(r"^1\.[0-2]$")
NO_DATE = "0000-00-00 00:00:00"
TERM_TAGS = {"category", "tag", "term"}


def split_tag(tag: str) -> tuple[str, str]:
    """``{namespace}local`` -> (namespace, local)."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


# A file uses a few dozen distinct tags, met hundreds of thousands of times; the
# bound only matters for a hostile file that invents a new tag per element.
@functools.lru_cache(maxsize=1024)
def kind_of(tag: str) -> tuple[str, str]:
    """Classify an element as ("wp"|"excerpt"|"content"|"dc"|"rss"|"other", local)."""
    namespace, local = split_tag(tag)
    if not namespace:
        return "rss", local
    if WP_NS.match(namespace):
        return "wp", local
    if EXCERPT_NS.match(namespace):
        return "excerpt", local
    if namespace == CONTENT_NS:
        return "content", local
    if namespace == DC_NS:
        return "dc", local
    return "other", local


def fields(element: Element, prefix: str = "wp") -> dict[str, str]:
    """Text of the direct children in one namespace, by local name."""
    found = {}
    for child in element:
        kind, local = kind_of(child.tag)
        if kind == prefix:
            found[local] = (child.text or "").strip()
    return found


def parse_date(gmt: str, local: str = "", rss: str = "") -> datetime | None:
    """A post or comment date; WordPress writes zeros for "never set"."""
    for value in (gmt, local):
        if value and value != NO_DATE:
            try:
                return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
            except ValueError:
                continue
    if rss:
        try:
            return parsedate_to_datetime(rss).astimezone(UTC)
        except (TypeError, ValueError):
            return None
    return None


class WXRReader(Reader):
    """Reads a WordPress export; see the module docstring."""

    format_name = "wordpress"

    def _events(self) -> Iterator[tuple[int, Element]]:
        """(depth, element) for each finished child of <channel> and below.

        Checks the document's shape on the way and turns parser errors into
        :class:`ImportFileError` with a plain explanation.
        """
        try:
            handle = self.path.open("rb")
        except OSError as error:
            raise ImportFileError(
                f"Cannot open {self.path}: {error.strerror}."
            ) from None
        with handle:
            depth = 0
            channel: Element | None = None
            try:
                for event, element in iterparse(
                    handle, events=("start", "end"), forbid_dtd=True
                ):
                    if event == "start":
                        depth += 1
                        if depth > 2:
                            continue
                        local = split_tag(element.tag)[1]
                        if depth == 1 and local != "rss":
                            raise ImportFileError(
                                f"{self.path.name} is XML but not a WordPress export:"
                                f" its root element is <{local}>, not <rss>."
                            )
                        if depth == 2:
                            if local != "channel":
                                raise ImportFileError(
                                    f"{self.path.name} is not a WordPress export:"
                                    f" found <{local}> where <channel> should be."
                                )
                            channel = element
                        continue
                    depth -= 1
                    if depth == 2 and channel is not None:
                        yield depth, element
                        # Drop the finished element: memory stays bounded.
                        element.clear()
                        channel.remove(element)
            except DTDForbidden:
                raise ImportFileError(
                    f"{self.path.name} declares a DTD (<!DOCTYPE ...>). WordPress"
                    " exports never do, and a DTD can hide entity-expansion or"
                    " external-entity attacks, so the file is refused."
                ) from None
            except (EntitiesForbidden, ExternalReferenceForbidden):
                raise ImportFileError(
                    f"{self.path.name} defines XML entities; refused for safety."
                ) from None
            except ParseError as error:
                raise ImportFileError(
                    f"{self.path.name} is not well-formed XML ({error}). The file"
                    " may be truncated or damaged; export it again from WordPress."
                ) from None

    def read_site(self) -> SiteRecord:
        """Read the whole file once: check it and describe the site."""
        title = base_url = blog_url = link = version = ""
        items = 0
        sticky: set[str] = set()
        attachments: dict[str, ItemRecord] = {}
        for _, element in self._events():
            kind, local = kind_of(element.tag)
            if kind == "wp" and local == "wxr_version":
                version = (element.text or "").strip()
            elif kind == "wp" and local == "base_site_url":
                base_url = (element.text or "").strip()
            elif kind == "wp" and local == "base_blog_url":
                blog_url = (element.text or "").strip()
            elif kind == "rss" and local == "title":
                title = (element.text or "").strip()
            elif kind == "rss" and local == "link":
                link = (element.text or "").strip()
            elif kind == "rss" and local == "item":
                items += 1
                data = fields(element)
                if data.get("is_sticky") == "1" and data.get("post_id"):
                    sticky.add(data["post_id"])
                if data.get("post_type") == "attachment":
                    # Kept (without comments) so posts can point at the files
                    # whatever order the file lists them in.
                    record = self._item(element)
                    record.comments = []
                    attachments[record.source_id] = record
        if not version:
            raise ImportFileError(
                f"{self.path.name} has no <wp:wxr_version>: it is not a WordPress"
                " export file (WXR)."
            )
        if not VERSION.match(version):
            raise ImportFileError(
                f"{self.path.name} says it is WXR version {version!r}; only"
                " versions 1.0, 1.1 and 1.2 can be imported."
            )
        return SiteRecord(
            title=title,
            base_url=(blog_url or link or base_url).rstrip("/"),
            version=version,
            item_count=items,
            sticky_ids=frozenset(sticky),
            attachments=attachments,
        )

    def records(self) -> Iterator[Record]:
        for _, element in self._events():
            kind, local = kind_of(element.tag)
            if kind == "rss" and local == "item":
                yield self._item(element)
            elif kind == "wp" and local == "author":
                data = fields(element)
                if data.get("author_login"):
                    yield AuthorRecord(
                        login=data["author_login"],
                        email=data.get("author_email", ""),
                        display_name=data.get("author_display_name", ""),
                        first_name=data.get("author_first_name", ""),
                        last_name=data.get("author_last_name", ""),
                    )
            elif kind == "wp" and local in TERM_TAGS:
                term = self._term(local, fields(element))
                if term is not None:
                    yield term

    @staticmethod
    def _term(local: str, data: dict[str, str]) -> TermRecord | None:
        if local == "category":
            taxonomy, slug, name = (
                "category",
                data.get("category_nicename", ""),
                data.get("cat_name", ""),
            )
            parent = data.get("category_parent", "")
            description = data.get("category_description", "")
        elif local == "tag":
            taxonomy, slug, name = "tag", data.get("tag_slug", ""), data.get("tag_name")
            parent, description = "", data.get("tag_description", "")
        else:
            taxonomy = {"category": "category", "post_tag": "tag"}.get(
                data.get("term_taxonomy", "")
            )
            if taxonomy is None:
                return None
            slug, name = data.get("term_slug", ""), data.get("term_name", "")
            parent = data.get("term_parent", "")
            description = data.get("term_description", "")
        name = name or slug
        if not name:
            return None
        return TermRecord(
            taxonomy=taxonomy,
            slug=slug or slugify(name, allow_unicode=True),
            name=name,
            parent_slug=parent,
            description=description,
        )

    def _item(self, element: Element) -> ItemRecord:
        data = fields(element)
        rss: dict[str, str] = {}
        content = excerpt = creator = ""
        categories: list[tuple[str, str]] = []
        tags: list[tuple[str, str]] = []
        meta: dict[str, str] = {}
        comments: list[CommentRecord] = []
        for child in element:
            kind, local = kind_of(child.tag)
            text = child.text or ""
            if kind == "rss" and local == "category":
                domain = child.get("domain", "category")
                name = text.strip()
                slug = child.get("nicename") or slugify(name, allow_unicode=True)
                if domain == "category":
                    categories.append((slug, name))
                elif domain == "post_tag":
                    tags.append((slug, name))
            elif kind == "rss":
                rss[local] = text.strip()
            elif kind == "content" and local == "encoded":
                content = text
            elif kind == "excerpt" and local == "encoded":
                excerpt = text
            elif kind == "dc" and local == "creator":
                creator = text.strip()
            elif kind == "wp" and local == "postmeta":
                pair = fields(child)
                if pair.get("meta_key"):
                    meta[pair["meta_key"]] = pair.get("meta_value", "")
            elif kind == "wp" and local == "comment":
                comments.append(self._comment(child))
        source_id = (
            data.get("post_id")
            or (f"guid:{rss['guid']}" if rss.get("guid") else "")
            or f"title:{rss.get('title', '')}:{data.get('post_date', '')}"
        )
        return ItemRecord(
            source_id=source_id,
            post_type=data.get("post_type", ""),
            title=rss.get("title", ""),
            link=rss.get("link", ""),
            slug=data.get("post_name", ""),
            status=data.get("status", ""),
            author_login=creator,
            date=parse_date(
                data.get("post_date_gmt", ""),
                data.get("post_date", ""),
                rss.get("pubDate", ""),
            ),
            content=content,
            excerpt=excerpt,
            sticky=data.get("is_sticky") == "1",
            comment_status=data.get("comment_status", "open"),
            password=data.get("post_password", ""),
            parent_id=data.get("post_parent", "0"),
            attachment_url=data.get("attachment_url", ""),
            categories=categories,
            tags=tags,
            meta=meta,
            comments=comments,
        )

    @staticmethod
    def _comment(element: Element) -> CommentRecord:
        data = fields(element)
        meta = {}
        for child in element:
            if kind_of(child.tag) == ("wp", "commentmeta"):
                pair = fields(child)
                if pair.get("meta_key"):
                    meta[pair["meta_key"]] = pair.get("meta_value", "")
        return CommentRecord(
            source_id=data.get("comment_id", ""),
            parent_id=data.get("comment_parent", "0"),
            author=data.get("comment_author", ""),
            email=data.get("comment_author_email", ""),
            url=data.get("comment_author_url", ""),
            ip=data.get("comment_author_IP", ""),
            date=parse_date(
                data.get("comment_date_gmt", ""), data.get("comment_date", "")
            ),
            content=data.get("comment_content", ""),
            approved=data.get("comment_approved", "1"),
            type=data.get("comment_type", "") or "comment",
            meta=meta,
        )
