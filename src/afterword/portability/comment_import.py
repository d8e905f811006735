"""Write the comments of imported items: threads kept, parents before replies.

``importing._Writer`` hands each chunk of written items here. Comments are
inserted one reply level at a time for the whole chunk (a reply needs its
parent's row), and each is remembered in ``ImportRecord`` under its source id,
so running the import again finds them and writes nothing twice.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from afterword.core.iterables import batched
from afterword.discussion.actions import AddCommentsInBulk, render_body
from afterword.discussion.models import Comment
from afterword.posts.models import Post

from .exporters.wxr import MARKDOWN_META
from .importers.base import CommentRecord, ItemRecord, Report
from .importers.content import convert_comment
from .models import ImportRecord

Kind = ImportRecord.Kind
COMMENT_STATUS = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,
}
# Ids per ``IN (...)`` query, well under SQLite's limit on parameters.
LOOKUP_CHUNK = 500


class CommentWriter:
    """Adds the comments of written items; counts and warnings go to ``report``.

    ``touched_posts`` (shared with the item writer) collects the posts that
    got comments, whose cached threads are dropped after the commit.
    """

    def __init__(
        self, source: str, skip_pings: bool, report: Report, touched_posts: set[int]
    ) -> None:
        self.source = source
        self.skip_pings = skip_pings
        self.report = report
        self.touched_posts = touched_posts

    def add(self, written: list[tuple[Post, ItemRecord]]) -> None:
        """Add the comments of a chunk's items, each item's as if alone.

        Items whose comment ids overlap an earlier item's (only a damaged
        file repeats them) start a new group, so they see what the earlier
        one wrote, as they would one item at a time.
        """
        group: list[tuple[Post, ItemRecord]] = []
        ids: set[str] = set()
        for post, record in written:
            if not record.comments:
                continue
            mine = {c.source_id for c in record.comments if c.source_id}
            if ids & mine:
                self.add_group(group)
                group, ids = [], set()
            group.append((post, record))
            ids |= mine
        self.add_group(group)

    def add_group(self, written: list[tuple[Post, ItemRecord]]) -> None:
        if not written:
            return
        ids = [c.source_id for _, r in written for c in r.comments if c.source_id]
        existing: dict[str, int | None] = {}
        for some in batched(ids, LOOKUP_CHUNK):
            existing.update(
                ImportRecord.objects.filter(
                    source=self.source, kind=Kind.COMMENT, source_id__in=some
                ).values_list("source_id", "object_id")
            )
        known = Comment.objects.in_bulk([v for v in existing.values() if v])
        item_threads = [PendingThread(post, record) for post, record in written]
        for thread in item_threads:
            record = thread.record
            thread.made = {
                c.source_id: known[existing[c.source_id]]
                for c in record.comments
                if existing.get(c.source_id) in known
            }
            pending = [c for c in record.comments if c.source_id not in thread.made]
            self.report.skipped["comment"] += len(record.comments) - len(pending)
            if self.skip_pings:
                pings = [c for c in pending if c.type in ("pingback", "trackback")]
                self.report.skipped["comment"] += len(pings)
                pending = [c for c in pending if c not in pings]
            thread.pending = pending
        while True:
            # Parents first, one generation at a time (for every item of the
            # group together), so replies can point at them whatever order
            # the file lists comments in.
            batch = [
                (thread, c)
                for thread in item_threads
                if thread.pending
                for c in self.next_generation(thread)
            ]
            if not batch:
                break
            rows = [self.comment_row(t.post, c, t.made) for t, c in batch]
            AddCommentsInBulk(rows).run()
            # A record left by a comment deleted since is pointed anew.
            ImportRecord.objects.bulk_create(
                [
                    ImportRecord(
                        source=self.source,
                        kind=Kind.COMMENT,
                        source_id=c.source_id or f"{t.record.source_id}:{row.pk}",
                        object_id=row.pk,
                        data={"type": c.type} if c.type != "comment" else {},
                    )
                    for (t, c), row in zip(batch, rows, strict=True)
                ],
                update_conflicts=True,
                unique_fields=["source", "kind", "source_id"],
                update_fields=["object_id", "data"],
            )
            for (t, c), row in zip(batch, rows, strict=True):
                t.made[c.source_id] = row
                self.touched_posts.add(t.post.pk)
            self.report.created["comment"] += len(rows)

    def next_generation(self, thread: PendingThread) -> list[CommentRecord]:
        """Take the pending comments whose parent is written (or absent)."""
        pending, made = thread.pending, thread.made
        ready = [
            c
            for c in pending
            if c.parent_id in ("", "0")
            or c.parent_id in made
            or c.parent_id not in thread.by_id
        ]
        if not ready:
            for c in pending:
                self.report.warn(
                    f"Comment {c.source_id}: its reply chain loops; imported"
                    " at the top level."
                )
                c.parent_id = "0"
            ready = pending
        ready_ids = {id(c) for c in ready}
        thread.pending = [c for c in pending if id(c) not in ready_ids]
        return ready

    def comment_row(
        self, post: Post, record: CommentRecord, made: dict[str, Comment]
    ) -> Comment:
        parent = made.get(record.parent_id)
        email = valid_email(record.email)
        if record.email and not email:
            self.report.warn(
                f"Comment {record.source_id}: the address {record.email!r} is not"
                " valid and was left out."
            )
        url = record.url.strip()
        if not url.startswith(("http://", "https://")) or len(url) > 200:
            url = ""
        body = record.meta.get(MARKDOWN_META) or convert_comment(record.content)
        body = body or "(empty)"
        status = COMMENT_STATUS.get(record.approved)
        if status is None:
            self.report.warn(
                f"Comment {record.source_id}: unknown approval {record.approved!r};"
                " held for moderation."
            )
            status = Comment.Status.PENDING
        author_email = post.author.email if post.author_id else ""
        return Comment(
            post=post,
            parent=parent,
            depth=parent.depth + 1 if parent else 0,
            author_name=(record.author.strip() or "Anonymous")[:100],
            author_email=email,
            author_url=url,
            body=body,
            body_html=render_body(body),
            status=status,
            is_post_author=bool(email and author_email and email == author_email),
            ip_address=valid_ip(record.ip),
            created_at=record.date or post.published_at or timezone.now(),
        )


@dataclass
class PendingThread:
    """One item's comments while they are written (``CommentWriter.add_group``)."""

    post: Post
    record: ItemRecord
    # Written comments by source id: the ones earlier runs made, then each
    # generation as it is inserted; replies find their parents here.
    made: dict[str, Comment] = field(default_factory=dict)
    pending: list[CommentRecord] = field(default_factory=list)
    by_id: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {c.source_id for c in self.record.comments}


def valid_email(value: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > 254:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None
