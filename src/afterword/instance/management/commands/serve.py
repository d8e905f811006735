"""``afterword serve``: the production server (granian) plus the task worker.

Both run as child processes that inherit the environment, so they serve the
same site as this command (``AFTERWORD_DATA_DIR``, ``DATABASE_URL`` ...).
What dies is brought back without taking the rest down:

* granian restarts a web worker process that died (``--respawn-failed-
  workers``); the others keep answering meanwhile;
* this command restarts the task worker when it exits on its own (a crash,
  a kill); the task it was running is taken up again once its lease expires
  (``afterword.taskworker``).

A child that keeps dying (granian's own crash-loop check, or the task worker
dying ``RESTART_LIMIT`` times within ``RESTART_WINDOW`` seconds) stops
everything with an error, so a supervisor (systemd) sees it. Ctrl+C or
SIGTERM stops both children; they also get SIGTERM from the kernel if this
process is killed outright (Linux), so no orphan keeps the port.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import deque

from django.core.management.base import BaseCommand, CommandError

from afterword.config import environment as env
from afterword.pagecache.files import check_folder
from afterword.pagecache.state import start_for_code

# The task worker may die this many times within this many seconds before
# serve gives up (a worker that cannot start would otherwise spin).
RESTART_LIMIT = 5
RESTART_WINDOW = 60.0
PR_SET_PDEATHSIG = 1


class Command(BaseCommand):
    help = "Serve the site with granian and run the background task worker."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--host",
            default=env.text("AFTERWORD_HOST", "127.0.0.1"),
            help="Address to listen on (AFTERWORD_HOST, default 127.0.0.1).",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=env.integer("AFTERWORD_PORT", 8000, minimum=1),
            help="Port to listen on (AFTERWORD_PORT, default 8000).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=env.integer("AFTERWORD_WORKERS", os.cpu_count() or 1, minimum=1),
            help="Server processes (AFTERWORD_WORKERS, default: one per CPU).",
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the task worker."
        )

    def handle(
        self, *args, host: str, port: int, workers: int, no_worker: bool, **options
    ) -> None:
        granian = shutil.which(
            "granian", path=os.path.dirname(sys.executable)
        ) or shutil.which("granian")
        if not granian:
            raise CommandError("granian is not installed; run `pip install granian`.")
        _check_port_free(host, port)
        if problem := check_folder():
            self.stderr.write(problem)
        if start_for_code():
            self.stdout.write("Code or templates changed: the page cache starts over.")

        child_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "afterword.config.settings.base"
            ),
        }
        server_cmd = [
            granian,
            "--interface", "wsgi",
            "--host", host,
            "--port", str(port),
            "--workers", str(workers),
            "--blocking-threads", "1",
            "--backlog", "2048",
            "--no-ws",
            "--respawn-failed-workers",
            "afterword.config.wsgi:application",
        ]  # fmt: skip
        server = _start(server_cmd, child_env)
        worker_cmd = [
            sys.executable, "-m", "afterword.cli", "db_worker",
            "--queue-name", "*", "--interval", "0.5",
        ]  # fmt: skip
        worker = None if no_worker else _start(worker_cmd, child_env)
        self.stdout.write(
            f"Serving on http://{host}:{port}/ ({workers} workers"
            f"{'' if no_worker else ' and a task worker'}); Ctrl+C stops."
        )
        stopping = False
        restarts: deque[float] = deque()

        def stop(*_) -> None:
            nonlocal stopping
            stopping = True
            for child in (server, worker):
                if child is not None and child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while not stopping and server.poll() is None:
                if worker is not None and worker.poll() is not None and not stopping:
                    now = time.monotonic()
                    restarts.append(now)
                    while restarts and restarts[0] < now - RESTART_WINDOW:
                        restarts.popleft()
                    if len(restarts) > RESTART_LIMIT:
                        self.stderr.write(
                            f"The task worker died {len(restarts)} times within "
                            f"{RESTART_WINDOW:.0f} s; stopping."
                        )
                        raise SystemExit(1)
                    self.stderr.write(
                        f"The task worker exited ({worker.returncode}); restarting it."
                    )
                    worker = _start(worker_cmd, child_env)
                time.sleep(0.2)
        finally:
            stop()
            for child in (server, worker):
                if child is None:
                    continue
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        if server.returncode not in (0, -signal.SIGTERM):
            raise SystemExit(1)


def _die_with_parent():
    """A hook for the child: SIGTERM when serve dies, even by SIGKILL (Linux)."""
    if sys.platform != "linux":
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return lambda: prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _start(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(command, env=env, preexec_fn=_die_with_parent())


def _check_port_free(host: str, port: int) -> None:
    """Fail with a readable message instead of granian's bind traceback."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise CommandError(
                f"Cannot listen on {host}:{port} ({error.strerror}). Is another "
                "server running? Stop it, or choose another port with --port "
                "or AFTERWORD_PORT."
            ) from None
