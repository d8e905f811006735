"""``make bench``: serve a demo site with the production server and measure it.

One command, nothing to clean up: it makes a throw-away site folder, sets it
up (``afterword setup_site``), serves it with ``afterword serve`` (granian) on
127.0.0.1, and loads the home page and a post page at 16 concurrent
connections with wrk (or, without wrk, a bounded Python load generator):

1. the app with the page cache off (``AFTERWORD_PAGE_CACHE=0``);
2. the app with the page cache on (every page answered from the cache);
3. nginx serving the cached page files directly (``AFTERWORD_PAGE_CACHE_DIR``,
   the production set-up of docs/deploy.md), when nginx is installed;
4. nginx serving a static file of the same size, as the reference.

Every process it starts binds 127.0.0.1 and is stopped before it exits.
See bench/README.md for the options and how to read the figures.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"

# Targets from the publishing-core issue, for this 2-core machine.
UNCACHED_POST_RPS = 1_500
UNCACHED_POST_P99_MS = 30.0
CACHED_RPS = 35_000

# The policy nginx sends with page files: the app's policy with 'self' in
# place of the per-request nonce (see docs/deploy.md, "Page files and CSP").
STATIC_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data: https:; "
    "frame-src https://www.youtube-nocookie.com https://player.vimeo.com; "
    "connect-src 'self'; form-action 'self' https:; base-uri 'self'; "
    "object-src 'none'; frame-ancestors 'self'"
)


@dataclass
class Result:
    case: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def fetch(url: str, timeout: float = 5.0) -> tuple[int, Message, bytes]:
    """GET a URL; headers come back case-insensitive (granian sends lowercase)."""
    request = urllib.request.Request(url, headers={"User-Agent": "afterword-bench"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_until_up(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if fetch(url, timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"Nothing answered 200 at {url} within {timeout:.0f} s.")


def stop(process: subprocess.Popen) -> None:
    """Stop a process group this script started, politely and then firmly."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def app_server(env: dict[str, str], port: int, workers: int, log: Path):
    command = [
        str(BIN / "afterword"),
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-worker",
    ]
    with log.open("ab") as output:
        process = subprocess.Popen(
            command, env=env, stdout=output, stderr=output, start_new_session=True
        )
    try:
        wait_until_up(f"http://{HOST}:{port}/")
        yield
    finally:
        stop(process)


def nginx_config(folder: Path, port: int, app_port: int, env: dict[str, str]) -> Path:
    """The server block of docs/deploy.md, adapted to a throw-away prefix."""
    data = Path(env["AFTERWORD_DATA_DIR"])
    config = folder / "nginx.conf"
    config.write_text(f"""
worker_processes auto;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path {folder}/tmp-body;
    proxy_temp_path {folder}/tmp-proxy;
    fastcgi_temp_path {folder}/tmp-fastcgi;
    uwsgi_temp_path {folder}/tmp-uwsgi;
    scgi_temp_path {folder}/tmp-scgi;

    upstream afterword {{ server {HOST}:{app_port}; keepalive 32; }}

    map $msec $afterword_bucket {{ "~^(?<seconds_k>[0-9]{{7}})" $seconds_k; }}
    map $http_cookie $afterword_cookie {{ default 1; "" 0; }}
    map "$request_method:$args:$afterword_cookie" $afterword_page_file {{
        default 0;
        "~^(GET|HEAD)::0$" 1;
    }}

    server {{
        listen {HOST}:{port};
        server_name {HOST} localhost;

        location /static/ {{ alias {data}/static/; expires 1h; }}
        location /media/ {{ alias {data}/media/; expires 1h; }}
        location /bench-reference/ {{ alias {folder}/reference/; }}

        location / {{
            error_page 418 = @app;
            if ($afterword_page_file = 0) {{ return 418; }}
            root {env["AFTERWORD_PAGE_CACHE_DIR"]};
            charset utf-8;
            gzip_static on;
            add_header X-Page-Cache nginx;
            add_header Cache-Control no-cache;
            add_header Content-Security-Policy "{STATIC_CSP}";
            add_header X-Content-Type-Options nosniff;
            add_header Referrer-Policy strict-origin-when-cross-origin;
            add_header X-Frame-Options SAMEORIGIN;
            try_files /$afterword_bucket/$host${{uri}}index.html @app;
        }}

        location @app {{
            proxy_pass http://afterword;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
""")
    return config


@contextmanager
def nginx_server(config: Path, port: int):
    command = [
        "nginx",
        "-c",
        str(config),
        "-p",
        str(config.parent),
        "-g",
        "daemon off;",
    ]
    log = config.parent / "nginx-output.log"
    with log.open("ab") as output:
        process = subprocess.Popen(
            command, stdout=output, stderr=output, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex((HOST, port)) == 0:
                    break
            if process.poll() is not None:
                raise SystemExit(f"nginx did not start; see {log}")
            time.sleep(0.1)
        yield
    finally:
        stop(process)


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(case: str, output: str) -> Result:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        return (
            float(match.group(1)) * UNITS_MS[match.group(2)] if match else float("nan")
        )

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = sum(
        int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output)
    ) + sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    return Result(
        case, float(rps.group(1)) if rps else 0.0, latency("50"), latency("99"), errors
    )


