"""Old WordPress addresses answer with a 301 to the imported post."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from afterword.posts.models import Post

from .wxrfiles import item, wxr


@pytest.fixture
def imported(db, tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(
        wxr(
            item(
                41,
                "Perfect Blue at 25",
                content="A review.",
                link="https://old.example/2019/04/02/perfect-blue-at-25/",
                slug="perfect-blue-at-25",
            ),
            item(
                42,
                "About",
                content="Me.",
                post_type="page",
                link="https://old.example/about-me/",
                slug="about-me-page",
            ),
            item(
                43,
                "Unfinished",
                content="Draft.",
                status="draft",
                link="https://old.example/?p=43",
            ),
        )
    )
    call_command("import_wxr", str(path), stdout=StringIO())
    return {post.title: post for post in Post.objects.all()}


def test_old_permalink_redirects_permanently(client, imported):
    post = imported["Perfect Blue at 25"]
    assert post.get_absolute_url() == "/2019/04/perfect-blue-at-25/"
    with CaptureQueriesContext(connection) as not_found:
        assert client.get("/2001/01/01/never-existed/").status_code == 404
    with CaptureQueriesContext(connection) as redirected:
        response = client.get("/2019/04/02/perfect-blue-at-25/")
    # A redirect costs no more than a 404 page; the lookup is one query.
    assert len(redirected) <= len(not_found)
    lookups = [
        q for q in not_found.captured_queries if "redirects_redirect" in q["sql"]
    ]
    assert len(lookups) == 1
    assert response.status_code == 301
    assert response["Location"] == "/2019/04/perfect-blue-at-25/"
    # Without the trailing slash too.
    assert client.get("/2019/04/02/perfect-blue-at-25")["Location"] == (
        "/2019/04/perfect-blue-at-25/"
    )


def test_plain_id_links_redirect(client, imported, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/?p=41")
    assert response.status_code == 301
    assert response["Location"] == imported["Perfect Blue at 25"].get_absolute_url()
    page = client.get("/?page_id=42")
    assert page.status_code == 301
    assert page["Location"] == "/about-me-page/"
    assert client.get("/about-me/")["Location"] == "/about-me-page/"


def test_drafts_and_unknown_addresses_are_not_redirected(client, imported):
    assert client.get("/?p=43").status_code == 200  # the home page
    assert client.get("/?p=9999").status_code == 200
    assert client.get("/?p=abc").status_code == 200
    assert client.get("/2001/01/01/never-existed/").status_code == 404
