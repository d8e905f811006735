"""A WordPress password stays a password through an import and an export."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from afterword.posts.models import Post
from tests.portability.wxrfiles import item, wxr

from .conftest import SECRET

pytestmark = pytest.mark.django_db


def test_imported_protected_post_stays_protected(tmp_path, client):
    guarded = item(
        300, "Behind the door", content=f"<p>{SECRET}</p>", slug="behind-the-door"
    ).replace(
        "<wp:post_type>", "<wp:post_password>swordfish</wp:post_password><wp:post_type>"
    )
    path = tmp_path / "export.xml"
    path.write_text(wxr(guarded))
    call_command("import_wxr", str(path), stdout=StringIO(), stderr=StringIO())
    post = Post.objects.get(slug="behind-the-door")
    assert post.visibility == Post.Visibility.PASSWORD
    assert post.password == "swordfish"
    assert SECRET not in client.get(post.get_absolute_url()).content.decode()
    assert SECRET not in client.get("/feed/").content.decode()


def test_export_writes_the_password_and_wordpress_private_status(make, tmp_path):
    make("password")
    make("private")
    out = tmp_path / "site.xml"
    call_command("export_wxr", str(out), stdout=StringIO())
    text = out.read_text()
    assert "<wp:post_password><![CDATA[open sesame]]></wp:post_password>" in text
    assert "<wp:status>private</wp:status>" in text
