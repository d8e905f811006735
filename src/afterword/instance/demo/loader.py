"""Putting the demo blog into a site, then letting each app add its part.

``load_demo()`` is what ``afterword load_demo`` runs (that command's docstring
describes the per-app ``demo.py`` protocol). Everything goes through the same
services as the admin: images through ``media.actions.UploadImage``, posts
through ``posts.actions.SavePost``. Every object is looked up by its slug
(images by checksum) before it is made, so loading twice never duplicates
anything and never overwrites what the writer has since changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from .content import DemoContentError, DemoText, load_texts, term_slug
from .images import IMAGES

AUTHOR_USERNAME = "ada"
CATEGORIES = {
    "Anime": "Animated films and series, mostly from Japan.",
    "Film": "Feature films, live action or animated.",
    "Books": "Novels and the occasional collection of stories.",
    "Games": "Video games, played to the end before reviewing.",
}
FIGURE_LINE = re.compile(r"^!\[\]\(demo-image:([a-z0-9-]+)\)$", re.MULTILINE)
LINK_TARGET = re.compile(r"\(demo-(post|page):([a-z0-9-]+)\)")


@dataclass
class DemoContext:
    """What the core demo made, handed to every app's ``demo.load(context)``.

    ``author`` signs the demo posts; ``admin`` is the site's first superuser
    (None when ``load_demo`` runs before ``setup_site`` made one). ``posts``
    maps slugs to every post and page the core demo holds, drafts included;
    ``images``, ``tags`` and ``categories`` map keys/slugs to library objects.
    ``now`` is the reference time for relative dates. ``log`` writes one line
    to the command's output.
    """

    author: Any
    admin: Any | None
    now: datetime
    posts: dict[str, Any] = field(default_factory=dict)
    images: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, Any] = field(default_factory=dict)
    categories: dict[str, Any] = field(default_factory=dict)
    log: Callable[[str], None] = print


def site_is_empty() -> bool:
    """The demo only goes into a site with no posts or pages at all."""
    from afterword.posts.models import Post

    return not Post.objects.exists()


@transaction.atomic
def load_demo(log: Callable[[str], None] = print) -> DemoContext:
    """Load the core demo, then each app's ``demo.load``; return the context.

    One transaction: if any step fails, nothing is kept, and the next run
    starts again from an empty site.
    """
    context = DemoContext(
        author=_demo_author(), admin=_first_superuser(), now=timezone.now(), log=log
    )
    texts = load_texts()
    _load_images(context)
    _load_terms(context, texts)
    _load_posts(context, texts)
    log(
        f"Demo content: {_count(context, 'post')} posts, "
        f"{_count(context, 'page')} page(s), {len(context.images)} images, "
        f"{len(context.tags)} tags, {len(context.categories)} categories."
    )
    for app_name, loader in app_demo_loaders():
        loader(context)
        log(f"Demo content from {app_name} loaded.")
    return context


def app_demo_loaders() -> list[tuple[str, Callable[[DemoContext], None]]]:
    """Each installed app's ``demo.load``, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if config.name == "afterword.instance":
            continue  # this package; its content is loaded above
        if not module_has_submodule(config.module, "demo"):
            continue
        module = import_module(f"{config.name}.demo")
        loader = getattr(module, "load", None)
        if callable(loader):
            found.append((config.name, loader))
    return found


def _count(context: DemoContext, kind: str) -> int:
    return sum(1 for post in context.posts.values() if post.kind == kind)


def _demo_author():
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(
        username=AUTHOR_USERNAME,
        defaults={
            "display_name": "Ada Marlowe",
            "email": "ada@example.org",
            "bio": (
                "Writes long reviews of anime, film, books and games, usually "
                "the ones that will not leave her alone."
            ),
        },
    )
    if created:
        # The demo writer is a byline, not a login: the admin edits her posts.
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _first_superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_superuser=True).order_by("pk").first()


def _load_images(context: DemoContext) -> None:
    from afterword.media.actions import UploadImage

    for key, spec in IMAGES.items():
        upload = ContentFile(spec.render(), name=spec.filename)
        # The same bytes give back the stored image, so this never duplicates.
        context.images[key] = UploadImage(
            upload,
            uploaded_by=context.author,
            alt_text=spec.alt_text,
            caption=spec.caption,
            credit=spec.credit,
        ).run()


def _load_terms(context: DemoContext, texts: list[DemoText]) -> None:
    from afterword.posts.actions import SaveTerm
    from afterword.posts.models import Category, Tag

    for name, description in CATEGORIES.items():
        slug = term_slug(name)
        category = (
            Category.objects.filter(slug=slug).first()
            or SaveTerm(Category(slug=slug, name=name, description=description)).run()
        )
        context.categories[category.slug] = category
    for text in texts:
        for name in text.tags:
            slug = term_slug(name)
            tag = (
                Tag.objects.filter(slug=slug).first()
                or SaveTerm(Tag(slug=slug, name=name)).run()
            )
            context.tags[tag.slug] = tag
        for name in text.categories:
            if term_slug(name) not in context.categories:
                raise DemoContentError(f"{text.slug}: unknown category {name!r}")


def _publish_time(text: DemoText, now: datetime) -> datetime | None:
    """Relative days at a fixed time of day, so the listing order is stable."""
    if text.days_ago is not None:
        day = now - timedelta(days=text.days_ago)
    elif text.in_days is not None:
        day = now + timedelta(days=text.in_days)
    else:
        return None
    return day.replace(hour=9, minute=0, second=0, microsecond=0)


def _load_posts(context: DemoContext, texts: list[DemoText]) -> None:
    from afterword.media.services import figure_markdown
    from afterword.posts.actions import save_post
    from afterword.posts.models import Post

    # Build every post first: bodies link to each other, and a post's URL
    # depends only on its kind, slug and publish date.
    built: dict[tuple[str, str], tuple[Post, DemoText | None]] = {}
    for text in texts:
        existing = Post.objects.filter(kind=text.kind, slug=text.slug).first()
        if existing is not None:
            built[(text.kind, text.slug)] = (existing, None)
            continue
        post = Post(
            kind=text.kind,
            slug=text.slug,
            title=text.title,
            author=context.author,
            status=text.status,
            published_at=_publish_time(text, context.now),
            sticky=text.sticky,
            excerpt=text.excerpt,
            featured_image=context.images[text.featured] if text.featured else None,
        )
        built[(text.kind, text.slug)] = (post, text)

    def url_for(match: re.Match) -> str:
        key = match.group(1), match.group(2)
        if key not in built:
            raise DemoContentError(f"a link points to the unknown {key[0]} {key[1]!r}")
        return f"({built[key][0].get_absolute_url()})"

    def figure_for(match: re.Match) -> str:
        return figure_markdown(context.images[match.group(1)])

    ordered = sorted(
        built.values(), key=lambda item: item[0].published_at or context.now
    )
    for post, text in ordered:
        if text is not None:
            post.body = LINK_TARGET.sub(url_for, FIGURE_LINE.sub(figure_for, text.body))
            save_post(post, note="Demo content")
            post.tags.set([context.tags[term_slug(name)] for name in text.tags])
            post.categories.set(
                [context.categories[term_slug(name)] for name in text.categories]
            )
        context.posts[post.slug] = post
