"""Uploads in an S3-compatible bucket, for sites served by several machines.

``AFTERWORD_MEDIA_S3_BUCKET`` selects ``BucketStorage`` as Django's default
storage (settings, ``config.environment.media_bucket``). Everything the site
does with media goes through the storage API (``open``, ``save``,
``listdir``), so uploads, renditions, camera-data stripping, backups, exports
and the static build work the same on a disk and in a bucket.

Addresses: with ``AFTERWORD_MEDIA_S3_PUBLIC_URL`` (a CDN or the bucket's
public domain) pages link there directly. Without it they link to the site's
own ``/media/`` address and any app server answers from the bucket
(``views.serve_media``), so a private bucket works too.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage

from afterword.core.staticcopy import UnderScriptPrefix


class BucketStorage(UnderScriptPrefix, S3Storage):
    """django-storages' S3 storage, addressed through the site unless public."""

    def url(self, name, parameters=None, expire=None, http_method=None) -> str:
        if self.custom_domain:
            return super().url(name, parameters, expire, http_method)
        return settings.MEDIA_URL + filepath_to_uri(name).lstrip("/")
