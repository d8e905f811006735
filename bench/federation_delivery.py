"""Publish one post to thousands of fediverse followers; kill a worker mid-way.

    .venv/bin/python bench/federation_delivery.py      # 5,000 followers, 500 servers
    .venv/bin/python bench/federation_delivery.py --followers 200 --servers 20 \
        --failing 3 --json
    .venv/bin/python bench/federation_delivery.py \
        --database-url postgres://postgres@127.0.0.1/x

Self-contained, loopback only, cleans up after itself (issue 13, point 4):

1. a throw-away site: SQLite in WAL mode in a temporary folder (or, with
   ``--database-url``, a fresh PostgreSQL database created next to the one
   named and dropped afterwards), migrated; the test-only switch
   ``AFTERWORD_FEDERATION_ALLOW_PRIVATE`` on so federation may post to
   loopback over http, retries after 1, 2, 4... seconds
   (``AFTERWORD_FEDERATION_RETRY_DELAYS``) and a 5-second task lease
   (``AFTERWORD_TASK_LEASE``) so a killed worker's claims come back within
   seconds; a writer with one published warm-up post, so they have an actor
   and a key;
2. ``--servers`` loopback servers (500) in one separate asyncio process
   (``federation_peers.py``), each on its own port: half offer a shared
   inbox, half take each follower's delivery at its own inbox; each checks
   every POST's HTTP signature against the writer's public key with
   ``cryptography`` directly, and records the activity id per inbox.
   ``--failing`` of them (20) answer 500 to the first ``--fail-times`` (2)
   POSTs to each of their inboxes;
3. ``--followers`` (5,000) accepted followers spread evenly over those
   servers, created in bulk; then one new post published through the real
   action (``PublishPost``), so the federation receivers queue the
   deliveries: one per shared inbox, one per follower elsewhere (2,750);
4. two ``afterword db_worker`` processes send them. When a third of the
   deliveries are delivered, the first worker gets SIGKILL (at a moment it
   holds a claimed delivery, if it does within 2 s) and a new one is
   started, as systemd would; the lease of the dead one expires and its
   claims are released (``workers_lost`` → ``federation.tasks.requeue_lost``);
5. the script waits (``--timeout``, 180 s) until every inbox has the
   activity, then until the queue is empty, and checks: no server is missing
   it, every signature verified, every delivery to a failing server was
   refused then delivered (attempts above ``--fail-times``). Inboxes that got
   the same activity id twice are counted and reported, not failed: a worker
   killed between the server's 202 and recording it must send again, and
   receivers drop a repeat by its id.

Prints the figures (``--json``: one JSON object, for tests/federation) and
exits 1 if a check fails. Throughput on a 2-core machine is bound by the
workers' CPU (signing, the ORM, the task queue), not by the servers.
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
from pathlib import Path

from crash_parts import (
    HOST,
    LEASE_SECONDS,
    ROOT,
    Site,
    free_port,
    postgres_database,
    wait_gone,
)
from federation_peers import failing_servers, has_shared_inbox, layout

RETRY_DELAYS = "1,2,4,8,16,32"
PEERS = Path(__file__).resolve().parent / "federation_peers.py"


# --- the parts ---------------------------------------------------------------


class Peers:
    """The loopback servers' process, asked for its counts over a pipe."""

    def __init__(self, folder: Path, config: dict) -> None:
        path = folder / "peers.json"
        path.write_text(json.dumps(config))
        self.process = subprocess.Popen(
            [sys.executable, str(PEERS), str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.ports = json.loads(self.process.stdout.readline())["ports"]

    def ask(self, command: str) -> dict:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Memory:
    """Samples each worker's peak resident memory (VmHWM) while it lives."""

    def __init__(self) -> None:
        self.peaks: dict[int, int] = {}  # pid -> kB
        self.names: dict[int, str] = {}
        self.stopping = threading.Event()
        threading.Thread(target=self._sample, daemon=True).start()

    def watch(self, pid: int, name: str) -> None:
        self.names[pid] = name

    def sample(self) -> None:
        for pid in list(self.names):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1])
                    self.peaks[pid] = max(self.peaks.get(pid, 0), peak)

    def _sample(self) -> None:
        while not self.stopping.wait(0.2):
            self.sample()

    def figures(self) -> list[dict]:
        self.stopping.set()
        return [
            {"worker": name, "peak_rss_mb": round(self.peaks.get(pid, 0) / 1024, 1)}
            for pid, name in self.names.items()
        ]


# --- the run -----------------------------------------------------------------


