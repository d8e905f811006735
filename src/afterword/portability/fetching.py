"""Download attachments an import recorded by address (``afterword fetch-media``).

An import without ``--media`` keeps each attachment's original address. This
module fetches those files later, adds each image to the media library, sets
the featured images that were waiting for it, and points the posts that show
it at the new copy (saved through the ``SavePost`` action, so they are re-rendered).
Downloads go through ``afterword.core.outbound``: only ``http`` and ``https``
addresses on the public internet, every redirect checked again, at most
``MAX_BYTES`` and ``TIMEOUT`` seconds per file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.db import transaction

from afterword.core import outbound
from afterword.media.models import Image
from afterword.posts.actions import save_post
from afterword.posts.models import Post

from .importing import IMAGE_SUFFIXES, store_image, upload_key
from .models import ImportRecord

MAX_BYTES = 50 * 1024 * 1024
TIMEOUT = 120  # seconds for the whole download, redirects included


@dataclass
class FetchReport:
    fetched: int = 0
    failed: list[str] = field(default_factory=list)
    posts_updated: int = 0


def download(url: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes at ``url``; OutboundError (with the reason) when refused or failed."""
    answer = outbound.get(url, purpose="fetch-media", max_bytes=limit, timeout=TIMEOUT)
    return answer.raise_for_status().content


def fetch_all() -> FetchReport:
    report = FetchReport()
    waiting = ImportRecord.objects.filter(
        kind=ImportRecord.Kind.ATTACHMENT, object_id__isnull=True
    ).order_by("pk")
    for record in waiting:
        name = PurePosixPath(urlsplit(record.url).path).name
        if PurePosixPath(name).suffix.lower() not in IMAGE_SUFFIXES:
            continue
        try:
            data = download(record.url)
        except outbound.OutboundError as error:
            report.failed.append(f"{record.url}: {error}")
            continue
        with transaction.atomic():
            image = store_image(data, name, record, [])
            if isinstance(image, str):
                report.failed.append(f"{record.url}: {image}")
                continue
            record.object_id = image.pk
            record.save(update_fields=["object_id"])
            report.posts_updated += _use_image(record, image)
        report.fetched += 1
    return report


def _use_image(record: ImportRecord, image: Image) -> int:
    """Set waiting featured images and rewrite addresses; count posts saved."""
    key = upload_key(record.url)
    stem = PurePosixPath(key).stem
    pattern = re.compile(
        r"https?://[^\s\"'()<>]*?" + re.escape(stem) + r"(?:-\d+x\d+)?\.\w+"
    )
    new_url = image.file.url
    featured = set(record.data.get("featured_for", []))
    candidates = Post.objects.filter(pk__in=featured) | Post.objects.filter(
        body__contains=stem
    )
    saved = 0
    for post in candidates.distinct():
        body = pattern.sub(
            lambda m: new_url if upload_key(m.group(0)) == key else m.group(0),
            post.body,
        )
        changed = body != post.body
        post.body = body
        if post.pk in featured and post.featured_image_id is None:
            post.featured_image = image
            changed = True
        if changed:
            save_post(post, note="Imported media fetched")
            saved += 1
    return saved
