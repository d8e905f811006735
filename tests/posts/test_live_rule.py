"""One "live" rule: a ``Q`` that queries filter with and ``is_live`` evaluates,
and no hand-written SQL copy of it anywhere in the code."""

from __future__ import annotations

import ast
import itertools
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from afterword.posts.models import Post
from tests import factories

SRC = Path(__file__).resolve().parents[2] / "src" / "afterword"


@pytest.mark.django_db
def test_is_live_and_the_live_queryset_agree_on_every_status_and_time():
    now = timezone.now()
    author = factories.UserFactory()
    times = [None, now - timedelta(days=1), now, now + timedelta(minutes=1)]
    made = []
    for n, (status, when) in enumerate(itertools.product(Post.Status.values, times)):
        made.append(
            Post.objects.create(
                title=f"{status} {n}",
                slug=f"p-{n}",
                author=author,
                status=status,
                published_at=when,
            )
        )
    by_query = set(Post.objects.live(now).values_list("pk", flat=True))
    by_row = {post.pk for post in made if post.is_live(now)}
    assert by_query == by_row
    # Published or scheduled, with a time that has come: 2 statuses x 2 times.
    assert len(by_row) == 4


def _sql_strings(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and re.search(r"\bSELECT\b|\bWHERE\b", node.value)
        ):
            yield node.value


def test_no_module_writes_the_live_rule_in_sql():
    copies = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts
        for sql in _sql_strings(path)
        if "published_at" in sql and "status" in sql
    ]
    assert not copies, f"Use Post.objects.live() instead of SQL in: {copies}"
