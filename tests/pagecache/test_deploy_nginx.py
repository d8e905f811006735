"""The nginx configuration in docs/deploy.md is valid nginx (``nginx -t``)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.nginx import documented_block

ROOT = Path(__file__).resolve().parents[2]


def test_documented_nginx_server_block_passes_nginx_t(tmp_path):
    nginx, openssl = shutil.which("nginx"), shutil.which("openssl")
    if not nginx or not openssl:
        pytest.skip("nginx or openssl is not installed (apt-get install nginx-light)")
    block = documented_block()
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-nodes", "-days", "1"]
        + [
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-subj",
            "/CN=reviews.example.org",
        ]
        + ["-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True,
        capture_output=True,
    )
    live = "/etc/letsencrypt/live/reviews.example.org/"
    block = block.replace(live + "fullchain.pem", str(tmp_path / "cert.pem"))
    block = block.replace(live + "privkey.pem", str(tmp_path / "key.pem"))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\ninclude /etc/nginx/mime.types;\n{block}\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
