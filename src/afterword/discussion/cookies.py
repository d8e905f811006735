"""The two cookies of the discussion.

``afterword_commenter`` (signed, HttpOnly): the ids of the comments this
browser posted as a guest. It lets a guest see their own held comment and
edit or delete it for a while. Requests carrying it skip the page cache
(they see something personal), which is why it is set only after posting.

``afterword_remember`` (plain JSON, readable by JavaScript): name, email and
website, set only when the guest ticks "remember my details". The server
never reads it when rendering, so pages stay identical for everyone and
cacheable; the page's script pre-fills the form from it.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from afterword.core.numbers import ascii_number

COMMENTER_COOKIE = "afterword_commenter"
REMEMBER_COOKIE = "afterword_remember"
SALT = "afterword.discussion.commenter"
MAX_IDS = 30
MAX_AGE = 30 * 24 * 3600


def guest_comment_ids(request) -> list[int]:
    raw = request.get_signed_cookie(
        COMMENTER_COOKIE, default="", salt=SALT, max_age=MAX_AGE
    )
    numbers = (ascii_number(part) for part in raw.split("."))
    return [number for number in numbers if number is not None]


def remember_comment(request, response, comment_id: int) -> None:
    ids = [*guest_comment_ids(request), comment_id][-MAX_IDS:]
    response.set_signed_cookie(
        COMMENTER_COOKIE,
        ".".join(str(i) for i in ids),
        salt=SALT,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def remember_details(request, response, *, name: str, email: str, url: str) -> None:
    value = quote(json.dumps({"name": name, "email": email, "url": url}))
    response.set_cookie(
        REMEMBER_COOKIE,
        value,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
    )


def forget_details(response) -> None:
    response.delete_cookie(REMEMBER_COOKIE, samesite="Lax")
