"""``afterword serve``: the production server (granian) plus the task worker.

Both run as child processes; when either exits, the other is stopped too, so
a supervisor (systemd, the Makefile) sees one process that lives or dies whole.
"""

import os
import shutil
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the site with granian and run the background task worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("AFTERWORD_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("AFTERWORD_PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("AFTERWORD_WORKERS", str(os.cpu_count() or 1))),
        )
        parser.add_argument("--no-worker", action="store_true", help="Do not start the task worker.")

    def handle(self, *args, host, port, workers, no_worker, **options):
        bin_dir = os.path.dirname(sys.executable)
        granian = shutil.which("granian", path=bin_dir) or shutil.which("granian")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "afterword.config.settings.base")}
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
        ]
        children = [subprocess.Popen(server_cmd, env=env)]
        if not no_worker:
            worker_cmd = [sys.executable, "-m", "afterword.cli", "db_worker", "--queue-name", "*", "--interval", "0.5"]
            children.append(subprocess.Popen(worker_cmd, env=env))
        self.stdout.write(f"Serving on http://{host}:{port}/ ({workers} workers)")

        def stop(*_):
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