def run_wrk(
    case: str,
    url: str,
    seconds: int,
    connections: int,
    headers: dict[str, str] | None = None,
) -> Result:
    command = [
        "wrk",
        "--latency",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return parse_wrk(case, completed.stdout)


def run_python(
    case: str,
    url: str,
    seconds: int,
    connections: int,
    headers: dict[str, str] | None = None,
    body: Callable[[int, int], bytes] | None = None,
) -> Result:
    """A bounded keep-alive load generator for machines without wrk.

    It is far slower than wrk (the client shares the GIL with itself), so its
    figures are lower bounds. With ``body`` it POSTs instead of GETting:
    ``body(connection_index, request_number)`` gives each request its bytes,
    so every request can carry something unique.
    """
    parsed = urllib.request.urlparse(url)
    target = (parsed.path or "/") + (f"?{parsed.query}" if parsed.query else "")
    headers = {**(headers or {})}
    deadline = time.monotonic() + seconds
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection(
            parsed.hostname, parsed.port, timeout=10
        )
        number = 0
        while time.monotonic() < deadline:
            number += 1
            started = time.perf_counter()
            try:
                if body is None:
                    connection.request("GET", target, headers=headers)
                else:
                    content = body(index, number)
                    connection.request("POST", target, content, headers)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    errors[index] += 1
            except OSError:
                errors[index] += 1
                connection.close()
                connection = http.client.HTTPConnection(parsed.hostname, parsed.port)
                continue
            latencies[index].append((time.perf_counter() - started) * 1000)
        connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    merged = sorted(value for values in latencies for value in values)
    if not merged:
        return Result(case, 0.0, float("nan"), float("nan"), sum(errors))
    quantiles = statistics.quantiles(merged, n=100)
    return Result(
        case, len(merged) / elapsed, quantiles[49], quantiles[98], sum(errors)
    )


def measure(case: str, url: str, args, headers: dict[str, str] | None = None) -> Result:
    load = run_wrk if shutil.which("wrk") and not args.python_load else run_python
    load(case + " (warm-up)", url, args.warmup, args.connections, headers)
    result = load(case, url, args.seconds, args.connections, headers)
    print(
        f"  {case:<38} {result.requests_per_second:>10,.0f} req/s"
        f"  p50 {result.p50_ms:7.2f} ms  p99 {result.p99_ms:7.2f} ms"
        + (f"  errors {result.errors}" if result.errors else ""),
        flush=True,
    )
    return result


def ensure_nginx() -> bool:
    if shutil.which("nginx"):
        return True
    # Installed (as root, with apt) without starting Debian's default server.
    script = ROOT / "scripts" / "install-nginx.sh"
    subprocess.run(["bash", str(script)], check=False)
    return bool(shutil.which("nginx"))


def ensure_wrk() -> None:
    if not shutil.which("wrk") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing wrk (apt-get) ...", flush=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "wrk"],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            stdout=subprocess.DEVNULL,
            check=False,
        )


def prepare_site(env: dict[str, str], log: Path) -> tuple[str, str]:
    """Set the site up once; return the home and post page paths."""
    afterword = str(BIN / "afterword")
    has_demo = (
        subprocess.run(
            [afterword, "help", "load_demo"], env=env, capture_output=True
        ).returncode
        == 0
    )
    with log.open("ab") as output:
        setup = [afterword, "setup_site"] + ([] if has_demo else ["--no-demo"])
        subprocess.run(setup, env=env, stdout=output, stderr=output, check=True)
        if not has_demo:
            subprocess.run(
                [sys.executable, str(ROOT / "bench" / "site.py"), "seed"],
                env=env,
                stdout=output,
                stderr=output,
                check=True,
            )
    listing = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "site.py"), "urls"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    home, post = listing.stdout.split()
    print(
        f"Site ready ({'demo content' if has_demo else 'seeded reviews'}); post: {post}"
    )
    return home, post


def report(results: dict[str, Result], cpus: int) -> None:
    print(f"\nTargets (this machine: {cpus} CPUs, load generator on the same CPUs):")
    post = results.get("app, no page cache: post")
    if post:
        print(
            f"  uncached post page >= {UNCACHED_POST_RPS:,} req/s: "
            f"{post.requests_per_second:,.0f} "
            f"({post.requests_per_second / UNCACHED_POST_RPS:.0%} of target); "
            f"p99 <= {UNCACHED_POST_P99_MS:.0f} ms: {post.p99_ms:.1f} ms"
        )
    cached = [
        results[k]
        for k in ("nginx page files: home", "nginx page files: post")
        if k in results
    ]
    if cached:
        best = min(r.requests_per_second for r in cached)
        print(
            f"  cached page (nginx) >= {CACHED_RPS:,} req/s: {best:,.0f} "
            f"({best / CACHED_RPS:.0%} of target, slower of home and post)"
        )
    reference = results.get("nginx static file (reference)")
    if reference and cached:
        share = (
            min(r.requests_per_second for r in cached) / reference.requests_per_second
        )
        print(
            f"  nginx static file: {reference.requests_per_second:,.0f} req/s; "
            f"page files reach {share:.0%} of it"
        )
    app_cached = [
        results[k]
        for k in ("app, page cache: home", "app, page cache: post")
        if k in results
    ]
    if app_cached and not cached:
        print("  nginx not measured: cached pages measured through the app only.")


