"""Killing the worker mid-send: every follower still gets exactly one email.

Runs ``bench/followers.py`` (a real ``afterword db_worker`` subprocess, a
file SQLite database, a loopback aiosmtpd server) with 300 followers and a
SIGKILL after about 40% of the emails.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.serial  # times the publish against a real worker process
def test_a_killed_worker_restarts_without_skipping_or_repeating_anyone():
    completed = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "followers.py"),
            "--followers",
            "300",
            "--kill-at",
            "0.4",
            "--timeout",
            "50",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=58,
        cwd=ROOT,
        env={
            k: v
            for k, v in __import__("os").environ.items()
            if not k.startswith(("DJANGO_", "DATABASE_URL", "AFTERWORD_"))
        },
    )
    assert completed.returncode in (0, 1), completed.stderr[-2000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1])

    assert result["emails_at_publish_return"] == 0
    assert result["publish_ms"] < 1000
    assert 0 < result["killed_after_emails"] < 300
    assert result["finished"] is True
    assert result["missing"] == 0
    assert result["duplicates"] == 0
    assert result["emails_received"] == 300
