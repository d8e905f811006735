"""Several machines on one: the multi-node topology of docs/deploy.md, on loopback.

``Cluster.start`` brings up, all on 127.0.0.1 and each with the commands
docs/deploy.md ("Several app servers") gives:

* a database of its own on the local PostgreSQL (the primary), migrated,
  and a **streaming read replica** of that server: ``pg_basebackup -R -X
  stream`` into a temporary folder, started with ``pg_ctl`` on a free port;
* moto's S3 server (``moto_server``) with the media bucket;
* two app servers, ``afterword serve`` each with its own task worker, sharing
  PostgreSQL (primary and replica), Redis (``AFTERWORD_CACHE_URL``: page
  cache, fragments, rate limits, locks), the bucket and one page-file folder;
* nginx with the documented server block, its upstream naming both nodes;
* a real SMTP server (aiosmtpd) and a webhook receiver, in this process,
  counting what arrives.

Nothing here reaches into the nodes' memory: tests talk HTTP to nginx or to
a node, read the databases with psycopg, and look at processes in /proc.
"""

from __future__ import annotations

import asyncio
import http.client
import http.server
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from email.parser import BytesHeaderParser
from pathlib import Path

import psycopg
import pytest

from tests.deploy import nginx
from tests.support.oidc import missing_service
from tests.support.s3 import MotoServer, launch_moto_server

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# Debian's server programs, by major version (the primary's is looked up).
PG_LIB = Path("/usr/lib/postgresql")
PRIMARY = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/10"
BUCKET = "afterword-media"
HOST = "reviews.example.org"
# Short, so that a killed worker's task is taken up again within the test.
LEASE_SECONDS = 3
REPLICA_WINDOW = 2
HBA_LINE = "host replication all 127.0.0.1/32 trust"


def need(reason: str) -> None:
    """Skip with the reason, or fail when services are required (CI)."""
    missing_service(f"tests/multinode: {reason}")


def as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    """Run a PostgreSQL program as the postgres user (we may be root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(
        [*prefix, *command], capture_output=True, text=True, check=False, **kwargs
    )


def pg_bin() -> Path:
    """The primary's major version's programs: a standby must match it."""
    with psycopg.connect(f"{PRIMARY}/postgres", connect_timeout=3) as db:
        number = int(db.execute("show server_version_num").fetchone()[0])
    return PG_LIB / str(number // 10000) / "bin"


def check_services() -> None:
    """Everything the topology needs, or a skip naming what is missing."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        # The topology brings its own PostgreSQL database whatever the suite
        # runs on; CI runs the suite on SQLite and again on PostgreSQL, and
        # two minutes of nodes starting once is enough (.ci/run checks it ran).
        print("\ntests/multinode skipped: runs in the PostgreSQL pass only")
        pytest.skip(
            "the multinode topology runs in the PostgreSQL pass "
            "(DATABASE_URL=postgres://...)"
        )
    try:
        with psycopg.connect(f"{PRIMARY}/postgres", connect_timeout=3) as db:
            db.execute("select 1")
    except psycopg.Error as error:
        need(f"PostgreSQL is not answering on 127.0.0.1:5432 ({error})")
    for program in ("pg_basebackup", "pg_ctl"):
        if not (pg_bin() / program).exists():
            need(f"{pg_bin() / program} is missing (PostgreSQL's server programs)")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        need("runuser is missing: the replica must run as the postgres user")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=3).ping()
    except redis.RedisError as error:
        need(f"Redis is not answering on 127.0.0.1:6379 ({error})")
    if not shutil.which("nginx"):
        need("nginx is not installed (scripts/install-nginx.sh)")
    if not (BIN / "granian").exists() and not shutil.which("granian"):
        need("granian is not installed")


# --- mail and webhooks ---------------------------------------------------------


