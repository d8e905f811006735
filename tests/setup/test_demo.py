"""The demo blog that ``afterword load_demo`` (and so ``make run``) puts in a site."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command

from afterword.instance.demo.content import DemoContentError, load_texts, parse
from afterword.instance.demo.images import IMAGES
from afterword.media.models import Image
from afterword.posts.models import Post
from tests.setup.helpers import counts


def demo_image_checksums() -> list[str]:
    return [hashlib.sha256(spec.render()).hexdigest() for spec in IMAGES.values()]


pytestmark = pytest.mark.django_db


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_loading_the_demo_twice_creates_nothing_the_second_time():
    first = load_demo()
    after_first = counts()
    second = load_demo()

    assert "Demo content: 8 posts, 1 page(s), 14 images" in first
    assert "already has posts" in second
    assert counts() == after_first
    assert Post.objects.filter(slug__in=[t.slug for t in load_texts()]).count() == 9
    assert Image.objects.filter(sha256__in=demo_image_checksums()).count() == 14


def test_demo_images_come_out_identical_on_every_run():
    spec = IMAGES["solaris-ocean"]
    draw_afresh = type(spec).render.__wrapped__  # past the per-process cache
    assert draw_afresh(spec) == draw_afresh(spec) == spec.render()


def test_each_apps_demo_module_gets_the_core_demo_in_its_context(settings):
    from tests.setup.demo_app import demo

    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "tests.setup.demo_app"]
    demo.calls.clear()

    output = load_demo()

    assert len(demo.calls) == 1
    seen = demo.calls[0]
    assert seen["author"] == "ada"
    assert "memories-part-1-magnetic-rose" in seen["posts"]
    assert "memories-part-2-stink-bomb" in seen["posts"]
    assert "about" in seen["posts"]
    assert seen["images"] == sorted(IMAGES)
    assert seen["categories"] == ["anime", "books", "film", "games"]
    assert "demo_app saw the core demo" in output


def test_a_malformed_demo_text_names_the_file_and_line():
    with pytest.raises(DemoContentError, match=r"broken\.md, line 3"):
        parse("---\ntitle: A\nwhat is this\n---\nbody", origin="broken.md")
