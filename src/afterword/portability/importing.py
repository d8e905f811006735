"""Write an importer's records into the site: the one place imports change data.

:func:`run_import` first lets the reader check the whole file (a broken or
hostile file is refused before anything is written), then writes everything
in one transaction: a failure, or a killed process, leaves the database as it
was, and running the import again finishes the job. Every object created is
remembered in :class:`~afterword.portability.models.ImportRecord` under the
source's own id, so a second run creates nothing twice.

Posts go through ``posts.actions.SavePost`` like any other post, terms
through ``SaveTerm``, comments through the discussion's
``AddCommentsInBulk``, old permalinks through the redirects'
``ImportRedirects``, all inside ``posts.actions.announce_together``: the
page cache, the search index, comment threads and the catalog hear about all
of it once, after the commit, instead of once per post. Imported posts that
are already in the past are marked as announced to followers (a
``subscriptions.FanOut`` row, which that app creates once per post), so
moving a blog in does not email every follower about ten years of old posts;
their links are likewise marked as told by Webmention (``webmention.
mark_imported``), so the import pings nobody.

Items are written in chunks of ``ITEM_CHUNK``: what earlier runs made of
them, the slugs they may take, their terms and their comments are read and
inserted with a few queries per chunk (comments by ``comment_import``). Each
item still behaves as if written alone (the tests import with tiny chunks and
compare), including in damaged files that repeat a post or comment id.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TextIO
from urllib.parse import unquote, urlsplit

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from afterword.media.models import Image
from afterword.media.services import ingest_upload
from afterword.posts.actions import SaveTerm, announce_together, save_post
from afterword.posts.models import Category, Post, Tag
from afterword.redirects.actions import ImportRedirects
from afterword.subscriptions.models import FanOut
from afterword.webmention.actions import MarkImportedAsSent

from .comment_import import CommentWriter, valid_email
from .exporters.wxr import MARKDOWN_META
from .importers.base import (
    AuthorRecord,
    ImportFileError,
    ItemRecord,
    Progress,
    Reader,
    Report,
    SiteRecord,
    TermRecord,
)
from .importers.content import Converted, convert_post, text_of
from .models import ImportRecord

Kind = ImportRecord.Kind
STATUS = {
    "publish": Post.Status.PUBLISHED,
    "future": Post.Status.SCHEDULED,
    "draft": Post.Status.DRAFT,
    "pending": Post.Status.DRAFT,
    "private": Post.Status.DRAFT,
}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}
SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
# Items written together (see ``_Writer.items``): their look-ups and inserts
# are shared, while memory stays bounded by a hundred items, not the file.
ITEM_CHUNK = 100


@dataclass
class ImportOptions:
    media_dir: Path | None = None
    dry_run: bool = False
    include_trashed: bool = False
    skip_pings: bool = False


class _DryRun(Exception):
    """Raised to roll a dry run back once its report is complete."""


def upload_key(url: str) -> str:
    """The part of a file's address that names it inside the uploads folder.

    ``https://example.com/wp-content/uploads/2013/09/a.jpg`` and
    ``https://example.files.wordpress.com/2013/09/a.jpg`` both give
    ``2013/09/a.jpg``; resized copies (``a-300x200.jpg``) give the original's.
    """
    path = unquote(urlsplit(url.strip()).path)
    if "/wp-content/uploads/" in path:
        path = path.split("/wp-content/uploads/", 1)[1]
    return SIZE_SUFFIX.sub("", path.lstrip("/"))


def run_import(
    reader: Reader,
    options: ImportOptions | None = None,
    *,
    progress_stream: TextIO | None = None,
) -> Report:
    """Check, then import, one source file; return the closing report.

    Raises :class:`ImportFileError` (nothing written) for a file or option
    that cannot be used.
    """
    options = options or ImportOptions()
    site = reader.read_site()
    if options.media_dir is not None and not options.media_dir.is_dir():
        raise ImportFileError(
            f"The media folder {options.media_dir} does not exist or is not a folder."
        )
    writer = _Writer(site, reader.format_name, options, progress_stream)
    try:
        with transaction.atomic():
            writer.run(reader.records())
            if options.dry_run:
                raise _DryRun
    except _DryRun:
        writer.report.warn("Dry run: nothing was saved.")
    except BaseException:
        writer.forget_files()
        raise
    return writer.report


class _Writer:
    def __init__(
        self,
        site: SiteRecord,
        format_name: str,
        options: ImportOptions,
        progress_stream: TextIO | None,
    ) -> None:
        self.site = site
        self.source = f"{format_name}:{site.base_url}"
        self.options = options
        self.report = Report()
        self.progress = Progress(site.item_count, progress_stream)
        self.users: dict[str, object] = {}
        self.terms: dict[tuple[str, str], Category | Tag] = {}
        self.parents: list[tuple[Category, str]] = []
        self.urls: dict[str, str] = {}
        self.attachments: dict[str, ImportRecord] = {}
        self.new_files: list[str] = []
        self.touched_posts: set[int] = set()
        self.comments = CommentWriter(
            self.source, options.skip_pings, self.report, self.touched_posts
        )
        self.announced: list[int] = []
        # Posts and pages live once imported: their links count as told.
        self.imported_live: list[int] = []
        # What is known about the current chunk of items (see ``items``).
        self.post_records: dict[str, ImportRecord] = {}
        self.chunk_posts: dict[int, Post] = {}
        self.taken_slugs: set[tuple[str, str]] = set()
        self._fallback_author = None

    # -- driver ---------------------------------------------------------------
    def run(self, records: Iterable[AuthorRecord | TermRecord | ItemRecord]) -> None:
        # One announcement for the whole import, after the commit: one new
        # page-cache version and a bulk search-index write, not one per post.
        with announce_together():
            self.write(records)

    def write(self, records: Iterable[AuthorRecord | TermRecord | ItemRecord]) -> None:
        self.import_attachments()
        chunk: list[ItemRecord] = []
        for record in records:
            if isinstance(record, ItemRecord):
                chunk.append(record)
                if len(chunk) >= ITEM_CHUNK:
                    self.items(chunk)
                    chunk = []
                continue
            # WordPress lists authors and terms before the items; should
            # one come later, the items before it are written first, in
            # the file's order, as if one at a time.
            self.items(chunk)
            chunk = []
            if isinstance(record, AuthorRecord):
                self.author(record.login, record)
            else:
                self.term(record)
        self.items(chunk)
        now = timezone.now()
        FanOut.objects.bulk_create(
            [
                FanOut(post_id=pk, queued_all_at=now, finished_at=now)
                for pk in self.announced
            ],
            ignore_conflicts=True,
        )
        MarkImportedAsSent(self.imported_live).run()
        for category, parent_slug in self.parents:
            parent = self.terms.get(("category", parent_slug))
            if parent is None:
                parent = Category.objects.filter(slug=parent_slug).first()
            if parent is not None and parent.pk != category.pk:
                category.parent = parent
                SaveTerm(category).run()

    def forget_files(self) -> None:
        """Remove files stored for images whose rows were rolled back."""
        storage = Image._meta.get_field("file").storage
        for name in self.new_files:
            storage.delete(name)

    # -- natural keys ---------------------------------------------------------
    def known(self, kind: str, source_id: str) -> ImportRecord | None:
        return ImportRecord.objects.filter(
            source=self.source, kind=kind, source_id=source_id
        ).first()

    def remember(self, kind: str, source_id: str, obj_id: int | None, **extra):
        return ImportRecord.objects.create(
            source=self.source,
            kind=kind,
            source_id=source_id,
            object_id=obj_id,
            **extra,
        )

    # -- authors and terms ----------------------------------------------------
    def author(self, login: str, record: AuthorRecord | None = None):
        if login in self.users:
            return self.users[login]
        User = get_user_model()
        seen = self.known(Kind.AUTHOR, login)
        user = User.objects.filter(pk=seen.object_id).first() if seen else None
        if user is not None:
            self.report.skipped["author"] += 1
        else:
            username = login[:150]
            user = User.objects.filter(username=username).first()
            if user is not None:
                self.report.warn(
                    f"Author {login!r} matched the existing user {user.username!r}."
                )
                self.report.skipped["author"] += 1
            else:
                record = record or AuthorRecord(login=login)
                user = User(
                    username=username,
                    email=valid_email(record.email),
                    display_name=record.display_name[:150],
                    first_name=record.first_name[:150],
                    last_name=record.last_name[:150],
                )
                user.set_unusable_password()
                user.save()
                self.report.created["author"] += 1
            if seen is None:
                self.remember(Kind.AUTHOR, login, user.pk)
        self.users[login] = user
        return user

    def fallback_author(self):
        if self._fallback_author is None:
            User = get_user_model()
            self._fallback_author = User.objects.filter(is_superuser=True).order_by(
                "pk"
            ).first() or self.author("wordpress")
        return self._fallback_author

    def term(self, record: TermRecord) -> Category | Tag:
        key = (record.taxonomy, record.slug)
        if key in self.terms:
            return self.terms[key]
        model = Category if record.taxonomy == "category" else Tag
        kind = Kind.CATEGORY if record.taxonomy == "category" else Kind.TAG
        seen = self.known(kind, record.slug)
        obj = model.objects.filter(pk=seen.object_id).first() if seen else None
        slug = _slug(record.slug, record.name, prefix=record.taxonomy)[:100]
        if obj is None:
            obj = model.objects.filter(slug=slug).first()
        if obj is None:
            obj = model(name=record.name[:100], slug=slug)
            if isinstance(obj, Category):
                obj.description = record.description
            SaveTerm(obj).run()
            self.report.created[record.taxonomy] += 1
        else:
            self.report.skipped[record.taxonomy] += 1
        if seen is None:
            self.remember(kind, record.slug, obj.pk)
        if isinstance(obj, Category) and record.parent_slug:
            self.parents.append((obj, record.parent_slug))
        self.terms[key] = obj
        return obj

    # -- attachments ----------------------------------------------------------
    def import_attachments(self) -> None:
        for source_id, item in self.site.attachments.items():
            url = item.attachment_url or item.link
            seen = self.known(Kind.ATTACHMENT, source_id)
            if seen is None:
                seen = self.remember(
                    Kind.ATTACHMENT,
                    source_id,
                    None,
                    url=url[:1000],
                    data={
                        "title": item.title,
                        "alt": item.meta.get("_wp_attachment_image_alt", ""),
                        "caption": text_of(item.excerpt),
                        "parent": item.parent_id,
                        "featured_for": [],
                    },
                )
                self.report.created["attachment"] += 1
            else:
                self.report.skipped["attachment"] += 1
            if seen.object_id is None and self.options.media_dir is not None:
                self.copy_from_media(seen)
            if seen.object_id is not None:
                image = Image.objects.filter(pk=seen.object_id).first()
                if image is not None:
                    self.urls[upload_key(seen.url)] = image.file.url
            self.attachments[source_id] = seen

    def copy_from_media(self, record: ImportRecord) -> None:
        key = upload_key(record.url)
        root = self.options.media_dir.resolve()
        found = None
        for candidate in (root / key, root / "wp-content" / "uploads" / key):
            resolved = candidate.resolve()
            if resolved.is_relative_to(root) and resolved.is_file():
                found = resolved
                break
        if found is None:
            self.report.warn(
                f"Attachment {record.source_id}: {key} is not in the media folder;"
                " its original address was kept (see afterword fetch-media)."
            )
            return
        if found.suffix.lower() not in IMAGE_SUFFIXES:
            self.report.warn(
                f"Attachment {record.source_id}: {key} is not an image; its original"
                " address was kept."
            )
            return
        if self.options.dry_run:
            return
        image = store_image(found.read_bytes(), found.name, record, self.new_files)
        if isinstance(image, str):
            self.report.warn(f"Attachment {record.source_id}: {image}")
            return
        record.object_id = image.pk
        record.save(update_fields=["object_id"])

    def map_url(self, url: str) -> str:
        return self.urls.get(upload_key(url), url) if url else url

    # -- posts, pages and their comments --------------------------------------
    def items(self, records: list[ItemRecord]) -> None:
        """Write a chunk of items: each as if alone, with shared look-ups.

        What earlier runs made of the items, the slugs already taken, the
        terms to link and the comments are read and written with a few
        queries for the whole chunk rather than a few per item.
        """
        if not records:
            return
        self.prepare_chunk(records)
        written: list[tuple[Post, ItemRecord]] = []
        new_records: list[ImportRecord] = []
        links: list[tuple[Post, set[Category], set[Tag]]] = []
        for record in records:
            done = self.item(record, new_records, links)
            if done is not None:
                written.append((done, record))
        ImportRecord.objects.bulk_create(new_records)
        self.link_terms(links)
        # The old permalinks lead to the imported posts; plain ``/?p=ID``
        # links are answered from the import records instead.
        ImportRedirects(
            (post.legacy_url, post)
            for post, _record in written
            if urlsplit(post.legacy_url).path not in ("", "/")
        ).run()
        self.comments.add(written)
        for record in records:
            self.progress.step(record.title[:40])

    def prepare_chunk(self, records: list[ItemRecord]) -> None:
        self.post_records = {
            seen.source_id: seen
            for seen in ImportRecord.objects.filter(
                source=self.source,
                kind=Kind.POST,
                source_id__in=[r.source_id for r in records],
            )
        }
        self.chunk_posts = Post.objects.in_bulk(
            [r.object_id for r in self.post_records.values() if r.object_id]
        )
        # Base slugs of every post and page of the chunk (a known one may need
        # a new post: the one made last time was deleted since).
        wanted = {
            _base_slug(r, _kind(r.post_type))
            for r in records
            if r.post_type in ("post", "page")
        }
        self.taken_slugs = set(
            Post.objects.filter(slug__in=wanted).values_list("kind", "slug")
        )

    def item(
        self,
        record: ItemRecord,
        new_records: list[ImportRecord],
        links: list[tuple[Post, set[Category], set[Tag]]],
    ) -> Post | None:
        """Write one post or page; return it if its comments are to be added."""
        post_type = record.post_type or "(none)"
        if post_type == "attachment":
            return None
        if post_type not in ("post", "page"):
            self.report.skipped[post_type] += 1
            return None
        if record.status == "trash" and not self.options.include_trashed:
            self.report.skipped[post_type] += 1
            return None
        if record.status not in STATUS and record.status != "trash":
            self.report.skipped[post_type] += 1
            self.report.warn(
                f"{post_type} {record.source_id} ({record.title!r}) has status"
                f" {record.status!r}; skipped."
            )
            return None
        seen = self.post_records.get(record.source_id)
        post = None
        if seen is not None and seen.object_id is not None:
            # Each fetched post is used once; the same id twice in a chunk
            # (a damaged file) reads the row the first one left.
            post = self.chunk_posts.pop(seen.object_id, None)
            if post is None:
                post = Post.objects.filter(pk=seen.object_id).first()
        created = post is None
        if MARKDOWN_META in record.meta:
            # Written by our own export: the Markdown source, exactly.
            converted = Converted(body=record.meta[MARKDOWN_META])
        else:
            converted = convert_post(record.content, self.map_url)
        self.report.warnings.extend(
            f"{post_type} {record.source_id}: {warning}"
            for warning in converted.warnings
        )
        for name in converted.shortcodes:
            self.report.shortcodes[name] += 1
            self.report.warn(
                f"{post_type} {record.source_id} ({record.title!r}) keeps the"
                f" shortcode [{name}] as text."
            )
        excerpt = text_of(record.excerpt) or converted.lead
        status = STATUS.get(record.status, Post.Status.DRAFT)
        if record.status == "private":
            self.report.warn(
                f"{post_type} {record.source_id} was private; imported as a draft."
            )
        kind = _kind(post_type)
        if post is None:
            post = Post(kind=kind)
        values = {
            "title": (record.title or "(untitled)")[:300],
            "body": converted.body,
            "excerpt": excerpt,
            "status": status,
            "sticky": kind == Post.Kind.POST
            and (record.sticky or record.source_id in self.site.sticky_ids),
            "comments_open": record.comment_status == "open",
            "legacy_url": _legacy_path(record.link)[:500],
            # A protected post stays protected: never public by an import.
            "visibility": Post.Visibility.PASSWORD
            if record.password
            else Post.Visibility.PUBLIC,
            "password": record.password[:100],
        }
        if status != Post.Status.DRAFT:
            values["published_at"] = record.date or timezone.now()
        if not created and all(
            getattr(post, name) == value for name, value in values.items()
        ):
            self.report.skipped[post_type] += 1
            return post
        for name, value in values.items():
            setattr(post, name, value)
        post.author = (
            self.author(record.author_login)
            if record.author_login
            else self.fallback_author()
        )
        if created:
            post.slug = self.unique_slug(kind, record)
        featured = self.featured_image(record, post)
        if featured is not None:
            post.featured_image_id = featured
        self.save(post, record)
        if seen is None:
            seen = ImportRecord(
                source=self.source,
                kind=Kind.POST,
                source_id=record.source_id,
                object_id=post.pk,
                url=record.link[:1000],
            )
            new_records.append(seen)
            self.post_records[record.source_id] = seen
        elif seen.object_id != post.pk:
            # The post made last time was deleted since: point at the new one.
            seen.object_id = post.pk
            seen.save(update_fields=["object_id"])
        self.attach_pending_featured(record, post)
        categories = {
            self.term(TermRecord("category", slug, name))
            for slug, name in record.categories
        }
        tags = set()
        if kind == Post.Kind.POST:
            tags = {
                self.term(TermRecord("tag", slug, name)) for slug, name in record.tags
            }
        if created:
            links.append((post, categories, tags))
            if post.is_live():
                self.imported_live.append(post.pk)
            if post.is_live() and kind == Post.Kind.POST:
                self.announced.append(post.pk)
        else:
            post.categories.set(categories)
            post.tags.set(tags)
        (self.report.created if created else self.report.updated)[post_type] += 1
        return post

    def link_terms(self, links: list[tuple[Post, set[Category], set[Tag]]]) -> None:
        """Give new posts their terms: one INSERT per relation for the chunk.

        A new post has no terms yet, so there is nothing to compare; rows of
        the relations' own tables are written directly (nothing in the project
        listens to ``m2m_changed``).
        """
        Categories, Tags = Post.categories.through, Post.tags.through
        Categories.objects.bulk_create(
            Categories(post_id=post.pk, category_id=category.pk)
            for post, categories, _ in links
            for category in categories
        )
        Tags.objects.bulk_create(
            Tags(post_id=post.pk, tag_id=tag.pk)
            for post, _, tags in links
            for tag in tags
        )

    def save(self, post: Post, record: ItemRecord) -> None:
        try:
            save_post(post, note=f"Imported from {self.source}")
        except ValidationError as error:
            # save_post runs in a savepoint: nothing of the failed save is kept.
            self.report.warn(
                f"{post.kind} {record.source_id} ({post.title!r}) cannot be"
                f" published as it is ({'; '.join(error.messages)}); saved as a draft."
            )
            post.status = Post.Status.DRAFT
            save_post(post, note=f"Imported from {self.source}")

    def unique_slug(self, kind: str, record: ItemRecord) -> str:
        base = _base_slug(record, kind)
        slug, n = base, 2
        # ``taken_slugs`` holds the chunk's base slugs found in the database
        # and every slug given out in this chunk; a numbered variant is rare
        # enough to ask the database about.
        while (kind, slug) in self.taken_slugs or (
            slug != base and Post.objects.filter(kind=kind, slug=slug).exists()
        ):
            slug, n = f"{base}-{n}", n + 1
        self.taken_slugs.add((kind, slug))
        return slug

    def featured_image(self, record: ItemRecord, post: Post) -> int | None:
        thumbnail = record.meta.get("_thumbnail_id", "")
        attachment = self.attachments.get(thumbnail)
        if not thumbnail:
            return None
        if attachment is None:
            self.report.warn(
                f"{record.post_type} {record.source_id}: featured image {thumbnail}"
                " is not in the file."
            )
            return None
        return attachment.object_id

    def attach_pending_featured(self, record: ItemRecord, post: Post) -> None:
        attachment = self.attachments.get(record.meta.get("_thumbnail_id", ""))
        if attachment is not None and attachment.object_id is None:
            waiting = attachment.data.setdefault("featured_for", [])
            if post.pk not in waiting:
                waiting.append(post.pk)
                attachment.save(update_fields=["data"])


def _kind(post_type: str) -> str:
    return Post.Kind.PAGE if post_type == "page" else Post.Kind.POST


def _base_slug(record: ItemRecord, kind: str) -> str:
    return _slug(record.slug, record.title, prefix=kind)[:190]


def store_image(
    data: bytes, name: str, record: ImportRecord, new_files: list[str]
) -> Image | str:
    """Add a file to the media library for an attachment; a message if refused."""
    digest = hashlib.sha256(data).hexdigest()
    existed = Image.objects.filter(sha256=digest).exists()
    alt = record.data.get("alt") or record.data.get("title") or PurePosixPath(name).stem
    try:
        image = ingest_upload(
            ContentFile(data, name=name),
            alt_text=alt[:500],
            caption=record.data.get("caption", "")[:500],
        )
    except ValidationError as error:
        return " ".join(error.messages)
    if not existed:
        new_files.append(image.file.name)
        new_files.extend(image.renditions.values_list("file", flat=True))
    return image


def _slug(raw: str, fallback: str, *, prefix: str) -> str:
    # WordPress percent-encodes a slug in another script; it stays readable.
    slug = slugify(unquote(raw), allow_unicode=True) or slugify(
        fallback, allow_unicode=True
    )
    if not slug:
        digest = hashlib.sha1(f"{raw}|{fallback}".encode()).hexdigest()[:8]
        slug = f"{prefix}-{digest}"
    return slug


def _legacy_path(link: str) -> str:
    """The path (and query) of a WordPress permalink, as readers request it."""
    if not link:
        return ""
    parts = urlsplit(link)
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path
