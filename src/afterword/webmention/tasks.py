"""Background work of the webmention app (run by ``afterword db_worker``)."""

from __future__ import annotations

from django_tasks import task

from . import sending, verification


@task()
def verify_webmention(mention_id: int) -> str:
    """Fetch a received mention's source and record what it shows."""
    found = verification.verify(mention_id)
    return found.status if found is not None else "deleted"


@task()
def send_webmentions(post_id: int) -> int:
    """Tell every site a public post links to (or stopped linking to)."""
    return len(sending.send(post_id))