def forget_redis_keys(url: str, prefix: str) -> None:
    """Remove what the benchmark site stored in a shared Redis."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each run")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up before each run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--workers", type=int, default=2, help="granian worker processes"
    )
    parser.add_argument("--python-load", action="store_true", help="never use wrk")
    parser.add_argument("--no-nginx", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the site folder")
    parser.add_argument(
        "--cache-url",
        default="",
        help="AFTERWORD_CACHE_URL for the site (default: its own file cache)",
    )
    args = parser.parse_args()
    # Stopped from outside (timeout, make interrupted): unwind through the
    # finally blocks so the servers started here are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    ensure_wrk()
    use_nginx = not args.no_nginx and ensure_nginx()
    folder = Path(tempfile.mkdtemp(prefix="afterword-bench-"))
    # nginx's workers run as an unprivileged user and must read the page files.
    folder.chmod(0o755)
    log = folder / "bench.log"
    data = folder / "site"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "afterword.config.settings.base",
        "AFTERWORD_DATA_DIR": str(data),
        "AFTERWORD_ALLOWED_HOSTS": f"{HOST},localhost",
        "AFTERWORD_DEBUG": "0",
        "AFTERWORD_LOG_LEVEL": "ERROR",
        "AFTERWORD_PAGE_CACHE_DIR": str(folder / "pages"),
    }
    env.pop("DATABASE_URL", None)
    if args.cache_url:
        env["AFTERWORD_CACHE_URL"] = args.cache_url
        env["AFTERWORD_CACHE_PREFIX"] = folder.name
    else:
        env.pop("AFTERWORD_CACHE_URL", None)
    tool = (
        "wrk"
        if shutil.which("wrk") and not args.python_load
        else "Python load generator"
    )
    print(
        f"Afterword benchmark: {args.connections} connections, "
        f"{args.seconds} s per case, {tool}, granian with {args.workers} workers; "
        f"site in {folder}"
    )
    results: dict[str, Result] = {}
    try:
        home, post = prepare_site(env, log)
        print("CPU per request in-process (little disturbed by other load):")
        for path, cache in ((home, "0"), (post, "0"), (post, "1")):
            profile = subprocess.run(
                [sys.executable, str(ROOT / "bench" / "profile_page.py"), path],
                env={**env, "AFTERWORD_PAGE_CACHE": cache},
                capture_output=True,
                text=True,
                check=True,
            )
            label = "page cache on" if cache == "1" else "page cache off"
            print(f"  {label}: {profile.stdout.strip()}")
        app_port = free_port()
        base = f"http://{HOST}:{app_port}"

        print("App, page cache off:")
        with app_server(
            {**env, "AFTERWORD_PAGE_CACHE": "0"}, app_port, args.workers, log
        ):
            for name, path in (("home", home), ("post", post)):
                case = f"app, no page cache: {name}"
                results[case] = measure(case, base + path, args)

        print("App, page cache on:")
        with app_server(
            {**env, "AFTERWORD_PAGE_CACHE": "1"}, app_port, args.workers, log
        ):
            for name, path in (("home", home), ("post", post)):
                fetch(base + path)
                if fetch(base + path)[1].get("X-Page-Cache") != "hit":
                    raise SystemExit(f"{path} is not served from the page cache.")
                case = f"app, page cache: {name}"
                results[case] = measure(case, base + path, args)

            if use_nginx:
                print("nginx in front (docs/deploy.md):")
                nginx_port = free_port()
                config = nginx_config(folder, nginx_port, app_port, env)
                (folder / "reference").mkdir(exist_ok=True)
                page = fetch(base + post)[2]
                (folder / "reference" / "page.html").write_bytes(page)
                front = f"http://{HOST}:{nginx_port}"
                with nginx_server(config, nginx_port):
                    for name, path in (("home", home), ("post", post)):
                        served_by = fetch(front + path)[1].get("X-Page-Cache")
                        if served_by != "nginx":
                            raise SystemExit(f"nginx did not serve {path} from a file.")
                        case = f"nginx page files: {name}"
                        results[case] = measure(case, front + path, args)
                    case = "nginx static file (reference)"
                    url = front + "/bench-reference/page.html"
                    results[case] = measure(case, url, args)
            else:
                reason = "--no-nginx" if args.no_nginx else "nginx is not installed"
                print(f"Skipping the production set-up ({reason}).")
        report(results, os.cpu_count() or 1)
    finally:
        if args.cache_url.startswith(("redis://", "rediss://")):
            forget_redis_keys(args.cache_url, folder.name)
        if args.keep:
            print(f"Kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
