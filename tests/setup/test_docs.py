"""The documentation keeps up with the code (in the manner of Datasette's test_docs).

Every environment variable the code reads must have a row in
docs/configuration.md, so adding one without documenting it fails here.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "afterword"
CONFIGURATION_DOC = ROOT / "docs" / "configuration.md"

VARIABLE = r"(AFTERWORD_[A-Z0-9_]+|DATABASE_URL|DATABASE_REPLICA_URL)"
# In these places every quoted AFTERWORD_* name is an environment variable
# (Django settings are assigned there, never quoted).
ENVIRONMENT_READERS = [
    *sorted((SOURCE / "config").rglob("*.py")),
    SOURCE / "cli.py",
    *sorted((SOURCE / "instance" / "management" / "commands").glob("*.py")),
]
QUOTED_NAME = re.compile(rf"[\"']{VARIABLE}[\"']")
# Anywhere else, only a name handed to an environment lookup counts: apps
# also read Django settings called AFTERWORD_* with getattr(settings, ...).
ENVIRONMENT_LOOKUP = re.compile(
    r"(?:os\.environ(?:\.get|\.setdefault)?\s*[\[(]|os\.getenv\(|"
    r"env\.(?:text|flag|integer|listing)\()\s*[\"']" + VARIABLE
)


def variables_read_by_the_code() -> set[str]:
    names: set[str] = set()
    for path in ENVIRONMENT_READERS:
        names |= set(QUOTED_NAME.findall(path.read_text()))
    for path in SOURCE.rglob("*.py"):
        names |= set(ENVIRONMENT_LOOKUP.findall(path.read_text()))
    return names


def documented_variables() -> set[str]:
    """Names in the first column of a table row: | `NAME` | ..."""
    text = CONFIGURATION_DOC.read_text()
    return set(re.findall(rf"^\| `{VARIABLE}` \|", text, flags=re.MULTILINE))


def test_the_scan_finds_the_variables_it_should():
    """Guard the guard: a broken regex would make the next test pass vacuously."""
    found = variables_read_by_the_code()
    assert {
        "DATABASE_URL",
        "AFTERWORD_SECRET_KEY",
        "AFTERWORD_CACHE_URL",
        "AFTERWORD_EMAIL_URL",
        "AFTERWORD_PAGE_SIZE",
        "AFTERWORD_PORT",
    } <= found
    assert "AFTERWORD_MAX_UPLOAD_BYTES" not in found  # a setting, not a variable


@pytest.mark.parametrize("name", sorted(variables_read_by_the_code()))
def test_environment_variable_is_documented(name):
    assert name in documented_variables(), (
        f"{name} is read from the environment but has no row in docs/configuration.md"
    )
