"""Every setting the series and subscriptions apps read is documented."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTING = re.compile(r"getattr\(\s*settings,\s*\"(AFTERWORD_[A-Z0-9_]+)\"")


def settings_read(app: str) -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "src" / "afterword" / app).rglob("*.py"):
        names |= set(SETTING.findall(path.read_text()))
    return names


def test_every_following_setting_is_in_the_docs():
    read = settings_read("subscriptions") | settings_read("series")
    documented = set(
        re.findall(
            r"^\| `(AFTERWORD_[A-Z0-9_]+)` \|",
            (ROOT / "docs" / "following.md").read_text(),
            re.M,
        )
    )
    assert {"AFTERWORD_FOLLOW_CHUNK", "AFTERWORD_FOLLOW_STALE_AFTER"} <= read
    assert read - documented == set()
