"""{% fragment %}: template regions rendered once per content version."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from afterword.pagecache.fragments import ONCE_ATTRIBUTE
from afterword.pagecache.state import new_version
from afterword.series.actions import save_series
from afterword.series.models import Series
from tests.factories import TagFactory

TEMPLATE = Template(
    '{% load fragments %}{% fragment "box" key %}'
    '{{ counter }}:<script nonce="{{ request.csp_nonce }}"></script>'
    "{% endfragment %}"
)


@pytest.fixture
def render(settings, db):
    settings.AFTERWORD_FRAGMENT_CACHE = True
    counter = itertools.count(1)

    def render(key="a", nonce="nonce-one"):
        request = RequestFactory().get("/")
        request.csp_nonce = nonce
        context = Context(
            {"request": request, "key": key, "counter": lambda: next(counter)}
        )
        return TEMPLATE.render(context)

    return render


def test_fragment_renders_once_until_content_changes(render):
    assert render() == '1:<script nonce="nonce-one"></script>'
    assert render() == '1:<script nonce="nonce-one"></script>'
    new_version()
    assert render() == '2:<script nonce="nonce-one"></script>'


def test_each_request_gets_its_own_nonce_back(render):
    render(nonce="nonce-one")
    assert render(nonce="nonce-two") == '1:<script nonce="nonce-two"></script>'


def test_fragment_varies_on_the_values_after_its_name(render):
    assert render(key="a").startswith("1:")
    assert render(key="b").startswith("2:")
    assert render(key="a").startswith("1:")


def test_switched_off_the_fragment_renders_every_time(render, settings):
    settings.AFTERWORD_FRAGMENT_CACHE = False
    assert render().startswith("1:")
    assert render().startswith("2:")


def test_theme_pages_read_the_same_from_fragments(
    client, settings, post_factory, writer
):
    """Fragments change when a page is rendered, never what it says: the
    home page (two post cards), a tag page, a post and pages, rendered with
    the fragment cache off, then on (filling it, then reading it), are the
    same pages."""
    post = post_factory(author=writer, title="Perfect Blue", slug="perfect-blue")
    post.tags.add(TagFactory(name="Anime", slug="anime"))
    post_factory(author=writer, title="Paprika", slug="paprika")
    new_version()
    page = post_factory(author=writer, kind="page", title="About", slug="about")
    other = post_factory(author=writer, kind="page", title="Policy", slug="policy")
    urls = [
        "/",
        "/tag/anime/",
        post.get_absolute_url(),
        page.get_absolute_url(),
        other.get_absolute_url(),
    ]

    def fetch(url: str) -> str:
        html = client.get(url).content.decode()
        html = re.sub(r' nonce="[^"]*"', "", html)
        return re.sub(r'(name="token" value=")[^"]*"', r'\1"', html)

    # Whole pages from the page cache (on in these tests) would hide it all.
    settings.AFTERWORD_PAGE_CACHE = False
    settings.AFTERWORD_FRAGMENT_CACHE = False
    plain = {url: fetch(url) for url in urls}
    # Each page's header marks its own navigation link.
    assert 'aria-current="page">About<' in plain[page.get_absolute_url()]
    assert 'aria-current="page">Policy<' in plain[other.get_absolute_url()]
    settings.AFTERWORD_FRAGMENT_CACHE = True
    for _ in range(2):
        assert {url: fetch(url) for url in urls} == plain


def test_a_listing_read_from_its_fragment_shows_a_new_post_at_once(
    client, settings, post_factory, writer
):
    """A listing's cards and pagination are kept per content version: the
    post published next is on the home page, and page 2 moves along."""
    settings.AFTERWORD_PAGE_CACHE = False
    settings.AFTERWORD_FRAGMENT_CACHE = True
    settings.AFTERWORD_PAGE_SIZE = 10
    now = timezone.now()
    for number in range(11):
        post_factory(
            author=writer,
            title=f"Review {number}",
            slug=f"review-{number}",
            published_at=now - timedelta(days=number + 1),
        )
    first, second = client.get("/").content.decode(), client.get("/page/2/")
    assert "Review 0<" in first and "Review 9<" in first
    assert "Review 10<" in second.content.decode()

    post_factory(author=writer, title="Review new", slug="review-new")

    first, second = client.get("/").content.decode(), client.get("/page/2/")
    assert "Review new<" in first and "Review 9<" not in first
    assert "Review 9<" in second.content.decode()


def test_a_fragment_for_one_address_is_not_kept_for_a_one_time_renderer(render):
    """The static build asks each address once: a post's article is not
    stored for it, while fragments that pages share still are."""
    once = Template(
        '{% load fragments %}{% fragment "article" key for_one_address %}'
        '{{ counter }}<i nonce="{{ request.csp_nonce }}"></i>{% endfragment %}'
    )
    counter = itertools.count(1)

    def article(builder: bool) -> str:
        request = RequestFactory().get("/")
        request.csp_nonce = "n"
        if builder:
            setattr(request, ONCE_ATTRIBUTE, True)
        context = {"request": request, "key": "a", "counter": lambda: next(counter)}
        return once.render(Context(context))

    assert [article(True), article(True)] == [
        '1<i nonce="n"></i>',
        '2<i nonce="n"></i>',
    ]
    # A reader's request keeps it, as for any fragment.
    assert [article(False), article(False)] == ['3<i nonce="n"></i>'] * 2


def test_the_series_index_read_from_its_fragment_shows_a_renamed_series(
    db, client, settings, django_capture_on_commit_callbacks
):
    settings.AFTERWORD_PAGE_CACHE = False
    settings.AFTERWORD_FRAGMENT_CACHE = True
    with django_capture_on_commit_callbacks(execute=True):
        series = save_series(Series(title="Memories", slug="memories"))
    assert "Memories<" in client.get("/series/").content.decode()
    series.title = "Memories, in three parts"
    with django_capture_on_commit_callbacks(execute=True):
        save_series(series)
    assert "Memories, in three parts<" in client.get("/series/").content.decode()
