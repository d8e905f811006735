"""The parts of bench/crash_durability.py: SMTP server, site processes, guests.

Kept apart so the scenario (``crash_durability.py``) reads in order; nothing
here knows about crashes except that the SMTP server can freeze senders.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from email.parser import BytesHeaderParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
LEASE_SECONDS = 5
TOKEN_MIN_AGE = 3  # the site's default AFTERWORD_FORM_TOKEN_MIN_AGE


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def postgres_database(admin_url: str) -> tuple[str, Callable[[], None]]:
    """A fresh database on the server ``admin_url`` names, and its dropper."""
    import psycopg

    name = f"afterword_crash_{secrets.token_hex(4)}"
    parts = urllib.parse.urlsplit(admin_url)
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(maintenance, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return parts._replace(path=f"/{name}").geturl(), drop


# --- the SMTP server ---------------------------------------------------------


class Freeze:
    """While on, every message that reaches DATA is held there, unanswered."""

    def __init__(self) -> None:
        self.first = threading.Event()
        self.release = threading.Event()
        self.message_ids: list[str] = []


class Sink:
    """Counts accepted messages by Message-ID; can freeze senders inside DATA."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: Counter[str] = Counter()
        self.first_received_at: dict[str, float] = {}
        self.freeze: Freeze | None = None

    def freeze_data(self) -> Freeze:
        with self.lock:
            self.freeze = Freeze()
            return self.freeze

    def thaw(self) -> None:
        with self.lock:
            freeze, self.freeze = self.freeze, None
        if freeze is not None:
            freeze.release.set()

    async def handle_DATA(self, server, session, envelope):
        headers = BytesHeaderParser().parsebytes(envelope.original_content or b"")
        message_id = str(headers.get("Message-ID", "")).strip()
        with self.lock:
            freeze = self.freeze
            if freeze is not None:
                freeze.message_ids.append(message_id)
                freeze.first.set()
        if freeze is not None:
            await asyncio.get_running_loop().run_in_executor(
                None, freeze.release.wait, 120
            )
            # The sender was killed while we waited: nothing was delivered.
            return "451 4.3.0 Sender went away"
        with self.lock:
            # Recorded only on the way to answering 250.
            self.received[message_id] += 1
            self.first_received_at.setdefault(message_id, time.monotonic())
        return "250 Message accepted for delivery"


# --- processes ---------------------------------------------------------------


def parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return None if fields[0] == "Z" else int(fields[1])


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def children(pid: int) -> list[int]:
    return [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and parent_of(int(entry.name)) == pid
    ]


def alive(pid: int) -> bool:
    return parent_of(pid) is not None


def wait_gone(pids: list[int], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.02)


