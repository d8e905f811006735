"""A post reaches every follower's server once, through a killed worker and 500s.

Runs ``bench/federation_delivery.py`` at CI size (issue 13, point 4): 200
followers on 20 loopback servers (half with a shared inbox), 3 of them
answering 500 twice per inbox before accepting; two ``afterword db_worker``
processes, one SIGKILLed a third of the way and restarted. The servers check
every HTTP signature against the writer's key with ``cryptography`` directly.
On PostgreSQL (``DATABASE_URL``) the run gets a database of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.serial,
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="reads workers' memory in /proc"
    ),
]


def test_every_server_gets_the_post_once_through_a_worker_kill_and_500s(
    record_property,
):
    database_url = os.environ.get("DATABASE_URL", "")
    command = [sys.executable, str(ROOT / "bench" / "federation_delivery.py")]
    command += ["--followers", "200", "--servers", "20", "--failing", "3", "--json"]
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
    record_property(
        "figure",
        f"federation delivery ({result['database']}): {result['deliveries']} "
        f"deliveries to {result['servers']} servers in "
        f"{result['seconds_until_every_server_has_it']} s with a worker killed; "
        f"servers missing {result['servers_missing']}, inboxes with a repeat "
        f"{result['inboxes_with_a_repeat']}",
    )

    assert result["problems"] == []
    # 10 shared inboxes, and 10 servers x 10 followers' own inboxes.
    assert result["deliveries"] == result["inboxes"] == 110
    assert result["servers_missing"] == 0
    assert result["inboxes_missing"] == []
    assert result["activity_ids_received"] == 1
    assert result["other_activity_ids"] == []
    # Server 0 (shared inbox: 1 delivery), 7 (10 own inboxes), 12 (shared).
    assert result["failing_deliveries"] == 12
    assert result["refused_with_500"] == 24
    assert result["failing_retried_then_delivered"] == 12
    assert result["failing_most_attempts"] >= 3
    assert result["signatures_failed"] == {}
    assert result["signatures_verified"] >= 110 + 24
    assert result["actor_fetches"] == 0
    assert result["queue_drained"] is True
    # The killed worker's claim (if it held one) was released and sent again.
    for claim in result["kill"]["claims_held_at_kill"]:
        assert claim["state"] == "delivered"
        assert claim["attempts"] >= 2
    assert [w["worker"] for w in result["workers"]] == [
        "worker 1",
        "worker 2",
        "worker 1, restarted",
    ]
    assert all(0 < w["peak_rss_mb"] < 1024 for w in result["workers"])