class Sink:
    """An SMTP server's handler: counts messages by Message-ID on each 250.

    ``hold_next`` makes the next message to reach DATA wait there unanswered
    until ``release``; it is then refused (its sender was killed meanwhile),
    as a real server would not accept a message it never finished taking.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: Counter[str] = Counter()
        self.recipients: Counter[str] = Counter()
        self.holding: threading.Event | None = None
        self.held: list[str] = []
        self.release_event = threading.Event()

    def hold_next(self) -> threading.Event:
        with self.lock:
            self.holding = threading.Event()
            self.release_event.clear()
            return self.holding

    def release(self) -> None:
        self.release_event.set()

    async def handle_DATA(self, server, session, envelope):
        headers = BytesHeaderParser().parsebytes(envelope.original_content or b"")
        message_id = str(headers.get("Message-ID", "")).strip()
        with self.lock:
            hold = self.holding
            if hold is not None and not hold.is_set():
                self.held.append(message_id)
                hold.set()
            else:
                hold = None
        if hold is not None:
            await asyncio.get_running_loop().run_in_executor(
                None, self.release_event.wait, 60
            )
            return "451 4.3.0 Sender went away"
        with self.lock:
            self.received[message_id] += 1
            for address in envelope.rcpt_tos:
                self.recipients[address] += 1
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return sum(self.received.values())


class Hooks(http.server.ThreadingHTTPServer):
    """A webhook receiver: counts deliveries by their Afterword-Delivery id."""

    daemon_threads = True

    def __init__(self) -> None:
        self.received: Counter[str] = Counter()
        self.events: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _HookHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server_address[1]


class _HookHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.server.lock:
            self.server.received[self.headers.get("Afterword-Delivery", "")] += 1
            self.server.events.append(
                (self.headers.get("Afterword-Event", ""), json.loads(body or b"{}"))
            )
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


# --- processes ------------------------------------------------------------------


def parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return None if fields[0] == "Z" else int(fields[1])


def children(pid: int) -> list[int]:
    return [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and parent_of(int(entry.name)) == pid
    ]


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


class Node:
    """One app server: ``afterword serve`` on its own port, with its worker."""

    def __init__(self, name: str, port: int, env: dict, folder: Path) -> None:
        self.name, self.port, self.env = name, port, env
        self.log = folder / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        handle = self.log.open("ab")
        self.process = subprocess.Popen(
            [str(BIN / "afterword"), "serve", "--port", str(self.port)],
            env=self.env,
            stdout=handle,
            stderr=handle,
            start_new_session=True,
        )

    def wait_answering(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} stopped:\n{self.log.read_text()}")
            try:
                status, _, _ = self.get("/robots.txt")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer:\n{self.log.read_text()}")

    def task_worker(self) -> int | None:
        """The pid of this node's task worker (a child of ``serve``)."""
        for pid in children(self.process.pid):
            if "db_worker" in command_line(pid):
                return pid
        return None

    def request(self, method, path, body=None, headers=None):
        """Straight to the node, as nginx would pass it on."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        sent = {"Host": HOST, "X-Forwarded-Proto": "https"}
        sent.update(headers or {})
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def get(self, path, **headers):
        return self.request("GET", path, headers=headers)

    def stop(self) -> None:
        """SIGKILL to the node's processes: nothing is left to finish."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)

    def wait_stopped(self) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# --- the replica ------------------------------------------------------------------


def allow_replication() -> bool:
    """Add docs/deploy.md's pg_hba line if missing; whether it was added."""
    with psycopg.connect(f"{PRIMARY}/postgres", autocommit=True) as db:
        hba = Path(db.execute("show hba_file").fetchone()[0])
        rules = db.execute(
            "select database, address from pg_hba_file_rules where type = 'host'"
        ).fetchall()
        if any(
            "replication" in (database or []) and address in ("127.0.0.1", "all")
            for database, address in rules
        ):
            return False
        try:
            with hba.open("a") as out:
                out.write(
                    f"\n# Afterword's tests/multinode: a local replica\n{HBA_LINE}\n"
                )
        except PermissionError:
            need(f"{hba} allows no replication from 127.0.0.1: add {HBA_LINE!r}")
        db.execute("select pg_reload_conf()")
        return True