def prepare():
    """Migrate; a writer with a published warm-up post (so, an actor)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from afterword.accounts.models import User
    from afterword.federation.actors import author_actor
    from afterword.posts.actions import save_post
    from afterword.posts.models import Post

    writer = User.objects.create(
        username="writer", email="writer@example.test", display_name="The Writer"
    )
    save_post(
        Post(
            title="Warm-up",
            slug="warm-up",
            author=writer,
            body="The first post, before anyone followed.",
            status=Post.Status.PUBLISHED,
        )
    )
    # What the first server to look the writer up makes (the actor document's
    # view): the account and its key. The followers are added on top of it.
    return author_actor(writer)


def create_followers(actor, ports: list[int], followers: int) -> None:
    """The followers, in bulk: a test set-up, not a path a person takes."""
    from django.db import transaction

    from afterword.federation.models import Follower, RemoteActor

    remotes = []
    for server, numbers in layout(len(ports), followers).items():
        root = f"http://{HOST}:{ports[server]}"
        shared = f"{root}/inbox" if has_shared_inbox(server) else ""
        remotes += [
            RemoteActor(
                uri=f"{root}/users/u{number}",
                inbox=f"{root}/users/u{number}/inbox",
                shared_inbox=shared,
                username=f"u{number}",
                domain=HOST,
            )
            for number in numbers
        ]
    with transaction.atomic():
        RemoteActor.objects.bulk_create(remotes, batch_size=500)
        Follower.objects.bulk_create(
            [
                Follower(
                    actor=actor,
                    remote=remote,
                    state=Follower.State.ACCEPTED,
                    follow_id=f"{remote.uri}/follows/1",
                )
                for remote in RemoteActor.objects.all()
            ],
            batch_size=500,
        )


def publish(writer) -> str:
    """One new post, published through the action a person's click runs."""
    from afterword.federation.models import Delivery
    from afterword.posts.actions import PublishPost, save_post
    from afterword.posts.models import Post

    post = save_post(
        Post(
            title="Memories",
            slug="memories",
            author=writer,
            body="Three segments, one of them about a magnetic rose.",
            status=Post.Status.DRAFT,
        )
    )
    PublishPost(post).run()
    return Delivery.objects.latest("created_at", "id").activity_id


def counts(activity_id: str) -> dict[str, int]:
    from django.db import connections
    from django.db.models import Count

    from afterword.federation.models import Delivery

    rows = (
        Delivery.objects.filter(activity_id=activity_id)
        .values_list("state")
        .annotate(n=Count("id"))
    )
    found = dict(rows)
    connections.close_all()
    return found


def lease_of(pid: int) -> str:
    from afterword.taskworker.models import WorkerLease

    lease = WorkerLease.objects.filter(pid=pid).first()
    return lease.worker_id if lease else ""