class Site:
    """The throw-away site and the processes serving it."""

    def __init__(self, folder: Path, database_url: str, smtp_port: int) -> None:
        self.folder = folder
        self.port = free_port()
        self.env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("DJANGO_", "AFTERWORD_", "DATABASE_URL"))
            },
            "DJANGO_SETTINGS_MODULE": "afterword.config.settings.base",
            # This checkout's code, even when another one is installed.
            "PYTHONPATH": os.pathsep.join(
                [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
            "AFTERWORD_DATA_DIR": str(folder),
            "DATABASE_URL": database_url,
            "AFTERWORD_SECRET_KEY": "crash-bench-" + secrets.token_hex(24),
            "AFTERWORD_SITE_URL": f"http://{HOST}:{self.port}",
            "AFTERWORD_EMAIL_URL": f"smtp://{HOST}:{smtp_port}?timeout=30",
            "AFTERWORD_TASK_LEASE": str(LEASE_SECONDS),
            "AFTERWORD_LOG_LEVEL": "ERROR",
        }
        self.serve: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.log = folder / "server.log"

    def _spawn(self, *args: str) -> subprocess.Popen:
        with self.log.open("ab") as output:
            return subprocess.Popen(
                [str(BIN / "afterword"), *args],
                env=self.env,
                cwd=self.folder,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def start_serve(self) -> float:
        """Start ``afterword serve``; return seconds until it answered."""
        started = time.monotonic()
        self.serve = self._spawn("serve", "--host", HOST, "--port", str(self.port),
                                 "--workers", "2")  # fmt: skip
        return self.wait_answering(started)

    def wait_answering(self, started: float, timeout: float = 60) -> float:
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.serve.poll() is not None:
                raise RuntimeError(f"serve exited; see {self.log}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
                connection.request("GET", "/robots.txt")
                if connection.getresponse().status == 200:
                    return time.monotonic() - started
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        raise RuntimeError(f"serve did not answer within {timeout} s; see {self.log}")

    def start_worker(self) -> None:
        worker = self._spawn(
            "db_worker", "--queue-name", "*", "--interval", "0.2", "--no-reload"
        )
        self.workers.append(worker)

    def granian(self) -> int | None:
        for pid in children(self.serve.pid):
            if "granian" in command_line(pid):
                return pid
        return None

    def web_workers(self) -> list[int]:
        main = self.granian()
        return children(main) if main else []

    def task_workers(self) -> list[int]:
        served = [p for p in children(self.serve.pid) if "db_worker" in command_line(p)]
        return served + [w.pid for w in self.workers if w.poll() is None]

    def stop(self) -> None:
        processes = [p for p in [self.serve, *self.workers] if p is not None]
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- the commenters ----------------------------------------------------------


class Commenters:
    """Guests posting through the comment form, each on its own connection."""

    def __init__(self, port: int, post_url: str, post_id: int, count: int) -> None:
        self.port = port
        self.post_url = post_url
        self.post_id = post_id
        self.count = count
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.acknowledged: list[str] = []
        self.already_there: list[str] = []  # 409 on a resubmission
        self.unanswered: list[str] = []  # still failing when the run ended
        self.refused: Counter[int] = Counter()  # 4xx: a bug in this script or the site
        self.resubmissions = 0
        self.threads = [
            threading.Thread(target=self.guest, args=(n,), daemon=True)
            for n in range(count)
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(60)

    def _request(self, state: dict, method: str, path: str, body=None, headers=None):
        if state.get("connection") is None:
            state["connection"] = http.client.HTTPConnection(
                HOST, self.port, timeout=20
            )
        connection = state["connection"]
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            data = response.read()
            return response.status, data
        except (OSError, http.client.HTTPException):
            connection.close()
            state["connection"] = None
            raise

    def _token(self, state: dict) -> tuple[float, str]:
        while True:
            try:
                status, data = self._request(
                    state, "GET", f"/comments/token/{self.post_id}/"
                )
                if status == 200:
                    return time.monotonic(), json.loads(data)["token"]
            except (OSError, http.client.HTTPException, ValueError):
                pass
            if self.stopping.is_set():
                raise TimeoutError
            time.sleep(0.2)

    def guest(self, number: int) -> None:
        state: dict = {}
        try:
            # A reader opens the page, then the page fetches its form token;
            # a few tokens ahead stand in for tabs left open.
            while self._request(state, "GET", self.post_url)[0] != 200:
                time.sleep(0.2)
            tokens = [self._token(state) for _ in range(3)]
            written = 0
            while not self.stopping.is_set():
                issued, token = tokens.pop(0)
                wait = issued + TOKEN_MIN_AGE + 0.05 - time.monotonic()
                if wait > 0 and self.stopping.wait(wait):
                    return
                written += 1
                self.submit(state, number, written, token)
                tokens.append(self._token(state))
        except TimeoutError:
            return

    def submit(self, state: dict, number: int, written: int, token: str) -> None:
        marker = f"mark-{secrets.token_hex(8)}"
        form = urllib.parse.urlencode(
            {
                "name": f"Guest {number}",
                "email": f"guest{number}@example.test",
                "body": f"Comment {written} from guest {number}, {marker}.",
                "token": token,
            }
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        tries = 0
        while True:
            tries += 1
            try:
                status, _ = self._request(
                    state, "POST", f"/comments/post/{self.post_id}/", form, headers
                )
            except (OSError, http.client.HTTPException):
                status = None
            with self.lock:
                if status == 303:
                    self.acknowledged.append(marker)
                    return
                if status == 409 and tries > 1:
                    self.already_there.append(marker)
                    return
                if status is not None and status < 500:
                    self.refused[status] += 1
                    return
                if self.stopping.is_set():
                    self.unanswered.append(marker)
                    return
                self.resubmissions += 1
            time.sleep(0.5)
