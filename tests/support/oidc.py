"""A real OpenID Connect provider (npm ``oidc-provider``) run on loopback.

The ``oidc_provider`` fixture starts ``tests/node/oidc-server.mjs`` with node
on a free port, waits until it listens, and yields an object with its
``issuer`` and client credentials. Without node or the npm package the test
is skipped with the reason printed, unless ``AFTERWORD_REQUIRE_SERVICES=1``
(CI), where it fails instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.smtp import free_port

NODE_DIR = Path(__file__).resolve().parents[1] / "node"
SCRIPT = NODE_DIR / "oidc-server.mjs"
CLIENT_ID = "afterword-tests"
CLIENT_SECRET = "afterword-tests-secret"


def missing_service(reason: str) -> None:
    """Skip, or fail when the environment promises every service is there."""
    if os.environ.get("AFTERWORD_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (AFTERWORD_REQUIRE_SERVICES=1)")
    print(f"\nSKIPPED: {reason}")
    pytest.skip(reason)


@dataclass
class OIDCProvider:
    issuer: str
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET


def start_oidc_provider(redirect_uri: str) -> tuple[subprocess.Popen, OIDCProvider]:
    node = shutil.which("node")
    if node is None:
        missing_service("node is not installed")
    if not (NODE_DIR / "node_modules" / "oidc-provider").is_dir():
        missing_service(
            "npm package oidc-provider is missing (run npm install in tests/node)"
        )
    port = free_port()
    process = subprocess.Popen(
        [node, str(SCRIPT), str(port), redirect_uri],
        cwd=NODE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    line = ""
    # The first line is "ready <issuer>" (or warnings before it).
    for _ in range(20):
        line = process.stdout.readline()
        if line.startswith("ready ") or not line:
            break
    if not line.startswith("ready "):
        process.kill()
        pytest.fail(f"oidc-provider did not start: {line!r}")
    # Keep reading its output so a full pipe never blocks the server.
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
    return process, OIDCProvider(issuer=line.split()[1])


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
