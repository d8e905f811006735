"""Write the site as a WordPress export (WXR 1.2), the format WordPress writes.

WordPress's importer reads the result: authors, categories (with parents),
tags, posts and pages with their status, dates, excerpts and sticky flags,
featured images (as attachments), and comments with their threading and
approval state. ``content:encoded`` carries the rendered HTML, which is what
WordPress shows; the Markdown source rides along as the post meta
``_afterword_markdown`` (a custom field to WordPress), so importing the file
back into Afterword gives exactly the same posts.

The file is written as it is read from the database, post by post, so its
size does not matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils import timezone
from django.utils.http import http_date

from afterword.discussion.models import Comment
from afterword.media.models import Image
from afterword.portability.models import ImportRecord
from afterword.posts.models import Category, Post, Tag

MARKDOWN_META = "_afterword_markdown"
STATUS = {
    Post.Status.PUBLISHED: "publish",
    Post.Status.SCHEDULED: "future",
    Post.Status.DRAFT: "draft",
    Post.Status.TRASH: "trash",
}
APPROVED = {
    Comment.Status.APPROVED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.SPAM: "spam",
    Comment.Status.TRASH: "trash",
}
NO_DATE = "0000-00-00 00:00:00"


# Characters XML 1.0 cannot carry at all, not even in CDATA.
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cdata(text: str) -> str:
    """Text as CDATA; a literal ``]]>`` is split across two sections."""
    text = INVALID_XML.sub("", text or "")
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wp_date(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if value else NO_DATE


def site_url() -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") or "http://127.0.0.1:8000"


class WXRWriter:
    """Writes one WXR document to a text stream."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.base = site_url()
        self.counts = {"posts": 0, "comments": 0, "attachments": 0}

    def line(self, text: str) -> None:
        self.out.write(text + "\n")

    def write(self) -> dict[str, int]:
        self.head()
        self.authors()
        self.terms()
        attachment_ids = self.attachments()
        self.items(attachment_ids)
        self.line("</channel>\n</rss>")
        return self.counts

    def head(self) -> None:
        self.line('<?xml version="1.0" encoding="UTF-8" ?>')
        self.line(
            f'<!-- generator="Afterword" created="{timezone.now():%Y-%m-%d %H:%M}" -->'
        )
        self.line(
            '<rss version="2.0"\n'
            '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            '\txmlns:wp="http://wordpress.org/export/1.2/"\n>'
        )
        self.line("<channel>")
        title = getattr(settings, "AFTERWORD_SITE_NAME", "Afterword")
        self.line(f"\t<title>{escape(str(title))}</title>")
        self.line(f"\t<link>{escape(self.base)}</link>")
        self.line("\t<description></description>")
        self.line(f"\t<pubDate>{http_date()}</pubDate>")
        self.line("\t<language>en</language>")
        self.line("\t<wp:wxr_version>1.2</wp:wxr_version>")
        self.line(f"\t<wp:base_site_url>{escape(self.base)}</wp:base_site_url>")
        self.line(f"\t<wp:base_blog_url>{escape(self.base)}</wp:base_blog_url>")

    def authors(self) -> None:
        users = get_user_model().objects.filter(posts__isnull=False).distinct()
        for user in users.order_by("pk"):
            self.line("\t<wp:author>")
            self.line(f"\t\t<wp:author_id>{user.pk}</wp:author_id>")
            self.line(f"\t\t<wp:author_login>{cdata(user.username)}</wp:author_login>")
            self.line(f"\t\t<wp:author_email>{cdata(user.email)}</wp:author_email>")
            self.line(
                f"\t\t<wp:author_display_name>{cdata(user.display_name)}"
                "</wp:author_display_name>"
            )
            self.line(
                f"\t\t<wp:author_first_name>{cdata(user.first_name)}"
                "</wp:author_first_name>"
            )
            self.line(
                f"\t\t<wp:author_last_name>{cdata(user.last_name)}</wp:author_last_name>"
            )
            self.line("\t</wp:author>")

    def terms(self) -> None:
        for category in Category.objects.select_related("parent").order_by("pk"):
            parent = category.parent.slug if category.parent else ""
            self.line(
                f"\t<wp:category><wp:term_id>{category.pk}</wp:term_id>"
                f"<wp:category_nicename>{cdata(category.slug)}</wp:category_nicename>"
                f"<wp:category_parent>{cdata(parent)}</wp:category_parent>"
                f"<wp:cat_name>{cdata(category.name)}</wp:cat_name>"
                f"<wp:category_description>{cdata(category.description)}"
                "</wp:category_description></wp:category>"
            )
        for tag in Tag.objects.order_by("pk"):
            self.line(
                f"\t<wp:tag><wp:term_id>{tag.pk}</wp:term_id>"
                f"<wp:tag_slug>{cdata(tag.slug)}</wp:tag_slug>"
                f"<wp:tag_name>{cdata(tag.name)}</wp:tag_name></wp:tag>"
            )

    def attachments(self) -> dict[int, int]:
        """Featured images as attachment items; {image pk: attachment id}."""
        offset = Post.objects.aggregate(top=Max("pk"))["top"] or 0
        used = Post.objects.filter(featured_image__isnull=False).values(
            "featured_image"
        )
        ids = {}
        for image in Image.objects.filter(pk__in=used).order_by("pk"):
            ids[image.pk] = offset + image.pk
            url = self.base + image.file.url
            self.line("\t<item>")
            self.line(f"\t\t<title>{escape(str(image))}</title>")
            self.line(f"\t\t<link>{escape(url)}</link>")
            self.line(f'\t\t<guid isPermaLink="false">{escape(url)}</guid>')
            self.line(f"\t\t<excerpt:encoded>{cdata(image.caption)}</excerpt:encoded>")
            self.line(f"\t\t<content:encoded>{cdata('')}</content:encoded>")
            self.line(f"\t\t<wp:post_id>{ids[image.pk]}</wp:post_id>")
            self.line(
                f"\t\t<wp:post_date_gmt>{wp_date(image.uploaded_at)}</wp:post_date_gmt>"
            )
            self.line("\t\t<wp:status>inherit</wp:status>")
            self.line("\t\t<wp:post_type>attachment</wp:post_type>")
            self.line(f"\t\t<wp:attachment_url>{escape(url)}</wp:attachment_url>")
            self.meta("_wp_attachment_image_alt", image.alt_text)
            self.line("\t</item>")
            self.counts["attachments"] += 1
        return ids

    def meta(self, key: str, value: str) -> None:
        self.line(
            f"\t\t<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key>"
            f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>"
        )

    def items(self, attachment_ids: dict[int, int]) -> None:
        types = comment_types()
        posts = (
            Post.objects.select_related("author")
            .prefetch_related("tags", "categories", "comments")
            .order_by("pk")
        )
        for post in posts.iterator(chunk_size=200):
            self.item(post, attachment_ids, types)

    def item(self, post: Post, attachment_ids: dict[int, int], types: dict) -> None:
        url = self.base + post.get_absolute_url()
        date = post.published_at or post.created_at
        self.line("\t<item>")
        self.line(f"\t\t<title>{cdata(post.title)}</title>")
        self.line(f"\t\t<link>{escape(url)}</link>")
        self.line(f"\t\t<pubDate>{http_date(date.timestamp())}</pubDate>")
        self.line(f"\t\t<dc:creator>{cdata(post.author.username)}</dc:creator>")
        self.line(f'\t\t<guid isPermaLink="false">{escape(url)}</guid>')
        self.line("\t\t<description></description>")
        self.line(f"\t\t<content:encoded>{cdata(post.body_html)}</content:encoded>")
        self.line(f"\t\t<excerpt:encoded>{cdata(post.excerpt)}</excerpt:encoded>")
        self.line(f"\t\t<wp:post_id>{post.pk}</wp:post_id>")
        self.line(f"\t\t<wp:post_date>{cdata(wp_date(date))}</wp:post_date>")
        gmt = wp_date(post.published_at) if post.published_at else NO_DATE
        self.line(f"\t\t<wp:post_date_gmt>{cdata(gmt)}</wp:post_date_gmt>")
        state = "open" if post.comments_open else "closed"
        self.line(f"\t\t<wp:comment_status>{state}</wp:comment_status>")
        self.line("\t\t<wp:ping_status>closed</wp:ping_status>")
        self.line(f"\t\t<wp:post_name>{cdata(post.slug)}</wp:post_name>")
        # WordPress's own words: a private post's status is "private".
        private = post.visibility == Post.Visibility.PRIVATE and post.is_live()
        status = "private" if private else STATUS[post.status]
        self.line(f"\t\t<wp:status>{status}</wp:status>")
        self.line("\t\t<wp:post_parent>0</wp:post_parent>")
        self.line("\t\t<wp:menu_order>0</wp:menu_order>")
        self.line(f"\t\t<wp:post_type>{post.kind}</wp:post_type>")
        password = post.password if post.visibility == Post.Visibility.PASSWORD else ""
        password_xml = cdata(password) if password else ""
        self.line(f"\t\t<wp:post_password>{password_xml}</wp:post_password>")
        self.line(f"\t\t<wp:is_sticky>{int(post.sticky)}</wp:is_sticky>")
        for term in post.categories.all():
            self.line(
                f'\t\t<category domain="category" nicename={quoteattr(term.slug)}>'
                f"{cdata(term.name)}</category>"
            )
        for term in post.tags.all():
            self.line(
                f'\t\t<category domain="post_tag" nicename={quoteattr(term.slug)}>'
                f"{cdata(term.name)}</category>"
            )
        if post.featured_image_id in attachment_ids:
            self.meta("_thumbnail_id", str(attachment_ids[post.featured_image_id]))
        self.meta(MARKDOWN_META, post.body)
        self.comments(post.comments.all(), types)
        self.line("\t</item>")
        self.counts["posts"] += 1

    def comments(self, comments: Iterable[Comment], types: dict) -> None:
        for comment in comments:
            self.line("\t\t<wp:comment>")
            self.line(f"\t\t\t<wp:comment_id>{comment.pk}</wp:comment_id>")
            self.line(
                f"\t\t\t<wp:comment_author>{cdata(comment.author_name)}"
                "</wp:comment_author>"
            )
            self.line(
                f"\t\t\t<wp:comment_author_email>{cdata(comment.author_email)}"
                "</wp:comment_author_email>"
            )
            self.line(
                f"\t\t\t<wp:comment_author_url>{escape(comment.author_url)}"
                "</wp:comment_author_url>"
            )
            self.line(
                f"\t\t\t<wp:comment_author_IP>{escape(comment.ip_address or '')}"
                "</wp:comment_author_IP>"
            )
            date = wp_date(comment.created_at)
            self.line(f"\t\t\t<wp:comment_date>{cdata(date)}</wp:comment_date>")
            self.line(f"\t\t\t<wp:comment_date_gmt>{cdata(date)}</wp:comment_date_gmt>")
            self.line(
                f"\t\t\t<wp:comment_content>{cdata(comment.body_html)}"
                "</wp:comment_content>"
            )
            self.line(
                f"\t\t\t<wp:comment_approved>{APPROVED[comment.status]}"
                "</wp:comment_approved>"
            )
            kind = types.get(comment.pk, "comment")
            self.line(f"\t\t\t<wp:comment_type>{cdata(kind)}</wp:comment_type>")
            self.line(
                f"\t\t\t<wp:comment_parent>{comment.parent_id or 0}</wp:comment_parent>"
            )
            self.line(
                f"\t\t\t<wp:comment_user_id>{comment.user_id or 0}</wp:comment_user_id>"
            )
            self.line(
                f"\t\t\t<wp:commentmeta><wp:meta_key>{MARKDOWN_META}</wp:meta_key>"
                f"<wp:meta_value>{cdata(comment.body)}</wp:meta_value></wp:commentmeta>"
            )
            self.line("\t\t</wp:comment>")
            self.counts["comments"] += 1


def comment_types() -> dict[int, str]:
    """{comment pk: "pingback"/"trackback"} for imported pings."""
    found = {}
    records = ImportRecord.objects.filter(kind=ImportRecord.Kind.COMMENT).exclude(
        data={}
    )
    for object_id, data in records.values_list("object_id", "data"):
        if object_id and data.get("type"):
            found[object_id] = data["type"]
    return found


def export_wxr(out: TextIO) -> dict[str, int]:
    """Write the whole site to ``out``; return counts of what was written."""
    return WXRWriter(out).write()
