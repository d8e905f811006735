"""Shared fixtures of the portability tests: the WordPress sample files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.peers import peers  # noqa: F401

# Beside the repository (shared/ next to the checkout, as in CI); a checkout
# elsewhere (a git worktree) names the folder in AFTERWORD_TEST_WXR_DIR.
WXR_DIR = Path(
    os.environ.get("AFTERWORD_TEST_WXR_DIR")
    or Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "wxr"
)


@pytest.fixture
def wxr_dir() -> Path:
    """The shared folder of real WordPress exports; skip (or fail) without it."""
    if not WXR_DIR.is_dir():
        message = f"WordPress sample exports not found at {WXR_DIR.resolve()}"
        if os.environ.get("AFTERWORD_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return WXR_DIR


def site_counts() -> dict[str, int]:
    """How many of each thing the site holds: compared before/after a refusal."""
    from django.contrib.auth import get_user_model

    from afterword.discussion.models import Comment
    from afterword.media.models import Image
    from afterword.portability.models import ImportRecord
    from afterword.posts.models import Category, Post, Revision, Tag

    return {
        "posts": Post.objects.count(),
        "revisions": Revision.objects.count(),
        "comments": Comment.objects.count(),
        "categories": Category.objects.count(),
        "tags": Tag.objects.count(),
        "users": get_user_model().objects.count(),
        "images": Image.objects.count(),
        "records": ImportRecord.objects.count(),
    }
