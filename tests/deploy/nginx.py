"""Run the nginx server block of docs/deploy.md, as written, on loopback.

Only what cannot be the same on a test machine is changed, and each change
is checked to have happened, so an edit of the documented block is tested
rather than silently skipped: the certificate (a throw-away self-signed
one), the listening ports (127.0.0.1 only, no IPv6 wildcard), the upstream
address (the app under test) and the folders. Everything else, the maps,
headers, locations and proxy settings, runs exactly as documented.
``Client`` talks to it over TLS as a reader's browser would (the fixture
that starts it is ``front``, in this folder's conftest.py).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY_DOC = ROOT / "docs" / "deploy.md"
LIVE = "/etc/letsencrypt/live/reviews.example.org/"
SERVER_NAME = "reviews.example.org"
ORIGIN = f"https://{SERVER_NAME}"


def need_nginx() -> tuple[str, str]:
    """nginx and openssl, or skip (fail when services are required, as in CI)."""
    nginx, openssl = shutil.which("nginx"), shutil.which("openssl")
    if not nginx or not openssl:
        reason = (
            "nginx or openssl is not installed, so the documented nginx set-up "
            "cannot be tested (scripts/install-nginx.sh installs them)"
        )
        if os.environ.get("AFTERWORD_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason} (AFTERWORD_REQUIRE_SERVICES=1)")
        pytest.skip(reason)
    return nginx, openssl


def documented_blocks() -> list[str]:
    """Every ```nginx block of docs/deploy.md, in order."""
    return re.findall(r"```nginx\n(.*?)```", DEPLOY_DOC.read_text(), re.S)


def documented_block() -> str:
    """The block of docs/deploy.md with the site's server (``listen 443``)."""
    found = [block for block in documented_blocks() if "listen 443 " in block]
    assert len(found) == 1, "docs/deploy.md needs one ```nginx block with the server"
    return found[0]


def self_signed_certificate(openssl: str, folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-nodes", "-days", "1"]
        + ["-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-subj", f"/CN={SERVER_NAME}"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def replace(text: str, old: str, new: str, *, count: int | None = None) -> str:
    """Replace ``old``, which must be there (``count`` times when given)."""
    found = text.count(old)
    assert found and (count is None or found == count), (
        f"docs/deploy.md's nginx block changed: expected {count or 'some'} "
        f"{old!r}, found {found}; update tests/deploy/nginx.py"
    )
    return text.replace(old, new)


@dataclass
class Folders:
    pages: Path
    static: Path
    media: Path
    acme: Path


def adapted_block(
    *,
    https_port: int,
    http_port: int,
    app_port: int,
    cert: Path,
    key: Path,
    folders: Folders,
) -> str:
    block = documented_block()
    block = replace(block, LIVE + "fullchain.pem", str(cert), count=1)
    block = replace(block, LIVE + "privkey.pem", str(key), count=1)
    # Loopback only: the IPv6 wildcard listeners go, the others get our ports.
    block = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", block)
    block = replace(block, "listen 443 ", f"listen 127.0.0.1:{https_port} ", count=1)
    block = replace(block, "listen 80;", f"listen 127.0.0.1:{http_port};", count=1)
    block = replace(
        block, "server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};", count=1
    )
    block = replace(block, "/srv/afterword/pages", str(folders.pages))
    block = replace(block, "/srv/afterword/data/static/", f"{folders.static}/")
    block = replace(block, "/srv/afterword/media/", f"{folders.media}/")
    block = replace(block, "/var/www/acme", str(folders.acme))
    for leftover in ("/srv/", "/etc/letsencrypt", "/var/www", "[::]"):
        assert leftover not in block, f"{leftover} left in the adapted block"
    return block


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_config(folder: Path, block: str) -> Path:
    """The documented block inside a main context of our own (logs, temp files)."""
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / f"tmp-{name}").mkdir(exist_ok=True)
    # Started as root, nginx would run its workers as "nobody", who cannot
    # read pytest's private temporary folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    config = folder / "nginx.conf"
    config.write_text(
        f"{user}worker_processes 1;\npid {folder}/nginx.pid;\n"
        f"error_log {folder}/error.log info;\nevents {{}}\n"
        "http {\n"
        "include /etc/nginx/mime.types;\n"
        f"access_log {folder}/access.log;\n"
        f"client_body_temp_path {folder}/tmp-body;\n"
        f"proxy_temp_path {folder}/tmp-proxy;\n"
        f"fastcgi_temp_path {folder}/tmp-fastcgi;\n"
        f"uwsgi_temp_path {folder}/tmp-uwsgi;\n"
        f"scgi_temp_path {folder}/tmp-scgi;\n"
        f"{block}\n}}\n"
    )
    return config


def start(nginx: str, config: Path, port: int) -> subprocess.Popen:
    """Start nginx in the foreground and wait until it accepts connections."""
    log = (config.parent / "output.log").open("ab")
    process = subprocess.Popen(
        [nginx, "-c", str(config), "-p", str(config.parent), "-g", "daemon off;"],
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                "nginx did not start:\n" + (config.parent / "output.log").read_text()
            )
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.05)
    stop(process)
    raise RuntimeError(f"nginx did not listen on 127.0.0.1:{port} within 10 s")


def stop(process: subprocess.Popen) -> None:
    """Stop the nginx this module started (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Client:
    """A browser-like client on its own loopback address, talking TLS to nginx.

    Each request is a new connection from ``address`` (any of 127/8), so
    nginx sees the client nginx would see on the internet.
    """

    def __init__(self, port: int, address: str = "127.0.0.1"):
        self.port = port
        self.address = address
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE  # our throw-away certificate

    def request(self, method: str, path: str, body: dict | None = None, **headers):
        connection = http.client.HTTPSConnection(
            "127.0.0.1",
            self.port,
            source_address=(self.address, 0),
            context=self.context,
            timeout=15,
        )
        sent = {"Host": SERVER_NAME, "User-Agent": "afterword-test"}
        sent.update(headers)
        data = None
        if body is not None:
            data = urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = ORIGIN  # what a browser sends with a form post
        try:
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()
