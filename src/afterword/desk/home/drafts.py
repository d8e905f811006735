"""The quick draft box: a title and a few lines become a draft post."""

from __future__ import annotations

from django.utils.text import slugify

from afterword.posts.actions import SavePost
from afterword.posts.models import Post

SLUG_LENGTH = Post._meta.get_field("slug").max_length


def free_slug(title: str) -> str:
    """An address for the draft, readable in the title's own script."""
    base = slugify(title, allow_unicode=True)[: SLUG_LENGTH - 8] or "draft"
    slug, n = base, 2
    taken = set(
        Post.objects.posts()
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def start_draft(user, title: str, body: str = "") -> Post:
    """Save a new draft through ``SavePost``, so the role rules apply."""
    post = Post(
        kind=Post.Kind.POST,
        title=title,
        slug=free_slug(title),
        body=body,
        author=user,
        status=Post.Status.DRAFT,
    )
    return SavePost(post, user=user, note="Started from the desk's quick draft").run()