def wait_for_leases(pids: list[int], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not all(lease_of(pid) for pid in pids):
        if time.monotonic() > deadline:
            raise RuntimeError("the task workers did not start")
        time.sleep(0.1)


def kill_one(site: Site, memory: Memory, activity_id: str, share: float) -> dict:
    """SIGKILL the first worker once ``share`` of the deliveries are delivered,
    preferably while it holds a claim; start another."""
    from afterword.federation.models import Delivery

    total = sum(counts(activity_id).values())
    deadline = time.monotonic() + 120
    while counts(activity_id).get("delivered", 0) < total * share:
        if time.monotonic() > deadline:
            raise RuntimeError("deliveries stalled before the kill")
        time.sleep(0.05)
    victim = site.workers[0]
    worker_id = lease_of(victim.pid)
    sending = Delivery.objects.filter(
        state=Delivery.State.SENDING, claimed_by=worker_id
    )
    until = time.monotonic() + 2
    while not sending.exists() and time.monotonic() < until:
        time.sleep(0.005)
    memory.sample()
    os.kill(victim.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    victim.wait()
    # Dead now: what it still has claimed is what it was posting.
    holding = list(sending.values_list("pk", flat=True))
    delivered = counts(activity_id).get("delivered", 0)
    wait_gone([victim.pid])
    site.workers.remove(victim)
    site.start_worker()  # what systemd's Restart=always would do
    memory.watch(site.workers[-1].pid, "worker 1, restarted")
    return {
        "delivered_at_kill": delivered,
        "claims_held_at_kill": holding,
        "killed_at": killed_at,
    }


def wait_everywhere(peers: Peers, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        progress = peers.ask("progress")
        if progress["reached"] >= progress["inboxes"] or time.monotonic() > deadline:
            return progress
        time.sleep(0.25)


def drained(activity_id: str, timeout: float) -> bool:
    from django.db import connections
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        open_rows = counts(activity_id)
        busy = open_rows.get("pending", 0) + open_rows.get("sending", 0)
        tasks = DBTaskResult.objects.filter(
            task_path__endswith=".deliver_activity",
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        ).exists()
        connections.close_all()
        if not busy and not tasks:
            return True
        time.sleep(0.2)
    return False


def failing_outcome(ports: list[int], failing: list[int], fail_times: int) -> dict:
    from afterword.federation.models import Delivery

    rows = []
    for server in failing:
        rows += list(
            Delivery.objects.filter(
                inbox__startswith=f"http://{HOST}:{ports[server]}/"
            ).values_list("state", "attempts")
        )
    succeeded = [
        attempts
        for state, attempts in rows
        if state == Delivery.State.DELIVERED and attempts > fail_times
    ]
    return {
        "deliveries": len(rows),
        "retried_then_delivered": len(succeeded),
        "most_attempts": max((a for _, a in rows), default=0),
    }


def killed_claims(claims: list[int]) -> list[dict]:
    from afterword.federation.models import Delivery

    return [
        {"state": state, "attempts": attempts}
        for state, attempts in Delivery.objects.filter(pk__in=claims).values_list(
            "state", "attempts"
        )
    ]


def run(options: argparse.Namespace) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="afterword-federation-"))
    database_url, drop = options.database_url, None
    if database_url:
        database_url, drop = postgres_database(database_url)
    else:
        database_url = f"sqlite:///{folder / 'afterword.sqlite3'}"
    # No email is sent; the address only has to parse.
    site = Site(folder, database_url, smtp_port=free_port())
    site.env.update(
        {
            "AFTERWORD_FEDERATION_ALLOW_PRIVATE": "1",
            "AFTERWORD_FEDERATION_RETRY_DELAYS": RETRY_DELAYS,
            # requeue_lost's warning counts the released claims.
            "AFTERWORD_LOG_LEVEL": "WARNING",
        }
    )
    peers = None
    memory = Memory()
    try:
        os.environ.update(site.env)
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        setup_started = time.monotonic()
        actor = prepare()
        failing = failing_servers(options.servers, options.failing)
        from afterword.federation import actors

        key_id = actors.key_id(actor)
        peers = Peers(
            folder,
            {
                "servers": options.servers,
                "followers": options.followers,
                "failing": options.failing,
                "fail_times": options.fail_times,
                "key_id": key_id,
                "public_key_pem": actor.public_key_pem,
            },
        )
        create_followers(actor, peers.ports, options.followers)
        setup_seconds = time.monotonic() - setup_started
        for number in range(options.workers):
            site.start_worker()
            memory.watch(site.workers[-1].pid, f"worker {number + 1}")
        wait_for_leases([worker.pid for worker in site.workers])

        published_at = time.time()
        started = time.monotonic()
        activity_id = publish(actor.user)
        publish_seconds = time.monotonic() - started
        deliveries = sum(counts(activity_id).values())
        kill = {}
        if options.kill_at > 0:
            kill = kill_one(site, memory, activity_id, options.kill_at)
        progress = wait_everywhere(
            peers, options.timeout - (time.monotonic() - started)
        )
        everywhere_seconds = (
            progress["last_at"] - published_at if progress["last_at"] else None
        )
        all_done = drained(activity_id, timeout=4 * LEASE_SECONDS + 10)
        memory.sample()
        report = peers.ask("report")
        states = counts(activity_id)
        failing_rows = failing_outcome(peers.ports, failing, options.fail_times)
        claims = killed_claims(kill.get("claims_held_at_kill", []))
        workers = memory.figures()
        site.stop()
        released = site.log.read_text(errors="replace").count(
            "were being posted by a worker that died"
        )
    finally:
        memory.stopping.set()
        site.stop()
        if peers is not None:
            peers.stop()
        from django.db import connections

        connections.close_all()
        if drop is not None:
            drop()
        if os.environ.get("AFTERWORD_KEEP_BENCH_SITE"):
            print(f"site kept in {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return {
        "database": "sqlite" if database_url.startswith("sqlite") else "postgresql",
        "followers": options.followers,
        "servers": options.servers,
        "servers_with_shared_inbox": sum(
            1 for s in range(options.servers) if has_shared_inbox(s)
        ),
        "failing_servers": len(failing),
        "setup_seconds": round(setup_seconds, 1),
        "deliveries": deliveries,
        "inboxes": report["inboxes"],
        "publish_call_seconds": round(publish_seconds, 2),
        "seconds_until_every_server_has_it": (
            round(everywhere_seconds, 1) if everywhere_seconds else None
        ),
        "deliveries_per_second": (
            round(deliveries / everywhere_seconds, 1) if everywhere_seconds else None
        ),
        "queue_drained": all_done,
        "delivery_states": states,
        "workers": workers,
        "kill": {
            "delivered_at_kill": kill.get("delivered_at_kill"),
            "claims_held_at_kill": claims,
            "released_by_requeue_lost": released,
        },
        "servers_missing": report["servers_missing"],
        "inboxes_missing": report["inboxes_missing"],
        "inboxes_with_a_repeat": report["inboxes_with_a_repeat"],
        "repeats": report["repeats"],
        "unexpected_inboxes": report["unexpected_inboxes"],
        "activity_ids_received": len(report["activity_ids"]),
        "other_activity_ids": sorted(set(report["activity_ids"]) - {activity_id}),
        "refused_with_500": report["refused_with_500"],
        "failing_deliveries": failing_rows["deliveries"],
        "failing_retried_then_delivered": failing_rows["retried_then_delivered"],
        "failing_most_attempts": failing_rows["most_attempts"],
        "signatures_verified": report["signatures_verified"],
        "signatures_failed": report["signatures_failed"],
        "key_id": key_id,
        "actor_fetches": report["actor_fetches"],
        "unknown_paths": report["unknown_paths"],
    }


def verdict(result: dict) -> list[str]:
    """What failed, in words; empty when every check holds."""
    problems = []
    if result["servers_missing"]:
        problems.append(f"{result['servers_missing']} servers never got the post")
    if result["signatures_failed"]:
        problems.append(f"signatures refused: {result['signatures_failed']}")
    if result["failing_retried_then_delivered"] != result["failing_deliveries"]:
        problems.append(
            f"{result['failing_deliveries'] - result['failing_retried_then_delivered']}"
            " deliveries to failing servers did not end delivered after a retry"
        )
    if result["failing_servers"] and not result["refused_with_500"]:
        problems.append("no failing server answered 500")
    if result["other_activity_ids"] or result["unexpected_inboxes"]:
        problems.append("an inbox got something other than the post's Create")
    if not result["queue_drained"]:
        problems.append("deliveries or tasks still waiting at the end")
    for claim in result["kill"]["claims_held_at_kill"]:
        if claim["state"] != "delivered":
            problems.append("a delivery claimed by the killed worker was not sent")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=5000)
    parser.add_argument("--servers", type=int, default=500)
    parser.add_argument(
        "--failing", type=int, default=20, help="servers answering 500 at first"
    )
    parser.add_argument(
        "--fail-times", type=int, default=2, help="500s per inbox before a 202"
    )
    parser.add_argument("--workers", type=int, default=2, help="task workers")
    parser.add_argument(
        "--kill-at",
        type=float,
        default=1 / 3,
        help="share delivered when the first worker is killed (0: no kill)",
    )
    parser.add_argument(
        "--timeout", type=float, default=180, help="seconds to wait for delivery"
    )
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL URL: run on a new database on that server",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    result = run(args)
    problems = verdict(result)
    if args.json:
        print(json.dumps({**result, "problems": problems}))
        return 1 if problems else 0
    kill = result["kill"]
    held = ", ".join(
        f"{claim['state']} after {claim['attempts']} attempts"
        for claim in kill["claims_held_at_kill"]
    )
    print(f"database:                       {result['database']}")
    print(
        f"followers / servers:            {result['followers']} on "
        f"{result['servers']} servers ({result['servers_with_shared_inbox']} "
        f"with a shared inbox, {result['failing_servers']} failing at first); "
        f"set-up {result['setup_seconds']} s"
    )
    print(
        f"deliveries queued:              {result['deliveries']} "
        f"(publishing took {result['publish_call_seconds']} s)"
    )
    print(
        f"every server has it after:      "
        f"{result['seconds_until_every_server_has_it']} s from the click"
    )
    print(f"deliveries per second:          {result['deliveries_per_second']}")
    for worker in result["workers"]:
        print(f"  {worker['worker']:<28}  peak RSS {worker['peak_rss_mb']} MB")
    print(
        f"worker 1 SIGKILLed after:       {kill['delivered_at_kill']} delivered, "
        f"holding {len(kill['claims_held_at_kill'])} claim(s), now "
        f"({held or 'none'});"
        f" released by requeue_lost: {kill['released_by_requeue_lost']}"
    )
    print(
        f"servers missing it:             {result['servers_missing']} "
        f"(inboxes: {result['inboxes']})"
    )
    print(
        f"inboxes that got the id twice:  {result['inboxes_with_a_repeat']} "
        "(receivers drop a repeat by id)"
    )
    print(
        f"failing servers:                {result['refused_with_500']} answers 500; "
        f"{result['failing_retried_then_delivered']} of "
        f"{result['failing_deliveries']} deliveries retried then delivered "
        f"(at most {result['failing_most_attempts']} attempts)"
    )
    print(
        f"signatures verified:            {result['signatures_verified']}, "
        f"refused {sum(result['signatures_failed'].values())}"
    )
    print(f"actor documents fetched:        {result['actor_fetches']}")
    print("OK" if not problems else "FAILED: " + "; ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
