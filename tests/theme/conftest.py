"""Fixtures for the reading pages: images, a representative site, node tools."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command, get_commands
from django.utils import timezone
from PIL import Image as PILImage

from afterword.media.services import ingest_upload
from afterword.posts.models import Post
from tests import factories


def png_upload(name: str, size: tuple[int, int], colour: tuple[int, int, int]):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def image_factory(db, settings, tmp_path):
    """Real library images (original plus WebP renditions) in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    counter = iter(range(1, 10_000))

    def make(size=(1200, 675), alt="A still from the film", caption="", credit=""):
        n = next(counter)
        return ingest_upload(
            png_upload(f"still-{n}.png", size, (20 * n % 255, 90, 140)),
            alt_text=alt,
            caption=caption,
            credit=credit,
        )

    return make


REVIEW_BODY = """The opening minutes set the rules: long takes, little music,
and a camera that waits for the actors rather than chasing them.

![{alt}]({src})
The harbour at dawn, the first image of the film.

## Structure

| Act | Runtime | Where |
|-----|--------:|-------|
| One | 32 min | The harbour |
| Two | 41 min | The city |

Nothing is explained twice.[^cut] The score arrives only in the last act.

::: spoiler The ending
The letter was never sent.
:::

https://www.youtube.com/watch?v=MJmK5SOeQBc

[^cut]: The director's cut restores eleven minutes, none of them explanations.
"""


def build_site(writer) -> None:
    """A small review blog with every kind of content the theme must print."""
    film = factories.CategoryFactory(name="Film", slug="film")
    anime = factories.CategoryFactory(name="Anime", slug="anime")
    tags = [
        factories.TagFactory(name=name, slug=slug)
        for name, slug in [
            ("Drama", "drama"),
            ("1990s", "1990s"),
            ("Harbours", "harbours"),
        ]
    ]
    writer.display_name = "Mira Holt"
    writer.bio = "Writes about *slow cinema* and long games."
    writer.website = "https://mira.example.test/"
    writer.profile_links = [
        {"label": "Mastodon", "url": "https://social.example.test/@mira"}
    ]
    writer.save()
    featured = ingest_upload(
        png_upload("harbour.png", (1600, 900), (30, 60, 90)),
        alt_text="A grey harbour under low cloud",
        caption="The harbour, as the film first shows it.",
        credit="Still: the distributor",
    )
    inline = ingest_upload(
        png_upload("street.png", (1000, 600), (120, 80, 40)),
        alt_text="A narrow street at night",
    )
    now = timezone.now()
    for i in range(12):
        post = factories.save(
            factories.PostFactory.build(
                author=writer,
                title=f"Review {i}: a film about harbours",
                slug=f"review-{i}",
                body=REVIEW_BODY.format(alt=inline.alt_text, src=inline.file.url),
                published_at=now - timezone.timedelta(days=40 * i + 1),
                featured_image=featured if i % 3 == 0 else None,
                sticky=i == 5,
            )
        )
        post.tags.set(tags[: 1 + i % 3])
        post.categories.set([film] if i % 2 else [film, anime])
    factories.save(
        factories.PostFactory.build(
            author=writer,
            kind=Post.Kind.PAGE,
            title="About this blog",
            slug="about",
            body="Reviews of films, anime, books and games, written slowly.",
        )
    )


@pytest.fixture
def demo_site(db, django_capture_on_commit_callbacks, settings, tmp_path, writer):
    """The demo content when ``afterword load_demo`` exists, else a built one.

    Listings show four posts a page so that pagination is on the site too.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AFTERWORD_PAGE_SIZE = 4
    with django_capture_on_commit_callbacks(execute=True):
        if "load_demo" in get_commands():
            call_command("load_demo", verbosity=0)
        else:
            build_site(writer)
    return Post.objects.live()


@pytest.fixture(autouse=True)
def render_every_request(settings):
    """These tests look at what the views render, so the page cache stays out."""
    settings.AFTERWORD_PAGE_CACHE = False
