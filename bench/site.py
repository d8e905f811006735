"""Helpers the benchmark runs inside the benchmark site (its own process).

``python bench/site.py seed``
    When the demo loader is not available, give the site a few reviews of a
    realistic length through the real save service, so the benchmark still
    measures a real post page. Does nothing if the site already has posts.
``python bench/site.py urls``
    Print the address of the home page and of the newest live post.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta

PARAGRAPH = (
    "The film trusts its audience with long, quiet shots and lets the score "
    "carry what the dialogue leaves out. Its editing is patient rather than "
    "slow, and the last act earns every minute the first act spent on small "
    "domestic details. *Worth seeing on the largest screen you can find.*"
)


def seed() -> None:
    from django.utils import timezone

    from afterword.accounts.models import User
    from afterword.posts.actions import save_post
    from afterword.posts.models import Category, Post, Tag

    if Post.objects.exists():
        return
    author = User.objects.filter(is_superuser=True).first()
    category, _ = Category.objects.get_or_create(
        slug="films", defaults={"name": "Films"}
    )
    tags = [
        Tag.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]
        for slug in ("animation", "drama", "rewatch")
    ]
    now = timezone.now()
    for number in range(1, 9):
        body = "\n\n".join(
            [f"## Part {part}\n\n{PARAGRAPH}\n\n{PARAGRAPH}" for part in range(1, 4)]
            + ["| Aspect | Score |\n|---|---|\n| Story | 4 |\n| Sound | 5 |"]
        )
        post = Post(
            title=f"Benchmark review number {number}",
            slug=f"benchmark-review-{number}",
            author=author,
            body=body,
            status=Post.Status.PUBLISHED,
            published_at=now - timedelta(days=number),
        )
        save_post(post, user=author)
        post.categories.set([category])
        post.tags.set(tags)


def urls() -> None:
    from afterword.posts.models import Post

    post = Post.objects.posts().live().order_by("-published_at").first()
    print("/")
    print(post.get_absolute_url() if post else "/")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "afterword.config.settings.base")
    import django

    django.setup()
    {"seed": seed, "urls": urls}[sys.argv[1]]()


if __name__ == "__main__":
    main()
