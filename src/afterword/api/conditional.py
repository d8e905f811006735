"""ETags and conditional requests.

A resource's ETag is a weak hash of the representation the API sends, so
it changes whenever anything the client sees changes (a post's
``updated_at`` is part of it). ``GET`` answers ``304 Not Modified`` when
``If-None-Match`` names the current tag; a write that carries ``If-Match``
is refused with ``412`` and changes nothing unless the tag is still current,
so two editors who read the same version cannot overwrite each other.
``If-Match`` is optional: a client that sends none takes the last word.
"""

from __future__ import annotations

import hashlib
import json

from django.utils.translation import gettext as _
from ninja.responses import NinjaJSONEncoder

from .errors import ApiError


def etag_of(data) -> str:
    encoded = json.dumps(data, cls=NinjaJSONEncoder, sort_keys=True).encode()
    return f'W/"{hashlib.sha256(encoded).hexdigest()[:32]}"'


def representation(schema, obj) -> dict:
    """What the API would send for ``obj`` (the dict its ETag is taken of)."""
    return schema.model_validate(obj).model_dump()


def _tags(header: str) -> list[str]:
    return [part.strip().removeprefix("W/") for part in header.split(",") if part]


def matches(header: str, etag: str) -> bool:
    """Weak comparison of ``etag`` with each tag of an If-(None-)Match header."""
    tags = _tags(header)
    return "*" in tags or etag.removeprefix("W/") in tags


def check_if_match(request, schema, obj) -> None:
    """Refuse (412) a write whose If-Match names another version of ``obj``.

    Call it with the row locked (``select_for_update``) inside the writing
    transaction, so no other write lands between the check and this one.
    """
    header = request.headers.get("If-Match")
    if header is None:
        return
    current = etag_of(representation(schema, obj))
    if not matches(header, current):
        raise ApiError(
            412,
            _(
                "This resource changed since you read it; fetch it again and "
                "reapply your change."
            ),
            headers={"ETag": current},
        )


def not_modified(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match")
    return header is not None and matches(header, etag)
