"""Saying which scopes a token holds, in our words and in Micropub's.

A token stores Afterword's own scopes (``credentials.scopes``). Micropub
clients look for their own words in the ``scope`` they get back (Quill
offers to post only if it sees ``create``), so every answer that names a
token's scopes lists both: ours, and each Micropub word whose whole meaning
the token holds (``create`` needs ``draft`` and ``publish``; ``media`` needs
``draft``). The mapping is ``credentials.scopes.from_request``, read backwards.
"""

from __future__ import annotations

from afterword.credentials import scopes as scope_names

MICROPUB_WORDS = ("create", "update", "delete", "undelete", "media")


def as_words(scopes) -> str:
    """The space-separated ``scope`` value for a token holding ``scopes``."""
    held = scope_names.normalise(scopes)
    words = set(held)
    for word in MICROPUB_WORDS:
        if scope_names.from_request(word) <= held:
            words.add(word)
    return " ".join(sorted(words))


def offered(requested: str) -> list[str]:
    """Our scopes a request asks for, in a stable order for the consent page."""
    wanted = scope_names.from_request(requested)
    order = [
        scope_names.READ,
        scope_names.DRAFT,
        scope_names.PUBLISH,
        scope_names.MODERATE,
        scope_names.CATALOG,
    ]
    return [scope for scope in order if scope in wanted]
