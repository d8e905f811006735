"""``afterword serve``: the production server (granian) plus the task worker.

Both run as child processes; when either exits, the other is stopped too, so
a supervisor (systemd, the Makefile) sees one process that lives or dies whole.
The children inherit the environment, so they serve the same site as this
command (``AFTERWORD_DATA_DIR``, ``DATABASE_URL`` ...).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from afterword.config import environment as env
from afterword.pagecache.files import check_folder
from afterword.pagecache.state import start_for_code


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
            "afterword.config.wsgi:application",
        ]  # fmt: skip
        children = [subprocess.Popen(server_cmd, env=child_env)]
        if not no_worker:
            worker_cmd = [
                sys.executable, "-m", "afterword.cli", "db_worker",
                "--queue-name", "*", "--interval", "0.5",
            ]  # fmt: skip
            children.append(subprocess.Popen(worker_cmd, env=child_env))
        self.stdout.write(
            f"Serving on http://{host}:{port}/ ({workers} workers"
            f"{'' if no_worker else ' and a task worker'}); Ctrl+C stops."
        )

        def stop(*_) -> None:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            stop()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()


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
