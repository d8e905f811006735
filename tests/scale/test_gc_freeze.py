"""The WSGI application hides what it loaded from the garbage collector.

A full collection over everything a worker has loaded took 40-50 ms on a
100,000-post site, a pause every request queued behind it waited out
(bench/README.md). Frozen at start, it walks only what requests made since.
"""

from __future__ import annotations

import os
import subprocess
import sys


def test_the_wsgi_application_freezes_what_it_loaded(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="afterword.config.settings.base",
        AFTERWORD_DATA_DIR=str(tmp_path),
        AFTERWORD_SECRET_KEY="test-only-not-secret",
    )
    script = "import gc, afterword.config.wsgi; print(gc.get_freeze_count())"
    completed = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    # Django and every app: tens of thousands of objects.
    assert int(completed.stdout.strip()) > 20_000
