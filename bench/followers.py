"""Publish one post to N followers, kill the worker mid-way, count the emails.

    .venv/bin/python bench/followers.py                    # 5,000 followers
    .venv/bin/python bench/followers.py --followers 300 --json

Self-contained, loopback only, cleans up after itself:

1. a throw-away SQLite file database (the worker is another process) in a
   temporary folder, migrated; N confirmed followers of the whole site are
   inserted in bulk, and a draft post by a writer;
2. a real SMTP server (aiosmtpd) on 127.0.0.1 counts what arrives per address;
3. the post is published through ``posts.services.save_post`` exactly as the
   admin does; the time that call takes is the "publishing returns at once"
   figure (it only enqueues the fan-out task);
4. a real ``afterword db_worker`` subprocess sends the emails; after
   ``--kill-at`` of them have arrived, the SMTP server holds the next one
   unanswered and the worker gets SIGKILL while it waits, in the middle of
   sending (the email is claimed in the outbox, not yet accepted); a new
   worker is started;
5. when the post's notifications are finished, every follower must have
   exactly one email. The script prints the figures (``--json`` for tests)
   and exits 1 if anyone got none or two.

The watchdog that repairs after a kill runs every second here and treats an
email as interrupted after 3 s (production defaults: 60 s and 600 s), set in
a small settings module written to the temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AFTERWORD = ROOT / ".venv" / "bin" / "afterword"

SETTINGS = """\
from afterword.config.settings.base import *  # noqa: F403

