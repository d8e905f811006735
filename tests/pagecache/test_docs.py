"""Every page-cache setting the code reads is documented in docs/deploy.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_cache_setting_is_documented():
    source = "".join(
        path.read_text() for path in (ROOT / "src/afterword/pagecache").glob("*.py")
    )
    names = set(re.findall(r"AFTERWORD_PAGE_CACHE\w*", source))
    assert {"AFTERWORD_PAGE_CACHE", "AFTERWORD_PAGE_CACHE_DIR"} <= names
    deploy = (ROOT / "docs/deploy.md").read_text()
    assert sorted(n for n in names if f"`{n}`" not in deploy) == []


def test_the_nginx_bucket_matches_the_apps():
    """nginx takes the first seven digits of the epoch; the app divides by 1000."""
    from afterword.pagecache import files

    deploy = (ROOT / "docs/deploy.md").read_text()
    assert '"~^(?<seconds_k>[0-9]{7})" $seconds_k;' in deploy
    assert "try_files /$afterword_bucket/$host${uri}index.html @app;" in deploy
    assert str(files.bucket_of(1_795_483_461.123)) == "1795483"
