"""Kill the server and the task workers mid-run; count comments and emails.

    .venv/bin/python bench/crash_durability.py                  # 30 s, 16 guests
    .venv/bin/python bench/crash_durability.py --seconds 12 --json
    .venv/bin/python bench/crash_durability.py --database-url postgres://postgres@127.0.0.1/x

Self-contained, loopback only, cleans up after itself (issue 11, point 6):

1. a throw-away site: SQLite in WAL mode in a temporary folder (or, with
   ``--database-url``, a fresh PostgreSQL database created next to the one
   named and dropped afterwards), migrated, static files collected; a writer
   with an email address and one published post; the discussion settings
   row saved with the flood limits off and no first-comment hold, so every
   comment is published and emails the writer (``notify_author``);
2. a real SMTP server (aiosmtpd) on 127.0.0.1: a message counts, by its
   Message-ID, only when the server answers 250 to the end of DATA. Before
   each crash it stops answering DATA, so the task workers are caught
   mid-send with their emails claimed; the kill waits until every email
   being sent is inside DATA (none between the 250 and the outbox's "sent",
   the one instant where a kill must repeat an email, see docs/deploy.md);
3. ``afterword serve --workers 2`` (granian and its task worker) exactly as
   the README runs it, mailing through that server (``AFTERWORD_EMAIL_URL``),
   with a short task lease (``AFTERWORD_TASK_LEASE``) so recovery fits the
   run; plus one more ``afterword db_worker`` on its own, as a second unit or
   machine would run it (``--extra-workers``);
4. 16 guest commenters (threads) post through the real form: they load the
   post page, fetch form tokens from ``/comments/token/<id>/``, wait the
   tokens' minimum age and POST, each comment with a unique marker. A
   dropped connection or a 5xx is submitted again, like a person pressing
   the button again; a 303 is an acknowledgement;
5. crash 1, at a third of the run: SIGKILL of granian's worker processes and
   of every task worker while one of them is inside DATA. granian respawns
   its workers, ``serve`` restarts its task worker, this script restarts the
   standalone one (standing in for systemd);
6. crash 2, at two thirds: SIGKILL of everything (serve, granian, its
   workers, the task workers), again mid-send; a new ``afterword serve``;
7. the commenters stop; the restarted workers drain the outbox and run
   every send task left in the queue (bounded wait); the script stops
   everything and checks: each acknowledged comment is in the database, none
   twice; ``PRAGMA integrity_check`` (SQLite); each queued email received
   exactly once, the two held ones included, and the task that was sending
   each held email ran again exactly once.

Prints the figures (``--json``: one JSON object, for tests/durability) and
exits 1 if any check fails. The SMTP server, the site's processes and the
guests are in ``crash_parts.py``; this module is the scenario and the checks.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from crash_parts import (
    BIN,
    HOST,
    LEASE_SECONDS,
    ROOT,
    Commenters,
    Sink,
    Site,
    free_port,
    parent_of,
    postgres_database,
    wait_gone,
)

MARKER = re.compile(r"\bmark-[0-9a-f]{16}\b")


# --- the run -----------------------------------------------------------------


def prepare(site: Site) -> tuple[int, str]:
    """Migrate, collect static files, write the post and the discussion policy."""
    collect = subprocess.Popen(
        [str(BIN / "afterword"), "collectstatic", "--noinput", "-v0"],
        env=site.env,
        cwd=site.folder,
    )
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from afterword.accounts.models import User
    from afterword.discussion.models import DiscussionSettings
    from afterword.posts.actions import save_post
    from afterword.posts.models import Post

    writer = User.objects.create(
        username="writer", email="writer@example.test", display_name="The Writer"
    )
    post = save_post(
        Post(
            title="Paprika, again",
            slug="paprika-again",
            author=writer,
            body="Dreams leak into the waking city.",
            status=Post.Status.PUBLISHED,
        )
    )
    policy = DiscussionSettings.load()
    policy.flood_ip_limit = 0
    policy.flood_identity_limit = 0
    policy.hold_first_comment = False
    policy.notify_author = True
    policy.save()
    if collect.wait() != 0:
        raise RuntimeError("collectstatic failed")
    return post.pk, post.get_absolute_url()


@dataclass
class Crash:
    whole: bool
    # Emails inside DATA at the kill, and the worker that had claimed each.
    held: dict[str, str] = field(default_factory=dict)
    clean: bool = False
    killed: int = 0
    restart_seconds: float = 0.0
    web_workers_back: bool = False
    serve_task_worker_back: bool = False
    killed_at: float = 0.0

    def resent_after(self, sink: Sink) -> float | None:
        """Seconds from the kill until every held email was accepted."""
        times = [sink.first_received_at.get(m) for m in self.held]
        if not times or None in times:
            return None
        return round(max(times) - self.killed_at, 2)

    def wait_resent(self, sink: Sink, timeout: float) -> None:
        """Until the held emails are out and no send task is left to run.

        The second half matters to the claim count: a killed task that is
        still queued when the next crash (or the final stop, which hands a
        running task to the worker that is still up) comes is claimed again
        for a reason that has nothing to do with this crash.
        """
        deadline = time.monotonic() + timeout
        while self.resent_after(sink) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        send_tasks_settled(max(0.0, deadline - time.monotonic()))


def in_flight() -> dict[str, str]:
    """Message-ID -> worker, for each email a live worker has claimed."""
    from django.utils import timezone

    from afterword.outbox.delivery import message_id_for
    from afterword.outbox.models import OutgoingEmail
    from afterword.taskworker.models import WorkerLease

    live = WorkerLease.objects.filter(expires_at__gt=timezone.now())
    return {
        message_id_for(key): worker
        for key, worker in OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.SENDING,
            claimed_by__in=live.values("worker_id"),
        ).values_list("key", "claimed_by")
    }


def crash(site: Site, sink: Sink, whole: bool) -> Crash:
    """Freeze senders inside DATA, then SIGKILL the processes mid-send.

    The kill waits until every email a live worker is sending sits in DATA:
    none is then between the server's 250 and the outbox's "sent", the one
    instant where a kill must send an email twice (see docs/deploy.md).
    """
    record = Crash(whole=whole)
    freeze = sink.freeze_data()
    if not freeze.first.wait(60):
        raise RuntimeError("no email was sent within 60 s")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        sending = in_flight()
        if set(sending) <= set(freeze.message_ids):
            record.clean = True
            break
        time.sleep(0.02)
    record.held = {m: sending.get(m, "") for m in freeze.message_ids}
    victims = site.web_workers() + site.task_workers()
    if whole:
        victims += [pid for pid in (site.granian(), site.serve.pid) if pid]
    record.killed_at = killed_at = time.monotonic()
    for pid in victims:
        os.kill(pid, signal.SIGKILL)
    record.killed = len(victims)
    for worker in site.workers:
        worker.wait()
    if whole:
        site.serve.wait()
    wait_gone(victims)
    sink.thaw()
    site.workers = []
    site.start_worker()  # what systemd's Restart=always would do
    if whole:
        record.restart_seconds = round(site.start_serve(), 2)
    else:
        # granian respawns its workers by itself; serve, its task worker.
        record.restart_seconds = round(site.wait_answering(killed_at), 2)
    fresh = set(site.web_workers())
    record.web_workers_back = len(fresh) == 2 and not fresh & set(victims)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not record.serve_task_worker_back:
        served = [p for p in site.task_workers() if parent_of(p) == site.serve.pid]
        record.serve_task_worker_back = bool(served) and not set(served) & set(victims)
        time.sleep(0.05)
    return record


def drained(timeout: float) -> bool:
    """Every email sent, then every send task run, within ``timeout``."""
    from django.db import connections

    from afterword.outbox.models import OutgoingEmail

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        waiting = OutgoingEmail.objects.filter(
            status__in=[OutgoingEmail.Status.PENDING, OutgoingEmail.Status.SENDING]
        ).exists()
        connections.close_all()
        if not waiting:
            return send_tasks_settled(max(0.0, deadline - time.monotonic()))
        time.sleep(0.2)
    return False


def send_tasks_settled(timeout: float) -> bool:
    """Wait until no ``send_email`` task is running or due; False on timeout.

    A recovered task and the task queued again for its email both stay in
    the queue after the email went out (the later one finds it sent and does
    nothing), so an empty outbox does not yet mean an idle queue.
    """
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + timeout
    while True:
        sends = DBTaskResult.objects.filter(task_path__endswith="send_email")
        busy = (sends.running() | sends.ready()).exists()
        connections.close_all()
        if not busy:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


def count_comments(acknowledged: list[str]) -> dict:
    from afterword.discussion.models import Comment

    found = Counter()
    for body in Comment.objects.values_list("body", flat=True):
        found.update(MARKER.findall(body))
    return {
        "present": sum(1 for marker in acknowledged if found[marker] >= 1),
        "missing": sum(1 for marker in acknowledged if found[marker] == 0),
        "duplicated": sum(1 for count in found.values() if count > 1),
        "stored": sum(found.values()),
    }


def count_emails(sink: Sink, crashes: list[Crash]) -> dict:
    from django_tasks_db.models import DBTaskResult

    from afterword.outbox.delivery import message_id_for
    from afterword.outbox.models import OutgoingEmail

    rows = {
        message_id_for(key): pk
        for pk, key in OutgoingEmail.objects.values_list("pk", "key")
    }
    received = sink.received
    send_tasks = [
        (task.args_kwargs["args"], task)
        for task in DBTaskResult.objects.filter(task_path__endswith="send_email")
    ]
    reruns = []
    for record in crashes:
        held = []
        for message_id, worker in record.held.items():
            email_id = rows.get(message_id)
            killed = [
                task
                for args, task in send_tasks
                if args == [email_id] and worker and worker in task.worker_ids
            ]
            held.append(
                {
                    "received": received.get(message_id, 0),
                    "killed_task_claims": len(killed[0].worker_ids) if killed else 0,
                    "killed_task_status": killed[0].status if killed else "",
                }
            )
        reruns.append(held)
    # For a failed run: what happened to each email received more than once.
    repeated = []
    for message_id, count in received.items():
        if count > 1 and message_id in rows:
            email = OutgoingEmail.objects.get(pk=rows[message_id])
            repeated.append(
                {
                    "email": email.pk,
                    "received": count,
                    "attempts": email.attempts,
                    "claimed_by": email.claimed_by,
                    "tasks": [
                        (task.status, task.worker_ids)
                        for task in DBTaskResult.objects.filter(
                            task_path__endswith="send_email"
                        )
                        if task.args_kwargs["args"] == [email.pk]
                    ],
                }
            )
    return {
        "repeated": repeated,
        "queued": len(rows),
        "received_once": sum(1 for m in rows if received.get(m) == 1),
        "missing": sum(1 for m in rows if not received.get(m)),
        "duplicates": sum(count - 1 for count in received.values() if count > 1),
        "unknown": sum(1 for m in received if m not in rows),
        "held": reruns,
    }


def integrity(database_url: str, folder: Path) -> str:
    if not database_url.startswith("sqlite:"):
        return "not applicable (PostgreSQL)"
    with sqlite3.connect(folder / "afterword.sqlite3") as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def run(seconds: float, guests: int, extra_workers: int, database_url: str) -> dict:
    from aiosmtpd.controller import Controller

    folder = Path(tempfile.mkdtemp(prefix="afterword-crash-"))
    drop = None
    if database_url:
        database_url, drop = postgres_database(database_url)
    else:
        database_url = f"sqlite:///{folder / 'afterword.sqlite3'}"
    sink = Sink()
    smtp_port = free_port()
    controller = Controller(sink, hostname=HOST, port=smtp_port)
    controller.start()
    site = Site(folder, database_url, smtp_port)
    commenters = None
    try:
        os.environ.update(site.env)
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        setup_started = time.monotonic()
        post_id, post_url = prepare(site)
        setup_seconds = time.monotonic() - setup_started
        first_start = site.start_serve()
        for _ in range(extra_workers):
            site.start_worker()
        commenters = Commenters(site.port, post_url, post_id, guests)
        started = time.monotonic()
        commenters.start()
        crashes: list[Crash] = []
        for share, whole in ((1 / 3, False), (2 / 3, True)):
            if crashes:
                # One crash at a time: the email held in the last one goes
                # out (its lease expired, another worker took it) first.
                crashes[-1].wait_resent(sink, timeout=6 * LEASE_SECONDS + 30)
            pause = started + seconds * share - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            crashes.append(crash(site, sink, whole))
        pause = started + seconds - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        commenters.stop()
        load_seconds = time.monotonic() - started
        drain_started = time.monotonic()
        all_out = drained(timeout=6 * LEASE_SECONDS + 30)
        drain_seconds = time.monotonic() - drain_started
        site.stop()
        comments = count_comments(commenters.acknowledged)
        emails = count_emails(sink, crashes)
        check = integrity(database_url, folder)
        fenced = site.log.read_text(errors="replace").count("lost its lease")
    finally:
        if commenters is not None:
            commenters.stopping.set()
        site.stop()
        controller.stop()
        from django.db import connections

        connections.close_all()
        if drop is not None:
            drop()
        if os.environ.get("AFTERWORD_KEEP_CRASH_SITE"):
            print(f"site kept in {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return {
        "database": "sqlite" if database_url.startswith("sqlite") else "postgresql",
        "guests": guests,
        "setup_seconds": round(setup_seconds, 1),
        "first_start_seconds": round(first_start, 1),
        "load_seconds": round(load_seconds, 1),
        "drain_seconds": round(drain_seconds, 1),
        "comments_acknowledged": len(commenters.acknowledged),
        "comments_present": comments["present"],
        "comments_missing": comments["missing"],
        "comments_duplicated": comments["duplicated"],
        "comments_stored": comments["stored"],
        "resubmissions": commenters.resubmissions,
        "resubmitted_already_stored": len(commenters.already_there),
        "unanswered_at_end": len(commenters.unanswered),
        "integrity_check": check,
        "emails_queued": emails["queued"],
        "emails_received_once": emails["received_once"],
        "emails_missing": emails["missing"],
        "emails_duplicates": emails["duplicates"],
        "emails_unknown": emails["unknown"],
        "emails_repeated": emails["repeated"],
        "outbox_drained": all_out,
        "workers_that_lost_their_lease": fenced,
        "crashes": [
            {
                "whole_tree": record.whole,
                "processes_killed": record.killed,
                "killed_mid_send": record.clean,
                "restart_seconds": record.restart_seconds,
                "web_workers_back": record.web_workers_back,
                "serve_task_worker_back": record.serve_task_worker_back,
                "held_emails_resent_after_seconds": record.resent_after(sink),
                "held_emails": held,
            }
            for record, held in zip(crashes, emails["held"], strict=True)
        ],
        "refused": result_refused(commenters),
    }


def result_refused(commenters: Commenters) -> dict[str, int]:
    return {str(status): count for status, count in commenters.refused.items()}


def verdict(result: dict) -> list[str]:
    """What failed, in words; empty when every check holds."""
    problems = []
    if result["refused"]:
        problems.append(f"comments refused: {result['refused']}")
    if result["comments_missing"]:
        problems.append(f"{result['comments_missing']} acknowledged comments missing")
    if result["comments_duplicated"]:
        problems.append(f"{result['comments_duplicated']} comments stored twice")
    if result["integrity_check"] not in ("ok", "not applicable (PostgreSQL)"):
        problems.append(f"integrity check: {result['integrity_check']}")
    if result["emails_missing"] or not result["outbox_drained"]:
        problems.append(f"{result['emails_missing']} emails never received")
    if result["emails_duplicates"]:
        problems.append(f"{result['emails_duplicates']} emails received twice")
    for number, record in enumerate(result["crashes"], 1):
        if not record["web_workers_back"]:
            problems.append(f"crash {number}: granian's workers did not come back")
        if not record["serve_task_worker_back"]:
            problems.append(f"crash {number}: serve's task worker did not come back")
        if not record["killed_mid_send"]:
            problems.append(f"crash {number}: an email was not inside DATA at the kill")
        for held in record["held_emails"]:
            if held["received"] != 1:
                problems.append(f"crash {number}: a held email was not received once")
            if held["killed_task_claims"] != 2 or held["killed_task_status"] != (
                "SUCCESSFUL"
            ):
                problems.append(f"crash {number}: a killed task did not run again once")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="load duration")
    parser.add_argument("--guests", type=int, default=16, help="concurrent commenters")
    parser.add_argument(
        "--extra-workers",
        type=int,
        default=1,
        help="task workers besides serve's own (default 1)",
    )
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL URL: run on a new database on that server",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    result = run(args.seconds, args.guests, args.extra_workers, args.database_url)
    problems = verdict(result)
    if args.json:
        print(json.dumps({**result, "problems": problems}))
        return 1 if problems else 0
    print(f"database:                     {result['database']}")
    print(
        f"set-up:                       {result['setup_seconds']} s (migrate, static "
        f"files), first start {result['first_start_seconds']} s"
    )
    print(
        f"load:                         {result['guests']} guests for "
        f"{result['load_seconds']} s, two crashes"
    )
    print(f"comments acknowledged (303):  {result['comments_acknowledged']}")
    print(f"  present in the database:    {result['comments_present']}")
    print(f"  duplicated:                 {result['comments_duplicated']}")
    print(
        f"  resubmitted after a crash:  {result['resubmissions']} "
        f"({result['resubmitted_already_stored']} were already stored: 409)"
    )
    print(f"integrity check:              {result['integrity_check']}")
    print(f"emails queued:                {result['emails_queued']}")
    print(f"  received exactly once:      {result['emails_received_once']}")
    print(f"  duplicates / missing:       {result['emails_duplicates']} / "
          f"{result['emails_missing']}")  # fmt: skip
    for number, record in enumerate(result["crashes"], 1):
        what = "whole tree" if record["whole_tree"] else "web and task workers"
        held = record["held_emails"]
        print(
            f"crash {number} ({what}, {record['processes_killed']} processes "
            f"SIGKILLed, site answering again after {record['restart_seconds']} s):"
        )
        print(
            f"  emails inside DATA at the kill: {len(held)}; received "
            f"{', '.join(str(h['received']) + 'x' for h in held)} "
            f"(all within {record['held_emails_resent_after_seconds']} s); "
            "their killed tasks claimed "
            f"{', '.join(str(h['killed_task_claims']) + 'x' for h in held)}, now "
            f"{', '.join(h['killed_task_status'] for h in held)}"
        )
    print(f"outbox drained in:            {result['drain_seconds']} s after the load")
    print(f"workers that lost their lease: {result['workers_that_lost_their_lease']}")
    for repeated in result["emails_repeated"]:
        print(f"received twice: {repeated}")
    print("OK" if not problems else "FAILED: " + "; ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
