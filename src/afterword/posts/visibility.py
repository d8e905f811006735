"""Who may read a post at its address: private posts and password protection.

The listing side of visibility is one ``Q`` each in ``posts.models``
(``listed_condition``, ``open_condition``, ``reachable_condition``); this
module answers for one reader and one post:

* :func:`can_view` — a private post answers only to those who may edit it
  (its author, a writer with ``posts.edit_others_posts``, a superuser);
  everyone else gets the 404 an unknown address gets.
* :func:`is_unlocked` — a password-protected post shows its text to those who
  may edit it and to readers holding a key for it in the ``afterword_unlocked``
  cookie; everyone else sees the password form. A reader who sends ten
  wrong passwords for a post waits a quarter of an hour before the next
  one is even compared (:func:`too_many_wrong`).

The key of a post is an HMAC of its id and its current password (under the
site's secret key), so changing the password locks every reader out again,
and the cookie holds nothing a reader could forge or reuse for another post.
The page cache never stores a page for a reader with this cookie
(``pagecache.middleware.bypass_cookies``), and the unlocked page says
``Cache-Control: private, no-store``, so a protected text is never shared.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare, salted_hmac

from afterword.core.clientip import client_ip, rate_limit_key

from .models import Post

UNLOCK_COOKIE = "afterword_unlocked"
# As long as WordPress keeps its post-password cookie.
UNLOCK_DAYS = 10
# Keys kept in the cookie: reading more protected posts forgets the oldest.
UNLOCK_KEPT = 20
_SALT = "afterword.posts.visibility.unlock"
# Wrong passwords a reader (an address, or an IPv6 /64) may send for one
# post per window before the form stops trying them: guessing stays slow.
WRONG_LIMIT = 10
WRONG_WINDOW = 15 * 60


def can_edit(user, post: Post) -> bool:
    """Whether ``user`` may edit ``post`` (the rule of ``check_role_rules``)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    noun = "page" if post.is_page else "post"
    if not user.has_perm(f"posts.change_{noun}"):
        return False
    return post.author_id == user.pk or user.has_perm("posts.edit_others_posts")


def can_view(user, post: Post) -> bool:
    """Whether the post's address answers ``user`` (private posts: editors only)."""
    if post.visibility == Post.Visibility.PRIVATE:
        return can_edit(user, post)
    return True


def post_key(post: Post) -> str:
    """The key that unlocks ``post`` while its password stays the same."""
    return salted_hmac(_SALT, f"{post.pk}:{post.password}").hexdigest()[:32]


def _keys(request: HttpRequest) -> dict[str, str]:
    raw = request.COOKIES.get(UNLOCK_COOKIE, "")
    keys = {}
    for item in raw.split("."):
        post_id, _, key = item.partition("-")
        if post_id.isascii() and post_id.isdigit() and key:
            keys[post_id] = key
    return keys


def is_unlocked(request: HttpRequest, post: Post) -> bool:
    """Whether this reader may read the text of ``post`` now."""
    if post.visibility != Post.Visibility.PASSWORD:
        return True
    if can_edit(getattr(request, "user", None), post):
        return True
    held = _keys(request).get(str(post.pk))
    return bool(held) and constant_time_compare(held, post_key(post))


def password_matches(post: Post, given: str) -> bool:
    return bool(post.password) and constant_time_compare(given, post.password)


def _wrong_key(request: HttpRequest, post: Post) -> str:
    reader = rate_limit_key(client_ip(request))
    return f"afterword:posts:wrong-password:{post.pk}:{reader}"


def too_many_wrong(request: HttpRequest, post: Post) -> bool:
    """Whether this reader has used up the wrong passwords of the window."""
    return caches["default"].get(_wrong_key(request, post), 0) >= WRONG_LIMIT


def count_wrong(request: HttpRequest, post: Post) -> None:
    cache = caches["default"]
    key = _wrong_key(request, post)
    cache.add(key, 0, WRONG_WINDOW)
    try:
        cache.incr(key)
    except ValueError:
        # Expired between the two calls: this is the window's first.
        cache.set(key, 1, WRONG_WINDOW)


def remember_unlocked(request: HttpRequest, response: HttpResponse, post: Post):
    """Add ``post``'s key to the reader's cookie on ``response``."""
    keys = _keys(request)
    keys.pop(str(post.pk), None)
    keys[str(post.pk)] = post_key(post)
    kept = list(keys.items())[-UNLOCK_KEPT:]
    response.set_cookie(
        UNLOCK_COOKIE,
        ".".join(f"{post_id}-{key}" for post_id, key in kept),
        max_age=UNLOCK_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