AFTERWORD_FOLLOW_WATCH_INTERVAL = 1
AFTERWORD_FOLLOW_STALE_AFTER = 3
AFTERWORD_PAGE_CACHE = False
"""


class Sink:
    """Counts messages per recipient (the envelope's RCPT TO).

    With ``hold_at`` set, the message arriving after that many is held
    before the server answers: the worker then sits in the middle of sending
    it (claimed, not yet accepted), which is where the kill happens. Once
    released the message is refused, as the sender is gone by then.
    """

    def __init__(self, hold_at: int | None = None) -> None:
        self.lock = threading.Lock()
        self.received: Counter[str] = Counter()
        self.total = 0
        self.first = self.last = 0.0
        self.hold_at = hold_at
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        if self.hold_at is not None and self.total == self.hold_at:
            self.hold_at = None
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
            return "451 4.3.0 Sender went away"
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received[rcpt.lower()] += 1
            self.total += 1
            self.last = time.perf_counter()
            self.first = self.first or self.last
        return "250 Message accepted for delivery"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(folder: Path, smtp_port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench_followers_settings",
        PYTHONPATH=f"{folder}{os.pathsep}{env.get('PYTHONPATH', '')}",
        AFTERWORD_DATA_DIR=str(folder),
        DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
        AFTERWORD_CACHE_URL="locmem://bench",
        AFTERWORD_EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        AFTERWORD_SECRET_KEY="bench-followers-not-secret-" + "x" * 40,
        AFTERWORD_LOG_LEVEL="ERROR",
    )
    return env


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start a worker; its output goes to a file (a full pipe would block it)."""
    with log.open("ab") as output:
        return subprocess.Popen(
            [
                str(AFTERWORD),
                "db_worker",
                "--queue-name",
                "*",
                "--interval",
                "0.05",
                "--no-startup-delay",
                "--no-reload",
            ],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def prepare(followers: int) -> int:
    """Migrate, insert the followers and a draft post; return the post id."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from afterword.posts.models import Post
    from afterword.subscriptions.models import Follow, Subscriber

    call_command("migrate", verbosity=0)
    confirmed = timezone.now() - timezone.timedelta(days=1)
    Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n:05d}@example.test", confirmed_at=confirmed)
        for n in range(followers)
    )
    Follow.objects.bulk_create(
        Follow(subscriber=subscriber, target="site", confirmed_at=confirmed)
        for subscriber in Subscriber.objects.all()
    )
    writer = get_user_model().objects.create(username="writer", is_staff=True)
    post = Post.objects.create(
        title="Memories, Part 3: Cannon Fodder",
        slug="cannon-fodder",
        author=writer,
        body="A city that lives to fire its cannons.",
        status=Post.Status.DRAFT,
    )
    return post.pk


def publish(post_id: int) -> float:
    """Publish like the admin does; return the call's duration in ms."""
    from afterword.posts.actions import save_post
    from afterword.posts.models import Post

    post = Post.objects.get(pk=post_id)
    post.status = Post.Status.PUBLISHED
    # A running site loaded its address map when it started; without this
    # the first reverse() inside the publish pays for importing every app's
    # URLs (half a second, the API's schema classes most of it).
    post.get_absolute_url()
    started = time.perf_counter()
    save_post(post)  # commits; the on-commit hook enqueues the fan-out task
    return (time.perf_counter() - started) * 1000


def finished(post_id: int) -> bool:
    from afterword.subscriptions.models import FanOut

    return FanOut.objects.filter(post_id=post_id, finished_at__isnull=False).exists()


def run(followers: int, kill_at: float, timeout: float) -> dict:
    from aiosmtpd.controller import Controller

    folder = Path(tempfile.mkdtemp(prefix="afterword-followers-"))
    (folder / "bench_followers_settings.py").write_text(SETTINGS)
    sink = Sink(hold_at=int(followers * kill_at) if kill_at < 1 else None)
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    workers: list[subprocess.Popen] = []
    try:
        os.environ.update(environment(folder, port))
        sys.path.insert(0, str(folder))
        import django

        django.setup()
        post_id = prepare(followers)
        publish_ms = publish(post_id)
        queued_at_publish = sink.total

        started = time.perf_counter()
        env = environment(folder, port)
        workers.append(start_worker(env, folder / "worker.log"))
        killed_at = None
        deadline = started + timeout
        if kill_at < 1:
            sink.holding.wait(timeout)
            os.kill(workers[0].pid, signal.SIGKILL)
            workers[0].wait()
            sink.release.set()
            killed_at = sink.total
            rate_before_kill = killed_at / max(time.perf_counter() - sink.first, 1e-6)
            workers.append(start_worker(env, folder / "worker.log"))
        else:
            rate_before_kill = None
        while not finished(post_id) and time.perf_counter() < deadline:
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        done = finished(post_id)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(10)
                except subprocess.TimeoutExpired:
                    worker.kill()
        controller.stop()
        shutil.rmtree(folder, ignore_errors=True)

    addresses = [f"reader{n:05d}@example.test" for n in range(followers)]
    counts = [sink.received.get(address, 0) for address in addresses]
    return {
        "followers": followers,
        "publish_ms": round(publish_ms, 1),
        "emails_at_publish_return": queued_at_publish,
        "killed_after_emails": killed_at,
        "finished": done,
        "emails_received": sink.total,
        "missing": sum(1 for c in counts if c == 0),
        "duplicates": sum(c - 1 for c in counts if c > 1),
        "seconds": round(elapsed, 2),
        # From the first email to the last: worker start-up not included, the
        # kill, restart and repair are.
        "emails_per_second": round(sink.total / max(sink.last - sink.first, 1e-6), 1),
        "emails_per_second_before_kill": round(rate_before_kill, 1)
        if rate_before_kill
        else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=5000)
    parser.add_argument(
        "--kill-at",
        type=float,
        default=0.4,
        help="kill the worker when this share of the emails arrived (1 = never)",
    )
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    result = run(args.followers, args.kill_at, args.timeout)
    ok = result["finished"] and not result["missing"] and not result["duplicates"]
    if args.json:
        print(json.dumps(result))
    else:
        print(f"followers:                 {result['followers']}")
        print(
            f"publishing call returned:  {result['publish_ms']} ms "
            f"(emails sent by then: {result['emails_at_publish_return']})"
        )
        print(f"worker SIGKILLed after:    {result['killed_after_emails']} emails")
        print(
            f"all sent in:               {result['seconds']} s "
            "(worker start-up, kill, restart and repair included)"
        )
        print(
            f"sending rate:              {result['emails_per_second']} emails/s, "
            f"first to last email ({result['emails_per_second_before_kill']} "
            "before the kill)"
        )
        print(
            f"missing / duplicates:      {result['missing']} / {result['duplicates']}"
        )
        print("OK: every follower got exactly one email" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
