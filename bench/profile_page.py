"""Time and profile one page through the WSGI application, in-process.

    AFTERWORD_DATA_DIR=<site> AFTERWORD_PAGE_CACHE=0 \\
        .venv/bin/python bench/profile_page.py /2026/11/some-post/ [--profile]

No server and no test client: the WSGI application is called directly, so
every middleware and the database connection handling run as in production.
Prints the number of queries, the best mean CPU and wall time per request
over three rounds, and with ``--profile`` the Afterword functions by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time


def call(
    application, path: str, headers: dict[str, str] | None = None
) -> tuple[str, int]:
    """GET ``path`` (a query string included) with extra request ``headers``."""
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    status = []
    body = application(environ, lambda s, _headers: status.append(s))
    size = len(b"".join(body))
    body.close()
    return status[0], size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--only",
        default=r"afterword|loader_tags|response\.py",
        help="functions whose file or name matches this are listed",
    )
    parser.add_argument(
        "--sort", default="cumulative", help="a pstats order (tottime, ...)"
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "afterword.config.settings.base")
    from django.db import connection

    from afterword.config.wsgi import application

    status, size = call(application, args.path)
    # Django empties connection.queries when a request starts, so count
    # with an execute wrapper instead.
    queries = []
    with connection.execute_wrapper(
        lambda run, sql, *rest: queries.append(sql) or run(sql, *rest)
    ):
        call(application, args.path)
    # CPU time is what other load on the machine disturbs least: it says how
    # many requests per second one core could render.
    wall, cpu = [], []
    for _ in range(3):
        started, started_cpu = time.perf_counter(), time.process_time()
        for _ in range(args.requests):
            call(application, args.path)
        wall.append((time.perf_counter() - started) / args.requests * 1000)
        cpu.append((time.process_time() - started_cpu) / args.requests * 1000)
    print(
        f"{args.path}: {status}, {size} bytes, {len(queries)} queries; per request "
        f"(best of 3 x {args.requests}): {min(cpu):.2f} ms CPU, {min(wall):.2f} ms wall"
    )
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            call(application, args.path)
        profile.disable()
        stats = pstats.Stats(profile)
        stats.sort_stats(args.sort).print_stats(args.only, 30)


if __name__ == "__main__":
    main()
