"""Broken and hostile files are refused with a clear message, changing nothing."""

from __future__ import annotations

import tracemalloc
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from afterword.portability.importers.wxr import WXRReader

from .conftest import site_counts

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"'
    ' xmlns:content="http://purl.org/rss/1.0/modules/content/">\n'
)
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:wxr_version>1.2</wp:wxr_version>
<item><title>&lol4;</title><wp:post_id>1</wp:post_id>
<wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item>
</channel></rss>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:wxr_version>1.2</wp:wxr_version>
<item><title>&secret;</title><wp:post_id>1</wp:post_id>
<wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item>
</channel></rss>"""
PLAIN_RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>A feed</title>
<item><title>Not an export</title></item></channel></rss>"""


@pytest.fixture
def populated(db, wxr_dir):
    """A site that already holds an import, so "unchanged" means something."""
    call_command("import_wxr", str(wxr_dir / "small-export.xml"), stdout=StringIO())
    return site_counts()


def refused(path: Path, *args: str) -> str:
    with pytest.raises(CommandError) as raised:
        call_command("import_wxr", str(path), *args, stdout=StringIO())
    return str(raised.value)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed.xml", "found <notachanneltag> where <channel> should be"),
        ("malformed-simple.xml", "is not well-formed XML (no element found"),
        ("missing-version-tag.xml", "has no <wp:wxr_version>"),
        ("invalid-version-tag.xml", "WXR version 'abc'"),
        ("crazy-cdata.xml", "is not well-formed XML (not well-formed"),
    ],
)
def test_broken_shared_files_are_refused_and_change_nothing(
    wxr_dir, populated, name, message
):
    error = refused(wxr_dir / name)
    assert "nothing was changed" in error
    assert message in error
    assert site_counts() == populated


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (BILLION_LAUGHS, "declares a DTD"),
        (EXTERNAL_ENTITY, "declares a DTD"),
        (PLAIN_RSS, "has no <wp:wxr_version>"),
        ('{"posts": []}', "is not well-formed XML"),
        ("<html><body>hello</body></html>", "its root element is <html>"),
        ("", "is not well-formed XML"),
    ],
    ids=["billion-laughs", "external-entity", "plain-rss", "json", "html", "empty"],
)
def test_hostile_and_wrong_files_are_refused(tmp_path, populated, content, message):
    path = tmp_path / "export.xml"
    path.write_text(content)
    error = refused(path)
    assert message in error
    assert site_counts() == populated


def test_a_truncated_export_is_refused_whole(tmp_path, wxr_dir, populated):
    """Even the items before the cut are not imported: the file is checked first."""
    data = (wxr_dir / "theme-unit-test-data.xml").read_bytes()
    path = tmp_path / "cut.xml"
    path.write_bytes(data[: len(data) // 2])
    assert "is not well-formed XML" in refused(path)
    assert site_counts() == populated


def test_missing_file_and_missing_media_folder_are_refused(
    tmp_path, wxr_dir, populated
):
    assert "Cannot open" in refused(tmp_path / "nowhere.xml")
    error = refused(wxr_dir / "wxr-simple.xml", "--media", str(tmp_path / "none"))
    assert "does not exist or is not a folder" in error
    assert site_counts() == populated


def test_a_large_export_is_read_with_bounded_memory(tmp_path):
    """Memory while reading does not grow with the file (items are dropped)."""
    path = tmp_path / "big.xml"
    body = "<p>" + "A long paragraph of review text. " * 60 + "</p>"
    with path.open("w") as out:
        out.write(HEAD + "<channel><wp:wxr_version>1.2</wp:wxr_version>\n")
        for n in range(1, 6001):
            out.write(
                f"<item><title>Post {n}</title><wp:post_id>{n}</wp:post_id>"
                "<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
                f"<content:encoded><![CDATA[{body}]]></content:encoded></item>\n"
            )
        out.write("</channel></rss>\n")
    assert path.stat().st_size > 12_000_000
    reader = WXRReader(path)
    tracemalloc.start()
    try:
        site = reader.read_site()
        count = sum(1 for _ in reader.records())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert site.item_count == count == 6000
    assert peak < 3_000_000
