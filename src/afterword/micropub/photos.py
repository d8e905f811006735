"""Photos of a Micropub post: library images, shown as figures in its body.

A photo arrives as an uploaded file (multipart), as the address of an image
the media endpoint already took, or as ``{"value": address, "alt": text}``.
Files go through ``media.actions.UploadImage`` as the token's writer. An
address must be one of this site's own media addresses: the site does not
fetch pictures from elsewhere for a Micropub client (upload them to the
media endpoint first), so a remote address is refused with a message that
says so.

Alt text comes from ``{"alt": …}`` in JSON, from ``mp-photo-alt`` (or
``mp-photo-alt[]``, as Micro.blog sends it) in forms, paired in order with
the photos (addresses first, then files), or else from the library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from afterword.media.actions import UploadImage
from afterword.media.models import Image
from afterword.media.services import figure_markdown, media_name_from_src

from .errors import invalid


@dataclass(frozen=True)
class Photo:
    image: Image
    alt: str | None

    def markdown(self) -> str:
        return figure_markdown(self.image, alt=self.alt)


def own_hosts(request: HttpRequest) -> set[str]:
    """The hosts whose addresses are this site's: the one it is reached by
    and the one it writes (``SITE_URL``)."""
    hosts = {request.get_host().lower()}
    site = urlsplit(getattr(settings, "SITE_URL", ""))
    if site.netloc:
        hosts.add(site.netloc.lower())
    return hosts


def library_image(url: str, request: HttpRequest) -> Image | None:
    """The library image at ``url`` (absolute on this site, or a path)."""
    parts = urlsplit(url.strip())
    if parts.scheme in ("http", "https"):
        if parts.netloc.lower() not in own_hosts(request):
            return None
        url = parts.path
    elif parts.scheme:
        return None
    name = media_name_from_src(url)
    if name is None:
        return None
    return Image.objects.filter(file=name).first()


def _address_and_alt(value: Any) -> tuple[str, str | None] | None:
    if isinstance(value, str):
        return value, None
    if isinstance(value, dict) and isinstance(value.get("value"), str):
        alt = value.get("alt")
        return value["value"], alt if isinstance(alt, str) else None
    # A nested microformats object (an h-card…) names no picture we keep.
    return None


def photos_from(
    values: list[Any],
    files: list,
    alts: list[Any],
    *,
    user,
    request: HttpRequest,
) -> list[Photo]:
    """Resolve addresses and upload files, in order: addresses, then files."""
    alts = [a if isinstance(a, str) and a.strip() else None for a in alts]
    photos: list[Photo] = []
    for value in values:
        found = _address_and_alt(value)
        if found is None:
            continue
        address, alt = found
        if alt is None and len(photos) < len(alts):
            alt = alts[len(photos)]
        image = library_image(address, request)
        if image is None:
            raise invalid(
                _(
                    "This site only takes photos from its own media library: "
                    "upload %(address)s to the media endpoint (%(endpoint)s) "
                    "first and send the address it answers with."
                )
                % {
                    "address": address,
                    "endpoint": request.build_absolute_uri(reverse("micropub:media")),
                }
            )
        photos.append(Photo(image, alt))
    for upload in files:
        alt = alts[len(photos)] if len(photos) < len(alts) else None
        image = UploadImage(upload, user=user, alt_text=alt or "").run()
        photos.append(Photo(image, alt))
    return photos
