"""A real S3-compatible server on loopback: moto's server mode.

``start_moto_server`` runs ``moto_server`` (from ``moto[server]``) as a
process of its own, as docs/deploy.md's multi-node set-up does; the
``media_bucket`` fixture starts one, makes a bucket and points Django's
default storage at it through the same settings code the site uses
(``AFTERWORD_MEDIA_S3_*``), so tests read and write media over HTTP exactly
as an app server does.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.oidc import missing_service
from tests.support.smtp import free_port

ACCESS_KEY = "afterword-test"
SECRET_KEY = "afterword-test-secret"
REGION = "us-east-1"


def moto_server_command() -> str | None:
    return shutil.which("moto_server", path=os.path.dirname(sys.executable)) or (
        shutil.which("moto_server")
    )


@dataclass
class MotoServer:
    process: subprocess.Popen
    port: int
    log: Path

    def wait(self, timeout: float = 60) -> None:
        """Until it accepts connections (its imports take seconds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    "moto_server did not start:\n" + self.log.read_text()
                )
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"moto_server did not listen within {timeout} s")

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self, bucket: str) -> dict[str, str]:
        """The variables that point an Afterword site at ``bucket`` here."""
        return {
            "AFTERWORD_MEDIA_S3_BUCKET": bucket,
            "AFTERWORD_MEDIA_S3_ENDPOINT_URL": self.endpoint,
            "AFTERWORD_MEDIA_S3_ACCESS_KEY": ACCESS_KEY,
            "AFTERWORD_MEDIA_S3_SECRET_KEY": SECRET_KEY,
            "AFTERWORD_MEDIA_S3_REGION": REGION,
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def make_bucket(self, name: str) -> None:
        self.client().create_bucket(Bucket=name)

    def keys(self, bucket: str) -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(
            item["Key"] for page in pages for item in page.get("Contents", [])
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def launch_moto_server(log: Path) -> MotoServer:
    """Start ``moto_server -H 127.0.0.1 -p <port>``; ``wait`` until it answers."""
    command = moto_server_command()
    if command is None:
        missing_service("moto_server is not installed (pip install 'moto[server]')")
    port = free_port()
    handle = log.open("ab")
    process = subprocess.Popen(
        [command, "-H", "127.0.0.1", "-p", str(port)],
        stdout=handle,
        stderr=handle,
        start_new_session=True,
    )
    return MotoServer(process, port, log)


def start_moto_server(log: Path) -> MotoServer:
    server = launch_moto_server(log)
    server.wait()
    return server


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory):
    server = start_moto_server(tmp_path_factory.mktemp("moto") / "moto.log")
    yield server
    server.stop()


@pytest.fixture
def media_bucket(moto_server, settings, monkeypatch, request):
    """A fresh bucket as the site's media storage; yields its name."""
    from afterword.config import environment

    name = f"media-{request.node.name.lower()}"[:50].strip("-_[]").replace("_", "-")
    name = "".join(c if c.isalnum() or c == "-" else "-" for c in name)
    moto_server.make_bucket(name)
    for variable, value in moto_server.environment(name).items():
        monkeypatch.setenv(variable, value)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "afterword.media.bucket.BucketStorage",
            "OPTIONS": environment.media_bucket(),
        },
    }
    return name
