"""SIGKILL of the server and the task workers mid-run loses nothing, repeats nothing.

Runs ``bench/crash_durability.py`` at CI size (issue 11, point 6; must-show
7): ``afterword serve`` (granian with two workers and its task worker) plus a
standalone task worker on a throw-away site, 16 guests commenting through
the real form, a real SMTP server on loopback. Twice, while a task worker is
inside SMTP DATA, the web workers and the task workers (then everything) get
SIGKILL and are restarted. On PostgreSQL (``DATABASE_URL``) the run gets a
database of its own on the same server, and SQLite's integrity check is not
applicable.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="finds processes through /proc"
)


def test_a_crash_mid_send_loses_no_comment_and_sends_every_email_once(record_property):
    database_url = os.environ.get("DATABASE_URL", "")
    command = [sys.executable, str(ROOT / "bench" / "crash_durability.py")]
    command += ["--seconds", "9", "--json"]
    if database_url.startswith("postgres"):
        command += ["--database-url", database_url]
    completed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        # A bound for a loaded machine; about 25 s on a quiet one.
        timeout=240,
        cwd=ROOT,
        env={
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "DATABASE_URL", "AFTERWORD_"))
        },
    )
    assert completed.returncode in (0, 1), completed.stderr[-3000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    print(json.dumps(result, indent=1))
    held = [e["received"] for c in result["crashes"] for e in c["held_emails"]]
    record_property(
        "figure",
        f"crash ({result['database']}): comments acknowledged "
        f"{result['comments_acknowledged']}, present {result['comments_present']}, "
        f"duplicated {result['comments_duplicated']}; integrity check "
        f"{result['integrity_check']}; emails queued {result['emails_queued']}, "
        f"received once {result['emails_received_once']}, duplicates "
        f"{result['emails_duplicates']}; emails claimed by a killed worker: "
        f"{len(held)}, each received {sorted(set(held))} time(s)",
    )

    assert result["problems"] == []
    assert result["comments_acknowledged"] > 0
    assert result["comments_present"] == result["comments_acknowledged"]
    assert result["comments_duplicated"] == 0
    if database_url.startswith("postgres"):
        assert result["integrity_check"] == "not applicable (PostgreSQL)"
    else:
        assert result["integrity_check"] == "ok"
    assert result["emails_queued"] >= result["comments_acknowledged"]
    assert result["emails_received_once"] == result["emails_queued"]
    assert result["emails_duplicates"] == result["emails_missing"] == 0
    for crash in result["crashes"]:
        # Killed while every email being sent was claimed and inside DATA ...
        assert crash["killed_mid_send"] is True
        assert len(crash["held_emails"]) >= 1
        for held in crash["held_emails"]:
            # ... each killed task was taken up once more, each email arrived once.
            assert held["killed_task_claims"] == 2
            assert held["killed_task_status"] == "SUCCESSFUL"
            assert held["received"] == 1
        # granian respawned its workers, serve its task worker.
        assert crash["web_workers_back"] is True
        assert crash["serve_task_worker_back"] is True
