"""A digest of everything that renders the site's pages.

The package's code, templates and assets, and the site's own templates and
static folders (``AFTERWORD_TEMPLATES_DIR`` and the like). Two uses: a static
build starts over when it changes (``portability.buildstate``), and the page
cache starts a new version when the server starts on changed code
(``pagecache.state.start_for_code``), so an upgrade or an edited template
never serves pages rendered by the old one.

File contents are hashed, not their times, so two machines running the same
release agree on it. It reads about two megabytes: done once per start or
build, never per request.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings


def rendering_roots() -> list[Path]:
    """The folders whose files can change what a page looks like."""
    import afterword

    roots = [Path(afterword.__file__).parent]
    for options in settings.TEMPLATES:
        roots.extend(Path(folder) for folder in options.get("DIRS", []))
    roots.extend(Path(folder) for folder in getattr(settings, "STATICFILES_DIRS", []))
    return roots


def code_digest() -> str:
    """One digest of the names and contents of every file under those roots."""
    digest = hashlib.sha256()
    # The site's language (AFTERWORD_LANGUAGE) changes every page without
    # changing a file: pages cached in the old one must not be served.
    digest.update(f"language:{settings.LANGUAGE_CODE}\0".encode())
    for root in rendering_roots():
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
