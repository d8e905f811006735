"""Addresses with a slug put in place are the addresses ``reverse()`` makes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from afterword.core.urls import reverse_with_slug

SLUGS = [
    "perfect-blue",
    "review_2",
    "カウボーイビバップ",
    "été-indien",
    "a" * 200,
    "mémoire-2-ß",
    "ﾃｽﾄ",
]


@pytest.mark.parametrize("slug", SLUGS)
def test_a_post_address_is_the_one_reverse_makes(slug):
    kwargs = {"year": 2024, "month": "05"}
    expected = reverse("posts:post", kwargs={**kwargs, "slug": slug})
    assert reverse_with_slug("posts:post", slug, **kwargs) == expected


@pytest.mark.parametrize("slug", SLUGS)
def test_a_page_address_is_the_one_reverse_makes(slug):
    expected = reverse("pages:page", kwargs={"slug": slug})
    assert reverse_with_slug("pages:page", slug) == expected
