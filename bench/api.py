"""Benchmark the JSON API (/api/v1/) beside the HTML page of the same post.

``python bench/api.py`` makes a throw-away site folder, sets it up with the
demo content (``bench/run.py``'s ``prepare_site``), makes an application
password for the demo's administrator with ``afterword app-password create``,
serves the site with the production server (granian, ``afterword serve
--workers 2 --no-worker``) on 127.0.0.1, and:

1. publishes 100 more posts through the API itself (one client), dated
   before the demo's, so a list page of 20, and one of 100, is full;
2. counts the SQL queries of ``GET /api/v1/posts`` at ``limit`` 1, 5, 20 and
   100 and of one post (``python bench/api.py queries`` runs inside the
   site's environment and calls the WSGI application directly), with the
   CPU time per request; it exits 1 at the end if the list's count depends
   on the limit;
3. loads, at 16 connections with wrk (or the bounded Python load generator
   of ``bench/run.py``), ``GET /api/v1/posts?limit=20``, ``GET
   /api/v1/posts/{id}`` and the same post's HTML page with the page cache
   off, then that page from the page cache, and prints the ratios;
4. creates drafts with ``POST /api/v1/posts`` from 8 clients for the same
   time, and prints the creates per second.

The servers run with ``AFTERWORD_API_RATE_PER_MINUTE=0``: the API's rate
limit (1,200 requests a minute per credential by default) would otherwise
answer most of the load with 429. Every process it starts binds 127.0.0.1
and is stopped before it exits. See bench/README.md.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ADMIN = "admin"  # made by `afterword setup_site` (instance/management/commands)
SEEDED = 100
WRITERS = 8
LIMITS = (1, 5, 20, 100)
PARAGRAPH = (
    "The second viewing changes what the first one seemed to be about. Scenes "
    "that played as atmosphere turn out to carry the plot, and the quiet "
    "supporting character is the one the ending belongs to. *The sound design "
    "does half of the storytelling.*"
)
BODY = "\n\n".join(
    [f"## Part {part}\n\n{PARAGRAPH}\n\n{PARAGRAPH}" for part in (1, 2, 3)]
    + ["| Aspect | Score |\n|---|---|\n| Story | 4 |\n| Sound | 5 |"]
)


# Inside the site's environment ---------------------------------------------


def queries(post_id: int, html_path: str, authorization: str) -> None:
    """Print, as JSON, the queries and CPU time of each API request and of
    the HTML page, each counted after one warm-up call."""
    from django.db import connection
    from profile_page import call

    from afterword.config.wsgi import application

    headers = {"Authorization": authorization}
    cases = [(f"/api/v1/posts?limit={n}", headers) for n in LIMITS]
    cases += [(f"/api/v1/posts/{post_id}", headers), (html_path, {})]
    found = {}
    for path, extra in cases:
        status, size = call(application, path, extra)
        if not status.startswith("200"):
            raise SystemExit(f"{path} answered {status}")
        # Django empties connection.queries when a request starts: count
        # with an execute wrapper instead.
        executed: list[str] = []

        def record(execute, sql, *rest, executed=executed):
            executed.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(record):
            call(application, path, extra)
        rounds = 30
        started = time.process_time()
        for _ in range(rounds):
            call(application, path, extra)
        cpu_ms = (time.process_time() - started) / rounds * 1000
        found[path] = {"queries": len(executed), "bytes": size, "cpu_ms": cpu_ms}
    print(json.dumps(found))


# Driving the benchmark -----------------------------------------------------


class Api:
    """One keep-alive connection to /api/v1/ with the bench's credential."""

    def __init__(self, host: str, port: int, authorization: str):
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.headers = {
            "Authorization": authorization,
            "Content-Type": "application/json",
        }

    def __call__(self, method: str, path: str, payload=None) -> tuple[int, object]:
        body = None if payload is None else json.dumps(payload)
        self.connection.request(method, "/api/v1" + path, body, self.headers)
        response = self.connection.getresponse()
        data = response.read()
        return response.status, json.loads(data) if data else None

    def close(self) -> None:
        self.connection.close()


