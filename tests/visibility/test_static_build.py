"""The static build: unlisted posts get a page but no listing, private posts
nothing, protected posts only their form; no protected text in any file."""

from __future__ import annotations

from pathlib import Path

import pytest

from afterword.portability.staticsite import build_site

from .conftest import SECRET

pytestmark = pytest.mark.django_db


def read_tree(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): path.read_text(errors="replace")
        for path in folder.rglob("*")
        if path.is_file() and path.suffix in (".html", ".xml", ".json", "")
    }


@pytest.mark.parametrize("prepare", [True, False])
def test_build_keeps_each_visibility(tmp_path, make, prepare):
    make("public", slug="anchor", title="The anchor harbour", body="Plain words.")
    unlisted = make("unlisted", body="Unlisted words only.")
    private = make("private")
    protected = make("password")
    outdir = tmp_path / "public"
    build_site(outdir, prepare=prepare)
    files = read_tree(outdir)
    everything = "\n".join(files.values())

    def page(post) -> str:
        return post.get_absolute_url().lstrip("/") + "index.html"

    assert SECRET not in everything
    assert "Unlisted words only." in files[page(unlisted)]
    assert page(private) not in files
    assert "The private harbour" not in everything
    assert "This post is password protected" in files[page(protected)]
    listings = "\n".join(
        text
        for name, text in files.items()
        if name == "index.html" or name.startswith(("feed", "tag/", "author/"))
    )
    assert "The anchor harbour" in listings
    assert "The password harbour" in listings
    assert "The unlisted harbour" not in listings
    assert "The unlisted harbour" not in files["search-index.json"]
