"""Benchmark the discussion: a post page with 300 comments, and posting comments.

``python bench/comments.py`` makes a throw-away site folder, sets it up,
seeds a post with 300 comments in threads three deep (``python
bench/comments.py seed`` runs inside the site's environment, through the
discussion services), serves the site with the production server (granian)
on 127.0.0.1, and measures:

1. the post page, uncached (``AFTERWORD_PAGE_CACHE=0``), at 16 connections
   with wrk or the bounded Python load generator of ``bench/run.py``;
2. comment posts from 8 concurrent clients for a fixed time, with the flood
   limits raised (each client keeps one connection, takes a form token the
   way the page's script does, waits its minimum age once, then posts as fast
   as answers come), on the site's SQLite database. Every acknowledged
   comment id is then checked in the database (``verify``).

Bounded (``--seconds``), loopback only, and every process it starts is
stopped before it exits.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

COMMENTS = 300
POST_SLUG = "bench-discussion"
POSTERS = 8


def seed() -> None:
    """A post with 300 comments in threads; flood limits raised (site settings)."""
    from datetime import timedelta

    from django.utils import timezone

    from afterword.accounts.models import User
    from afterword.discussion import actions
    from afterword.discussion.models import DiscussionSettings
    from afterword.posts.actions import save_post
    from afterword.posts.models import Post

    author, _ = User.objects.get_or_create(
        username="bench", defaults={"display_name": "Bench Writer", "email": "b@x.test"}
    )
    post = save_post(
        Post(
            title="A long discussion",
            slug=POST_SLUG,
            author=author,
            body="A post people argue about. *Loudly.*",
            status=Post.Status.PUBLISHED,
            published_at=timezone.now() - timedelta(days=1),
        ),
        user=author,
    )
    # The same page with no comments: the reference for what the discussion adds.
    quiet = save_post(
        Post(
            title="A quiet post",
            slug=f"{POST_SLUG}-quiet",
            author=author,
            body="A post people argue about. *Loudly.*",
            status=Post.Status.PUBLISHED,
            published_at=timezone.now() - timedelta(days=1),
        ),
        user=author,
    )
    made = 0
    start = timezone.now() - timedelta(hours=20)
    while made < COMMENTS:
        top = actions.add_comment(
            post,
            name=f"Reader {made}",
            email=f"reader{made}@example.test",
            body=f"Comment {made}: I *mostly* agree, see [this](https://example.org).",
            created_at=start + timedelta(minutes=made),
        )
        made += 1
        parent = top
        for _ in range(2):
            if made >= COMMENTS:
                break
            parent = actions.add_comment(
                post,
                name=f"Reader {made}",
                email=f"reader{made}@example.test",
                body=f"Reply {made}: not quite, because of the ending.",
                parent=parent,
                created_at=start + timedelta(minutes=made),
            )
            made += 1
    policy = DiscussionSettings.load()
    policy.flood_ip_limit = 10**9
    policy.flood_identity_limit = 10**9
    policy.save()
    print(quiet.get_absolute_url(), post.pk, post.get_absolute_url())


def verify(path: str) -> None:
    """Check that every acknowledged comment id (one per line) is stored."""
    from afterword.discussion.models import Comment

    ids = [int(line) for line in Path(path).read_text().split()]
    found = set(Comment.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = len(set(ids) - found)
    print(
        json.dumps({"acknowledged": len(ids), "stored": len(found), "missing": missing})
    )


def post_comments(host: str, port: int, post_id: int, seconds: float) -> dict:
    """8 clients posting for ``seconds``; returns counts and acknowledged ids."""
    acknowledged: list[list[int]] = [[] for _ in range(POSTERS)]
    refused = [0] * POSTERS
    errors = [0] * POSTERS
    tokens: list[str] = []
    for _ in range(POSTERS):
        connection = http.client.HTTPConnection(host, port, timeout=10)
        connection.request("GET", f"/comments/token/{post_id}/")
        tokens.append(json.loads(connection.getresponse().read())["token"])
        connection.close()
    time.sleep(3.2)  # the token's minimum age: a person takes longer to type
    deadline = time.monotonic() + seconds
    origin = f"http://{host}:{port}"

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=30)
        number = 0
        while time.monotonic() < deadline:
            number += 1
            body = urlencode(
                {
                    "token": tokens[index],
                    "name": f"Poster {index}",
                    "email": f"poster{index}@example.test",
                    "body": f"Bench comment {index}-{number}: *fine* words.",
                }
            )
            try:
                connection.request(
                    "POST",
                    f"/comments/post/{post_id}/",
                    body=body,
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Accept": "application/json",
                        "Origin": origin,
                    },
                )
                response = connection.getresponse()
                data = response.read()
            except OSError:
                errors[index] += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=30)
                continue
            if response.status == 200:
                acknowledged[index].append(json.loads(data)["id"])
            else:
                refused[index] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(POSTERS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ids = [i for values in acknowledged for i in values]
    return {
        "ids": ids,
        "per_second": len(ids) / elapsed,
        "refused": sum(refused),
        "errors": sum(errors),
        "elapsed": elapsed,
    }


def main() -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    import run  # bench/run.py: servers, wrk and the load generator

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--python-load", action="store_true")
    parser.add_argument(
        "--cache-url",
        default="",
        help="e.g. redis://127.0.0.1:6379/5 (default: the site's file cache); "
        "the benchmark's keys are removed afterwards",
    )
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="afterword-bench-comments-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "afterword.config.settings.base",
        "AFTERWORD_DATA_DIR": str(folder / "site"),
        "AFTERWORD_ALLOWED_HOSTS": f"{run.HOST},localhost",
        "AFTERWORD_SITE_URL": "http://127.0.0.1:8000",
        "AFTERWORD_DEBUG": "0",
        "AFTERWORD_LOG_LEVEL": "ERROR",
    }
    env.pop("DATABASE_URL", None)
    env.pop("AFTERWORD_CACHE_URL", None)
    if args.cache_url:
        env["AFTERWORD_CACHE_URL"] = args.cache_url
        env["AFTERWORD_CACHE_PREFIX"] = folder.name
    try:
        measure_all(run, args, folder, env)
    finally:
        if args.cache_url.startswith(("redis://", "rediss://")):
            run.forget_redis_keys(args.cache_url, folder.name)


def measure_all(run, args, folder: Path, env: dict[str, str]) -> None:
    log = folder / "bench.log"
    print(
        f"Discussion benchmark; site in {folder}; cache "
        f"{args.cache_url or 'file (default)'}",
        flush=True,
    )
    with log.open("ab") as output:
        subprocess.run(
            [str(run.BIN / "afterword"), "setup_site", "--no-demo"],
            env=env,
            stdout=output,
            stderr=output,
            check=True,
        )
    seeded = subprocess.run(
        [sys.executable, __file__, "seed"], env=env, capture_output=True, text=True
    )
    if seeded.returncode:
        raise SystemExit(seeded.stderr)
    quiet_path, post_id, path = seeded.stdout.split()[-3:]
    port = run.free_port()
    base = f"http://{run.HOST}:{port}"
    with run.app_server({**env, "AFTERWORD_PAGE_CACHE": "0"}, port, args.workers, log):
        status, _, body = run.fetch(base + path)
        shown = body.count(b'<li id="comment-')
        if status != 200 or shown != COMMENTS:
            raise SystemExit(
                f"{path} answered {status} with {shown} comments; see {log}."
            )
        run.measure("post, no comments, no page cache", base + quiet_path, args)
        page = run.measure(
            f"post, {COMMENTS} comments, no page cache", base + path, args
        )
        posting = post_comments(run.HOST, port, int(post_id), args.seconds)
    ids_file = folder / "acknowledged.txt"
    ids_file.write_text("\n".join(str(i) for i in posting["ids"]))
    checked = subprocess.run(
        [sys.executable, __file__, "verify", str(ids_file)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    stored = json.loads(checked.stdout.strip().splitlines()[-1])
    print(
        f"  comment posts, {POSTERS} clients          "
        f"{posting['per_second']:>10,.0f} accepted/s"
        f"  ({len(posting['ids'])} in {posting['elapsed']:.1f} s, "
        f"refused {posting['refused']}, errors {posting['errors']})",
        flush=True,
    )
    print(
        f"  acknowledged comments stored: {stored['stored']} of "
        f"{stored['acknowledged']} (missing {stored['missing']})",
        flush=True,
    )
    print(
        f"Targets: post page >= 1,000 req/s uncached "
        f"({'met' if page.requests_per_second >= 1000 else 'NOT met'}); "
        f">= 200 accepted comment posts/s "
        f"({'met' if posting['per_second'] >= 200 else 'NOT met'}).",
        flush=True,
    )


if __name__ == "__main__":
    if sys.argv[1:2] in (["seed"], ["verify"]):
        os.environ.setdefault(
            "DJANGO_SETTINGS_MODULE", "afterword.config.settings.base"
        )
        import django

        django.setup()
        seed() if sys.argv[1] == "seed" else verify(sys.argv[2])
    else:
        main()
