"""Restarting the server on changed code or templates starts a new page-cache
version; restarting on the same code keeps the cached pages."""

from __future__ import annotations

from afterword.core.codeversion import code_digest
from afterword.pagecache.state import (
    CODE_KEY,
    current_state,
    shared_cache,
    start_for_code,
)


def test_same_code_keeps_the_version_changed_code_starts_a_new_one(db):
    start_for_code()
    version = current_state().version
    assert start_for_code() is False
    assert current_state().version == version

    shared_cache().set(CODE_KEY, "digest of the previous release", None)
    assert start_for_code() is True
    assert current_state().version != version
    assert shared_cache().get(CODE_KEY) == code_digest()


def test_an_edited_site_template_changes_the_digest(settings, tmp_path):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    template = tmp_path / "base.html"
    template.write_text("<p>one</p>")
    before = code_digest()
    assert code_digest() == before
    template.write_text("<p>two</p>")
    assert code_digest() != before
