"""The French catalogue is complete, compiled, and covers every string.

A string newly wrapped for translation (``{% trans %}``, ``gettext``) and not
yet translated fails here: run ``scripts/update-translations.sh`` and
translate what it adds.
"""

from __future__ import annotations

import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from .catalogue import FRENCH, LOCALE_DIR, read

PACKAGE = LOCALE_DIR.parent
EXTENSIONS = {".py", ".html", ".txt"}


def test_every_french_entry_is_translated_and_none_is_fuzzy():
    entries = read(FRENCH)
    assert len(entries) > 400
    untranslated = [e.msgid for e in entries if not all(e.translations)]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_plural_entries_have_both_french_forms():
    plurals = [e for e in read(FRENCH) if e.plural]
    assert plurals
    assert all(len(e.translations) == 2 for e in plurals)


def test_placeholders_survive_translation():
    """A translation that drops or renames ``%(name)s`` breaks at render."""
    pattern = re.compile(r"%\(\w+\)[sdr]|\{\w+\}")
    for entry in read(FRENCH):
        wanted = set(pattern.findall(" ".join(entry.english)))
        for text in entry.translations:
            assert set(pattern.findall(text)) <= wanted, entry.msgid
            if not entry.plural:
                assert set(pattern.findall(text)) == wanted, entry.msgid


def test_compiled_catalogue_matches_the_sources():
    """The committed .mo holds exactly the .po's translations: sites read the
    .mo and never need gettext installed."""
    with FRENCH.with_suffix(".mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    expected = {}
    for entry in read(FRENCH):
        msgid = f"{entry.context}\x04{entry.msgid}" if entry.context else entry.msgid
        if entry.plural:
            for index, text in enumerate(entry.translations):
                expected[(msgid, index)] = text
        else:
            expected[msgid] = entry.translations[0]
    compiled_entries = {key: value for key, value in catalog.items() if key != ""}
    assert compiled_entries == expected, "django.mo is stale: run the update script"


def _copy_sources(target: Path) -> None:
    for path in PACKAGE.rglob("*"):
        if path.suffix in EXTENSIONS and path.is_file():
            relative = path.relative_to(PACKAGE)
            if relative.parts[0] == "locale" or "migrations" in relative.parts:
                continue
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


def test_makemessages_finds_no_string_missing_from_the_catalogue(
    tmp_path, settings, monkeypatch
):
    """Extract the sources afresh, as the update script does, into a folder of
    their own: every string found must already be in the committed catalogue."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed")
    sources = tmp_path / "afterword"
    _copy_sources(sources)
    locale = tmp_path / "locale"
    (locale / "fr" / "LC_MESSAGES").mkdir(parents=True)
    settings.LOCALE_PATHS = [locale]
    monkeypatch.chdir(sources)
    call_command(
        "makemessages",
        locale=["fr"],
        domain="django",
        extensions=["html", "txt", "py"],
        verbosity=0,
    )
    extracted = {e.key for e in read(locale / "fr" / "LC_MESSAGES" / "django.po")}
    committed = {e.key for e in read(FRENCH)}
    assert len(extracted) > 400
    assert sorted(extracted - committed, key=str) == []
    # And nothing stale: every committed string is still used somewhere.
    assert sorted(committed - extracted, key=str) == []
