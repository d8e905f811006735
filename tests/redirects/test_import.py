"""Imported WordPress permalinks are redirects like any other."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from afterword.posts.models import Post
from afterword.redirects.models import Redirect
from tests.portability.wxrfiles import item, wxr

pytestmark = pytest.mark.django_db

# WordPress stores a slug in another script percent-encoded, in lower case.
ENCODED = "%e3%82%ab%e3%82%a6%e3%83%9c%e3%83%bc%e3%82%a4"  # カウボーイ


@pytest.fixture
def export_file(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(
        wxr(
            item(
                7,
                "Perfect Blue at 25",
                content="A review.",
                link="https://old.example/2019/04/02/perfect-blue-at-25/",
                slug="perfect-blue-at-25",
            ),
            item(
                8,
                "カウボーイ",
                content="A review in Japanese.",
                link=f"https://old.example/2019/04/02/{ENCODED}/",
                slug=ENCODED,
            ),
            item(9, "Plain", content="Text.", link="https://old.example/?p=9"),
        )
    )
    return path


def _import(path) -> None:
    call_command("import_wxr", str(path), stdout=StringIO())


def test_each_imported_permalink_becomes_a_redirect_to_its_post(client, export_file):
    _import(export_file)

    rows = {r.old_path: r for r in Redirect.objects.select_related("target_post")}
    # Stored decoded, so the screen shows what readers read; plain ?p= links
    # are answered from the import records, not stored.
    assert set(rows) == {"/2019/04/02/perfect-blue-at-25/", "/2019/04/02/カウボーイ/"}
    assert {r.source for r in rows.values()} == {Redirect.Source.IMPORTED}
    japanese = Post.objects.get(title="カウボーイ")
    assert japanese.slug == "カウボーイ"
    assert rows["/2019/04/02/カウボーイ/"].target_post == japanese

    response = client.get(f"/2019/04/02/{ENCODED.upper()}/")
    assert response.status_code == 301
    assert response["Location"] == f"/2019/04/{ENCODED.upper()}/"
    assert client.get(response["Location"]).status_code == 200
    assert (
        client.get("/?p=9")["Location"]
        == Post.objects.get(title="Plain").get_absolute_url()
    )


def test_importing_again_adds_no_second_redirect(export_file):
    _import(export_file)
    _import(export_file)
    assert Redirect.objects.count() == 2


def test_a_moved_imported_post_keeps_its_old_permalink(
    admin_client, client, export_file
):
    from django.urls import reverse

    from tests.support.adminforms import change

    _import(export_file)
    post = Post.objects.get(slug="perfect-blue-at-25")
    change(
        admin_client,
        reverse("admin:posts_post_change", args=[post.pk]),
        slug="perfect-blue",
    )

    for old in ("/2019/04/02/perfect-blue-at-25/", "/2019/04/perfect-blue-at-25/"):
        assert client.get(old)["Location"] == "/2019/04/perfect-blue/"
