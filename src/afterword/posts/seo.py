"""What a page says about itself to search engines and link previews.

Every reading view puts one :class:`PageMeta` in its context as ``meta``;
``base.html`` prints it as ``<title>``, the meta description, the canonical
link, OpenGraph and Twitter card tags and, for posts, JSON-LD. Building the
values here, in plain Python, keeps the templates lean and lets the tests check
the values themselves rather than scraping HTML.

Other apps (search, series, catalog) build theirs with :func:`page_meta`::

    from afterword.posts import seo

    context["meta"] = seo.page_meta(request, title="Search", noindex=True)

URLs are absolute and built from ``settings.SITE_URL``, never from the request's
Host header, so a cached page never carries a host a visitor made up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from afterword.core.jsonld import script_json
from afterword.core.numbers import ascii_number
from afterword.core.urls import absolute

from .models import LISTED_VISIBILITIES

if TYPE_CHECKING:
    from django.http import HttpRequest

    from afterword.media.models import Image

    from .models import Post

DESCRIPTION_CHARS = 200


@dataclass(frozen=True)
class SocialImage:
    """An image for link previews: absolute URL, size and alternative text."""

    url: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class PageMeta:
    """Everything the ``<head>`` of one page says about it."""

    title: str
    description: str
    url: str
    site_name: str
    og_type: str = "website"
    image: SocialImage | None = None
    published: str = ""
    modified: str = ""
    noindex: bool = False
    json_ld: dict[str, Any] | None = field(default=None, hash=False)

    @property
    def document_title(self) -> str:
        """The ``<title>``: the page's title, then the site's name."""
        if not self.title or self.title == self.site_name:
            return self.site_name
        return f"{self.title} · {self.site_name}"

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image else "summary"

    @property
    def json_ld_script(self) -> SafeString:
        """The JSON-LD object, escaped to sit inside a ``<script>`` element."""
        if not self.json_ld:
            return mark_safe("")
        return script_json(self.json_ld)


def absolute_url(path: str) -> str:
    """``path`` on the site's public address (``settings.SITE_URL``)."""
    if path.startswith(("http://", "https://")):
        return path
    return absolute(path)


def describe(text: str, fallback: str = "") -> str:
    """A one-line description of at most ~200 characters, cut on a word."""
    text = " ".join((text or "").split()) or fallback
    return Truncator(text).chars(DESCRIPTION_CHARS)


def social_image(image: Image | None) -> SocialImage | None:
    """The preview image for ``image``, or None when there is none to show."""
    if image is None or not image.file:
        return None
    return SocialImage(
        url=absolute_url(image.file.url),
        width=image.width,
        height=image.height,
        alt=image.alt_text,
    )


def site_description() -> str:
    """The site's one-line description (``SITE_DESCRIPTION``, else a plain one)."""
    name = settings.SITE_NAME
    return getattr(settings, "SITE_DESCRIPTION", "") or gettext(
        "Reviews and essays on %(site)s."
    ) % {"site": name}


def page_meta(
    request: HttpRequest | None,
    *,
    title: str,
    description: str = "",
    path: str | None = None,
    image: Image | None = None,
    noindex: bool = False,
) -> PageMeta:
    """Metadata for an ordinary page: a listing, an archive, a search page.

    The canonical URL is ``path`` (or the request's path) on the site address;
    only the ``page`` query parameter is kept, so ``?page=2`` of a tag stays
    its own page while tracking parameters collapse onto the clean address.
    """
    if path is None:
        path = request.path if request is not None else "/"
        page = request.GET.get("page", "") if request is not None else ""
        if (ascii_number(page) or 1) > 1:
            path = f"{path}?page={page}"
    return PageMeta(
        title=title,
        description=describe(description, site_description()),
        url=absolute_url(path),
        site_name=settings.SITE_NAME,
        image=social_image(image),
        noindex=noindex,
    )


def post_meta(post: Post) -> PageMeta:
    """Metadata for a post or a page, with JSON-LD ``BlogPosting`` for posts.

    The description is ``post.summary``: plain text made on save, which never
    contains spoiler text (nor, for a password-protected post, anything of
    its text: ``services.render_post``).
    """
    url = absolute_url(post.get_absolute_url())
    description = describe(post.summary, site_description())
    # Only listed posts belong in search engines: an unlisted post is for
    # those given its address, a private one for its editors.
    noindex = post.visibility not in LISTED_VISIBILITIES
    image = social_image(post.featured_image) if post.featured_image_id else None
    if post.is_page:
        return PageMeta(
            title=post.title,
            description=description,
            url=url,
            site_name=settings.SITE_NAME,
            image=image,
            noindex=noindex,
        )
    published = post.published_at.isoformat() if post.published_at else ""
    modified = post.updated_at.isoformat() if post.updated_at else published
    return PageMeta(
        title=post.title,
        description=description,
        url=url,
        site_name=settings.SITE_NAME,
        og_type="article",
        image=image,
        published=published,
        modified=modified,
        noindex=noindex,
        json_ld=blog_posting(post, url=url, description=description, image=image),
    )


def blog_posting(
    post: Post, *, url: str, description: str, image: SocialImage | None
) -> dict[str, Any]:
    """The schema.org ``BlogPosting`` object for a post."""
    author = post.author
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": description,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": post.published_at.isoformat() if post.published_at else "",
        "dateModified": (post.updated_at or post.published_at).isoformat(),
        "author": {
            "@type": "Person",
            "name": author.public_name,
            "url": absolute_url(author.get_absolute_url()),
        },
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": absolute_url("/"),
        },
    }
    if image:
        data["image"] = {
            "@type": "ImageObject",
            "url": image.url,
            "width": image.width,
            "height": image.height,
        }
    return data