def app_password(run, env: dict[str, str], log: Path) -> str:
    """An application password for the administrator, through the CLI."""
    made = subprocess.run(
        [str(run.BIN / "afterword"), "app-password", "create", ADMIN, "bench"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    with log.open("a") as output:
        output.write(made.stdout.rsplit("\n", 2)[0] + "\n")
    return made.stdout.strip().splitlines()[-1]


def seed_posts(api: Api) -> float:
    """Publish SEEDED posts through the API, older than the demo's; return
    the posts created per second (one client, one after the other)."""
    status, categories = api("GET", "/categories?limit=100")
    category = [c["slug"] for c in categories["items"][:1]] if status == 200 else []
    status, works = api("GET", "/works?limit=100")
    work_ids = [w["id"] for w in works["items"]] if status == 200 else []
    oldest = datetime.now(UTC) - timedelta(days=800)
    started = time.perf_counter()
    for number in range(1, SEEDED + 1):
        payload = {
            "title": f"Benchmark review {number}",
            "body": BODY,
            "excerpt": "A second look, and what it changes.",
            "status": "published",
            "published_at": (oldest + timedelta(hours=number)).isoformat(),
            "tags": ["bench", f"bench-group-{number % 5}", "rewatch"],
            "categories": category,
        }
        if work_ids:
            work = work_ids[number % len(work_ids)]
            payload["works"] = [{"work": work, "primary": True, "rating": "4.0"}]
        status, answer = api("POST", "/posts", payload)
        if status != 201:
            raise SystemExit(f"Seeding post {number} answered {status}: {answer}")
    return SEEDED / (time.perf_counter() - started)


def post_id_of(api: Api, path: str) -> int:
    """The API id of the post the HTML page ``path`` shows."""
    status, page = api("GET", f"/posts?limit={max(LIMITS)}")
    for item in page["items"]:
        if item["url"] == path:
            return item["id"]
    raise SystemExit(f"{path} is not among the first {max(LIMITS)} posts of the API.")


def check_page_sizes(api: Api, post_id: int) -> None:
    """Every limit measured gives a full page, so the counts compare."""
    for limit in LIMITS:
        status, page = api("GET", f"/posts?limit={limit}")
        if status != 200 or len(page["items"]) != limit:
            raise SystemExit(f"/posts?limit={limit} answered {status}, not a full page")
    status, _ = api("GET", f"/posts/{post_id}")
    if status != 200:
        raise SystemExit(f"/posts/{post_id} answered {status}")


def count_queries(run, env, post_id: int, html: str, authorization: str) -> dict:
    counted = subprocess.run(
        [sys.executable, __file__, "queries", str(post_id), html],
        env={**env, "AFTERWORD_PAGE_CACHE": "0", "BENCH_AUTHORIZATION": authorization},
        capture_output=True,
        text=True,
    )
    if counted.returncode:
        raise SystemExit(counted.stderr or counted.stdout)
    return json.loads(counted.stdout.strip().splitlines()[-1])


def write_drafts(run, base: str, authorization: str, seconds: int, python_load):
    """WRITERS clients creating drafts for ``seconds``; each title is unique."""
    stamp = f"{time.time():.0f}"

    def draft(client: int, number: int) -> bytes:
        return json.dumps(
            {
                "title": f"Bench draft {stamp}-{client}-{number}",
                "body": BODY,
                "tags": ["bench"],
            }
        ).encode()

    headers = {"Authorization": authorization, "Content-Type": "application/json"}
    return python_load(
        "API: create draft", base + "/api/v1/posts", seconds, WRITERS, headers, draft
    )


def line(result) -> str:
    return (
        f"  {result.case:<38} {result.requests_per_second:>10,.0f} req/s"
        f"  p50 {result.p50_ms:7.2f} ms  p99 {result.p99_ms:7.2f} ms"
        f"  errors {result.errors}"
    )


def main() -> int:
    sys.path.insert(0, str(Path(__file__).parent))
    import run  # bench/run.py: site, servers, wrk and the load generator

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each run")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up before each run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--workers", type=int, default=2, help="granian worker processes"
    )
    parser.add_argument("--python-load", action="store_true", help="never use wrk")
    parser.add_argument("--keep", action="store_true", help="keep the site folder")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    run.ensure_wrk()
    folder = Path(tempfile.mkdtemp(prefix="afterword-bench-api-"))
    log = folder / "bench.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "afterword.config.settings.base",
        "AFTERWORD_DATA_DIR": str(folder / "site"),
        "AFTERWORD_ALLOWED_HOSTS": f"{run.HOST},localhost",
        "AFTERWORD_DEBUG": "0",
        "AFTERWORD_LOG_LEVEL": "ERROR",
        "AFTERWORD_API_RATE_PER_MINUTE": "0",
    }
    env.pop("DATABASE_URL", None)
    env.pop("AFTERWORD_CACHE_URL", None)
    tool = (
        "wrk"
        if shutil.which("wrk") and not args.python_load
        else "Python load generator"
    )
    print(
        f"Afterword API benchmark: {args.connections} connections, "
        f"{args.seconds} s per case, {tool}, granian with {args.workers} workers, "
        f"API rate limit off; site in {folder}",
        flush=True,
    )
    try:
        return measure_all(run, args, folder, env, log)
    finally:
        if args.keep:
            print(f"Kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def measure_all(run, args, folder: Path, env: dict[str, str], log: Path) -> int:
    _, html = run.prepare_site(env, log)
    password = app_password(run, env, log)
    token = base64.b64encode(f"{ADMIN}:{password}".encode()).decode()
    authorization = f"Basic {token}"
    headers = {"Authorization": authorization}
    port = run.free_port()
    base = f"http://{run.HOST}:{port}"
    results = []

    with run.app_server({**env, "AFTERWORD_PAGE_CACHE": "0"}, port, args.workers, log):
        api = Api(run.HOST, port, authorization)
        rate = seed_posts(api)
        print(f"Published {SEEDED} posts through the API: {rate:,.0f} per second")
        post_id = post_id_of(api, html)
        check_page_sizes(api, post_id)
        api.close()
        counts = count_queries(run, env, post_id, html, authorization)
        print("Queries per request (in-process, after one warm-up call):")
        for path, found in counts.items():
            print(
                f"  {path:<38} {found['queries']:>3} queries  "
                f"{found['bytes']:>8,} bytes  {found['cpu_ms']:6.2f} ms CPU"
            )
        list_counts = {
            found["queries"]
            for path, found in counts.items()
            if path.startswith("/api/v1/posts?")
        }

        print(f"Reads, {args.connections} connections, page cache off:")
        for case, path, extra in (
            ("API: posts, limit 20", "/api/v1/posts?limit=20", headers),
            ("API: one post", f"/api/v1/posts/{post_id}", headers),
            ("HTML: the same post, uncached", html, {}),
        ):
            results.append(run.measure(case, base + path, args, extra))

        print(f"Writes, {WRITERS} clients:", flush=True)
        writes = write_drafts(run, base, authorization, args.seconds, run.run_python)
        print(line(writes).replace("req/s", "creates/s"), flush=True)

    with run.app_server({**env, "AFTERWORD_PAGE_CACHE": "1"}, port, args.workers, log):
        print("Page cache on:")
        run.fetch(base + html)
        if run.fetch(base + html)[1].get("X-Page-Cache") != "hit":
            raise SystemExit(f"{html} is not served from the page cache.")
        results.append(run.measure("HTML: the same post, cached", base + html, args))

    listing, single, page, cached = results
    print("\nSide by side (requests per second, p99):")
    for result in results:
        print(line(result))
    print(line(writes).replace("req/s", "creates/s"))
    print("Ratios:")
    for name, api_result in (("posts, limit 20", listing), ("one post", single)):
        for label, html_result in (("uncached", page), ("cached", cached)):
            speed = api_result.requests_per_second / html_result.requests_per_second
            print(
                f"  API {name} / HTML {label}: {speed:.2f}x the requests per "
                f"second, {api_result.p99_ms / html_result.p99_ms:.2f}x the p99"
            )
    if any(result.errors for result in (*results, writes)):
        print("Some requests failed: those figures are not a valid measurement.")
    if len(list_counts) != 1:
        print(f"FAIL: the list's query count depends on the limit: {counts}")
        return 1
    print(f"Query count of the list is the same at every limit: {list_counts.pop()}.")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["queries"]:
        os.environ.setdefault(
            "DJANGO_SETTINGS_MODULE", "afterword.config.settings.base"
        )
        sys.path.insert(0, str(Path(__file__).parent))
        queries(int(sys.argv[2]), sys.argv[3], os.environ["BENCH_AUTHORIZATION"])
    else:
        sys.exit(main())
