"""Reading pages cost a fixed number of queries, whatever they show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    """Queries for ``url`` once per-process caches (site settings) are warm."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def tagged_post(post_factory, writer, image, n_terms: int, slug: str):
    post = post_factory(author=writer, slug=slug, featured_image=image)
    post.tags.set(
        factories.TagFactory(name=f"{slug} tag {i}", slug=f"{slug}-t{i}")
        for i in range(n_terms)
    )
    post.categories.set(
        factories.CategoryFactory(name=f"{slug} cat {i}", slug=f"{slug}-c{i}")
        for i in range(n_terms)
    )
    return post


def test_post_page_queries_do_not_grow_with_tags_and_categories(
    client, post_factory, writer, image_factory, django_assert_num_queries
):
    small = tagged_post(post_factory, writer, image_factory(), 1, "small")
    large = tagged_post(post_factory, writer, image_factory(), 20, "large")
    baseline = queries_for(client, small.get_absolute_url())
    client.get(large.get_absolute_url())  # warm the same per-post caches

    with django_assert_num_queries(baseline):
        html = client.get(large.get_absolute_url()).content.decode()

    assert html.count('rel="tag"') == 20


def test_listing_queries_do_not_grow_with_posts(
    client, post_factory, writer, image_factory, settings
):
    settings.AFTERWORD_PAGE_SIZE = 20
    tag = factories.TagFactory(name="Common", slug="common")
    image = image_factory()
    first = post_factory(author=writer, featured_image=image)
    first.tags.add(tag)
    one_post = {
        url: queries_for(client, url)
        for url in [
            "/",
            "/tag/common/",
            "/author/writer/",
            first.get_absolute_url()[:9],
        ]
    }
    for i in range(15):
        post = post_factory(
            author=writer, featured_image=image_factory() if i % 2 else None
        )
        post.tags.add(tag, factories.TagFactory(name=f"Extra {i}", slug=f"extra-{i}"))
        post.categories.add(factories.CategoryFactory(name=f"C{i}", slug=f"c-{i}"))

    many_posts = {url: queries_for(client, url) for url in one_post}

    assert many_posts == one_post
    assert len(client.get("/").context["posts"]) == 16