class Replica:
    """A streaming standby of the local PostgreSQL, in a folder of its own."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.folder = Path(tempfile.mkdtemp(prefix="afterword-replica-"))
        self.data = self.folder / "data"

    def create(self) -> None:
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root: the folder is postgres's.
            shutil.chown(self.folder, "postgres", "postgres")
        done = as_postgres(
            str(pg_bin() / "pg_basebackup"),
            "-h", "127.0.0.1", "-p", "5432", "-U", "postgres",
            "-D", str(self.data), "-R", "-X", "stream", "--checkpoint=fast",
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"pg_basebackup failed: {done.stderr}")
        with psycopg.connect(f"{PRIMARY}/postgres") as db:
            # A hot standby needs at least the primary's limits.
            limits = {
                name: db.execute(f"show {name}").fetchone()[0]
                for name in (
                    "max_connections",
                    "max_worker_processes",
                    "max_wal_senders",
                    "max_prepared_transactions",
                    "max_locks_per_transaction",
                )
            }
        # Debian keeps the configuration in /etc: the copy has none of its own.
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.folder}'",
            "hot_standby": "on",
            "fsync": "off",
            **limits,
        }
        (self.data / "postgresql.conf").write_text(
            "".join(f"{key} = {value}\n" for key, value in settings.items())
        )
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        )
        (self.data / "pg_ident.conf").write_text("")
        if os.geteuid() == 0:
            for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
                shutil.chown(self.data / name, "postgres", "postgres")

    def start(self) -> None:
        done = as_postgres(
            str(pg_bin() / "pg_ctl"), "-D", str(self.data),
            "-l", str(self.folder / "replica.log"), "-w", "-t", "60", "start",
        )  # fmt: skip
        if done.returncode != 0:
            log = self.folder / "replica.log"
            raise RuntimeError(
                f"the replica did not start: {done.stderr}\n"
                + (log.read_text() if log.exists() else "")
            )

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        """An immediate shutdown (SIGQUIT, pg_ctl's ``-m immediate``): the
        copy is thrown away."""
        pid_file = self.data / "postmaster.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().split()[0])
            os.kill(pid, signal.SIGQUIT)
            deadline = time.monotonic() + 15
            while parent_of(pid) is not None and time.monotonic() < deadline:
                time.sleep(0.05)
        shutil.rmtree(self.folder, ignore_errors=True)


# --- the whole topology --------------------------------------------------------


SETUP = """
from django.utils import timezone
from afterword.accounts.models import User
from afterword.credentials import scopes
from afterword.credentials.actions import CreateAppPassword
from afterword.subscriptions.models import Follow, Subscriber
from afterword.webhooks.models import Webhook

ada = User.objects.create_superuser("ada", "ada@example.org", "not-used-here")
now = timezone.now()
for number in range({followers}):
    subscriber = Subscriber.objects.create(
        email=f"reader{{number}}@example.org", confirmed_at=now
    )
    Follow.objects.create(subscriber=subscriber, target="site", confirmed_at=now)
Webhook.objects.create(
    url="http://127.0.0.1:{hook_port}/hook",
    events=["post.published", "post.deleted"],
)
_row, plain = CreateAppPassword(ada, "multinode test", scopes=scopes.ALL).run()
print(plain)
"""


class Cluster:
    FOLLOWERS = 6

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.database = f"multinode_{os.getpid()}_{secrets.token_hex(3)}"
        self.prefix = f"multinode-{secrets.token_hex(4)}"
        self.replica = Replica(nginx.free_port())
        self.moto: MotoServer | None = None
        self.nodes: list[Node] = []
        self.nginx_process: subprocess.Popen | None = None
        self.nginx_port = 0
        self.pages = folder / "pages"
        self.sink = Sink()
        self.smtp = None
        self.hooks = Hooks()
        self.app_password = ""
        self.timings: dict[str, float] = {}
        self.hba_added = False
        self.env: dict[str, str] = {}

    # -- set-up ---------------------------------------------------------------
    def environment(self) -> dict[str, str]:
        base = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "AFTERWORD_", "DATABASE_", "PYTEST_"))
        }
        return {
            **base,
            "DJANGO_SETTINGS_MODULE": "afterword.config.settings.base",
            "AFTERWORD_DATA_DIR": str(self.folder / "data"),
            "AFTERWORD_SECRET_KEY": "multinode-" + secrets.token_urlsafe(30),
            "AFTERWORD_SITE_URL": f"https://{HOST}",
            "AFTERWORD_ALLOWED_HOSTS": HOST,
            "AFTERWORD_BEHIND_PROXY": "1",
            "AFTERWORD_TRUSTED_PROXIES": "127.0.0.1",
            "DATABASE_URL": f"{PRIMARY}/{self.database}",
            "DATABASE_REPLICA_URL": self.replica.url(self.database),
            "AFTERWORD_REPLICA_WINDOW": str(REPLICA_WINDOW),
            "AFTERWORD_CACHE_URL": REDIS_URL,
            "AFTERWORD_CACHE_PREFIX": self.prefix,
            "AFTERWORD_PAGE_CACHE_DIR": str(self.pages),
            "AFTERWORD_EMAIL_URL": f"smtp://127.0.0.1:{self.smtp.port}",
            "AFTERWORD_TASK_LEASE": str(LEASE_SECONDS),
            "AFTERWORD_OUTBOUND_ALLOW": f"127.0.0.1:{self.hooks.port}",
            "AFTERWORD_WORKERS": "1",
            **self.moto.environment(BUCKET),
        }

    def afterword(self, *args: str) -> str:
        """Run an ``afterword`` command as the operator would, on this site."""
        return self.afterwords([*args])[0]

    def afterwords(self, *commands: list[str]) -> list[str]:
        """Run several ``afterword`` commands at once; their outputs."""
        running = [
            subprocess.Popen(
                [str(BIN / "afterword"), *args],
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=self.folder,
            )
            for args in commands
        ]
        outputs = []
        for args, process in zip(commands, running, strict=True):
            out, err = process.communicate(timeout=180)
            if process.returncode != 0:
                raise RuntimeError(f"afterword {' '.join(args)} failed:\n{err}")
            outputs.append(out)
        return outputs

    def start(self) -> None:
        """Everything, overlapped where the order allows (see the module)."""
        from aiosmtpd.controller import Controller

        started = time.monotonic()
        check_services()
        self.pages.mkdir()
        self.moto = launch_moto_server(self.folder / "moto.log")
        self.smtp = Controller(self.sink, hostname="127.0.0.1", port=nginx.free_port())
        self.smtp.start()
        with psycopg.connect(f"{PRIMARY}/postgres", autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{self.database}"')
        # The standby is copied from the new, empty database and streams
        # the migrations as they are written: both at once.
        self.hba_added = allow_replication()
        replica_error: list[BaseException] = []

        def make_replica() -> None:
            try:
                self.replica.create()
                self.replica.start()
            except BaseException as error:
                replica_error.append(error)

        replica = threading.Thread(target=make_replica)
        replica.start()
        self.env = self.environment()
        collect = subprocess.Popen(
            [str(BIN / "afterword"), "collectstatic", "--noinput", "-v0"],
            env=self.env,
            cwd=self.folder,
        )
        self.afterword("migrate", "--noinput", "-v0")
        # WhiteNoise lists the collected files when a server starts.
        if collect.wait() != 0:
            raise RuntimeError("collectstatic failed")
        for name in ("a", "b"):
            node = Node(name, nginx.free_port(), self.env, self.folder)
            node.start()
            self.nodes.append(node)
        # The writer, the followers and the webhook while the nodes start.
        self.app_password = (
            self.afterword(
                "shell",
                "-c",
                SETUP.format(followers=self.FOLLOWERS, hook_port=self.hooks.port),
            )
            .strip()
            .splitlines()[-1]
        )
        self.timings["site"] = time.monotonic() - started
        self.start_nginx()
        self.moto.wait()
        self.moto.make_bucket(BUCKET)
        replica.join()
        if replica_error:
            raise replica_error[0]
        self.timings["replica"] = time.monotonic() - started
        for node in self.nodes:
            node.wait_answering()
        self.timings["ready"] = time.monotonic() - started
        self.warm_up()
        self.timings["warm"] = time.monotonic() - started

    def warm_up(self) -> None:
        """A first post, read on both nodes and through nginx, then deleted.

        A node's first page of each kind imports and compiles what it needs
        (about a second on a loaded machine): the figures are for warm
        nodes, as a site's are.
        """
        status, _, answer = self.api(
            self.a,
            "POST",
            "/posts",
            {"title": "Warm-up", "body": "Warming up.", "status": "published"},
        )
        assert status == 201, answer[:500]
        post = json.loads(answer)
        path = post["url"]
        for node in self.nodes:
            for address in (path, "/", f"{path}?warm=1", "/?warm=1"):
                node.get(address)
        self.front().request("GET", "/")
        status, _, _ = self.api(self.b, "DELETE", f"/posts/{post['id']}")
        assert status == 204

    def start_nginx(self) -> None:
        nginx_bin, openssl = nginx.need_nginx()
        folder = self.folder / "nginx"
        folder.mkdir()
        folders = nginx.Folders(
            self.pages,
            self.folder / "data" / "static",
            folder / "media",
            folder / "acme",
        )
        for path in (folders.media, folders.acme):
            path.mkdir()
        cert, key = nginx.self_signed_certificate(openssl, folder)
        self.nginx_port = nginx.free_port()
        block = nginx.adapted_block(
            https_port=self.nginx_port,
            http_port=nginx.free_port(),
            app_port=self.nodes[0].port,
            cert=cert,
            key=key,
            folders=folders,
        )
        block = several_nodes(block, [node.port for node in self.nodes])
        self.nginx_process = nginx.start(
            nginx_bin, nginx.write_config(folder, block), self.nginx_port
        )

    # -- talking to it -----------------------------------------------------------
    @property
    def a(self) -> Node:
        return self.nodes[0]

    @property
    def b(self) -> Node:
        return self.nodes[1]

    def front(self) -> nginx.Client:
        return nginx.Client(self.nginx_port)

    def api(self, node: Node, method: str, path: str, payload=None, headers=None):
        import base64

        token = base64.b64encode(f"ada:{self.app_password}".encode()).decode()
        sent = {"Authorization": f"Basic {token}", **(headers or {})}
        body = payload
        if isinstance(payload, dict):
            body = json.dumps(payload)
            sent["Content-Type"] = "application/json"
        return node.request(method, f"/api/v1{path}", body=body, headers=sent)

    def sql(self, query: str, *args, replica: bool = False):
        url = self.replica.url(self.database) if replica else self.env["DATABASE_URL"]
        with psycopg.connect(url, autocommit=True) as db:
            cursor = db.execute(query, args or None)
            return cursor.fetchall() if cursor.description else None

    def node_of_worker(self, worker_id: str) -> str | None:
        """Which node's task worker took ``worker_id``'s lease, by process."""
        rows = self.sql(
            "select pid from taskworker_workerlease where worker_id = %s", worker_id
        )
        if not rows:
            return None
        pid = rows[0][0]
        for node in self.nodes:
            if parent_of(pid) == node.process.pid:
                return node.name
        return None

    # -- tear-down -------------------------------------------------------------------
    def stop(self) -> None:
        stopping = time.monotonic()
        for node in self.nodes:
            node.stop()
        for node in self.nodes:
            node.wait_stopped()
        if self.nginx_process is not None:
            nginx.stop(self.nginx_process)
        if self.moto is not None:
            self.moto.stop()
        if self.smtp is not None:
            self.smtp.stop()
        self.hooks.shutdown()
        self.timings["stop: servers"] = time.monotonic() - stopping
        self.replica.stop()
        self.timings["stop: replica"] = time.monotonic() - stopping
        try:
            with psycopg.connect(f"{PRIMARY}/postgres", autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        except psycopg.Error:
            pass
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{self.prefix}:*"):
            client.delete(key)
        self.timings["stop: all"] = time.monotonic() - stopping


def several_nodes(block: str, ports: list[int]) -> str:
    """The documented block with docs/deploy.md's several-server parts in it.

    Its upstream lists both nodes and ``/media/`` goes to them (the bucket),
    both taken from the ```nginx block under "Several app servers".
    """
    documented = several_nodes_block()
    upstream = re.search(r"upstream afterword_app \{.*?\n\}", documented, re.S)
    media = re.search(r"    location /media/ \{.*?\n    \}", documented, re.S)
    assert upstream and media, "docs/deploy.md's several-server block changed"
    servers = upstream.group(0)
    addresses = re.findall(r"server (\S+:\d+);", servers)
    assert len(addresses) == len(ports), "the documented upstream lists two nodes"
    for address, port in zip(addresses, ports, strict=True):
        servers = servers.replace(f"server {address};", f"server 127.0.0.1:{port};")
    block = re.sub(
        r"upstream afterword_app \{.*?\n\}",
        lambda _: servers,
        block,
        count=1,
        flags=re.S,
    )
    block = re.sub(
        r"    # Uploads on local disk.*?\n    location /media/ \{.*?\n    \}",
        lambda _: media.group(0),
        block,
        count=1,
        flags=re.S,
    )
    assert block.count("proxy_pass http://afterword_app;") == 2
    return block


def several_nodes_block() -> str:
    """The ```nginx block of docs/deploy.md's "Several app servers"."""
    found = [
        block
        for block in nginx.documented_blocks()
        if "upstream afterword_app" in block and "listen 443 " not in block
    ]
    assert len(found) == 1, "docs/deploy.md has no several-server nginx block"
    return found[0]
