"""How each page kind's cost grows from a small kept site to a large one.

    python bench/growth.py SMALL_FOLDER LARGE_FOLDER [--rounds 5] [--requests 50]

Both folders are sites kept by ``large_site.py --keep`` (their ``site.json``
names their database and the addresses of each page kind). One process per
site serves the page kinds of ``large_site.cases`` through the WSGI
application, page cache off; the two are asked in turn, page kind by page
kind, so that whatever else the machine does weighs on both alike. Each
figure is the least time per request over ``--rounds`` runs of
``--requests`` requests (wall time: on PostgreSQL the database's share is
spent in its own process), since other load only ever adds. Prints one line per page
kind with both figures and their ratio, the growth the issue bounds at 1.5×.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import large_site  # noqa: E402


def serve(rounds: int, requests: int) -> None:
    """The worker: read one address a line, answer with its best ms."""
    import django

    django.setup()
    from profile_page import call

    from afterword.config.wsgi import application

    for line in sys.stdin:
        path = line.strip()
        status, _ = call(application, path)
        best = float("inf")
        for _ in range(rounds):
            started = time.perf_counter()
            for _ in range(requests):
                call(application, path)
            best = min(best, (time.perf_counter() - started) * 1000 / requests)
        print(json.dumps({"status": status, "ms": best}), flush=True)


class Worker:
    def __init__(self, folder: Path, rounds: int, requests: int) -> None:
        self.shape = json.loads((folder / "site.json").read_text())
        database = self.shape.get("database", "")
        # "sqlite" for a site in its folder; a URL for PostgreSQL.
        env = large_site.site_env(folder, database if "://" in database else "")
        env["AFTERWORD_PAGE_CACHE"] = "0"
        command = [sys.executable, __file__, "--serve"]
        command += ["--rounds", str(rounds), "--requests", str(requests)]
        self.process = subprocess.Popen(
            command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def ask(self, path: str) -> dict:
        self.process.stdin.write(path + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("small", type=Path, nargs="?")
    parser.add_argument("large", type=Path, nargs="?")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.rounds, args.requests)
        return
    small = Worker(args.small, args.rounds, args.requests)
    large = Worker(args.large, args.rounds, args.requests)
    print(
        f"{small.shape['posts']:,} against {large.shape['posts']:,} posts "
        f"({large.shape.get('database')}), ms per request, "
        f"best of {args.rounds} x {args.requests}:"
    )
    print("| page kind | small ms | large ms | growth |")
    print("|---|---:|---:|---:|")
    try:
        pairs = zip(
            large_site.cases(small.shape), large_site.cases(large.shape), strict=True
        )
        for small_case, large_case in pairs:
            if small_case.kind == "desk":
                continue  # signed in: the WSGI calls here are anonymous
            first = small.ask(small_case.path)
            second = large.ask(large_case.path)
            if first["status"] != second["status"]:
                print(
                    f"| {large_case.name} | status {first['status']} | "
                    f"status {second['status']} | - |"
                )
                continue
            ratio = second["ms"] / first["ms"] if first["ms"] else float("nan")
            print(
                f"| {large_case.name} | {first['ms']:.2f} | {second['ms']:.2f} "
                f"| {ratio:.2f}x |",
                flush=True,
            )
    finally:
        small.close()
        large.close()


if __name__ == "__main__":
    main()
