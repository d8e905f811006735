"""Benchmark the catalog's heaviest pages: a person with 500 credits, a work
with 1,000 posts about it.

``python bench/catalog.py`` makes a throw-away site folder, sets it up,
seeds the two cases (``python bench/catalog.py seed`` runs inside the site's
environment: credits in bulk, posts through ``save_post``), serves the site
with the production server (granian) on 127.0.0.1 and measures both pages
at 16 connections with wrk (or the bounded Python load generator of
``bench/run.py``), with the page cache off and on. Every process it starts
is stopped before it exits.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PERSON_CREDITS = 500
WORK_POSTS = 1_000
PERSON_PATH = "/catalog/people/bench-person/"
WORK_PATH = "/catalog/works/bench-work/"


def seed() -> None:
    """Create the benchmark person and work (run inside the site's settings)."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from afterword.accounts.models import User
    from afterword.catalog import actions
    from afterword.catalog.models import Credit, Person, PostWork, Role, Work
    from afterword.posts.actions import save_post
    from afterword.posts.models import Post

    author, _ = User.objects.get_or_create(
        username="bench", defaults={"display_name": "Bench Writer"}
    )
    person, _ = Person.objects.get_or_create(
        slug="bench-person", defaults={"name": "Bench Person", "bio": "Prolific."}
    )
    roles = list(Role.objects.filter(kind=Role.Kind.PERSON))
    works = Work.objects.bulk_create(
        Work(title=f"Bench work {i}", slug=f"bench-work-{i}", year=1950 + i % 75)
        for i in range(PERSON_CREDITS)
    )
    Credit.objects.bulk_create(
        Credit(work=w, person=person, role=roles[i % len(roles)])
        for i, w in enumerate(works)
    )
    work = actions.save_catalog_object(
        Work(
            title="Bench work", slug="bench-work", year=2000, synopsis="Reviewed a lot."
        )
    )
    Credit.objects.create(work=work, person=person, role=roles[0])
    now = timezone.now()
    with transaction.atomic():
        for i in range(WORK_POSTS):
            post = Post(
                title=f"Bench review {i}",
                slug=f"bench-review-{i}",
                author=author,
                body=f"Review number {i} of [[work:bench-work]]. *Good.*",
                status=Post.Status.PUBLISHED,
                published_at=now - timedelta(minutes=i + 1),
            )
            save_post(post, user=author)
            PostWork.objects.create(
                post=post, work=work, is_primary=True, rating=(i % 10) / 2
            )


def main() -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    import run  # bench/run.py: servers, wrk and the load generator

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--python-load", action="store_true")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="afterword-bench-catalog-"))
    log = folder / "bench.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "afterword.config.settings.base",
        "AFTERWORD_DATA_DIR": str(folder / "site"),
        "AFTERWORD_ALLOWED_HOSTS": f"{run.HOST},localhost",
        "AFTERWORD_DEBUG": "0",
        "AFTERWORD_LOG_LEVEL": "ERROR",
    }
    env.pop("DATABASE_URL", None)
    env.pop("AFTERWORD_CACHE_URL", None)
    print(f"Catalog benchmark; site in {folder}", flush=True)
    with log.open("ab") as output:
        subprocess.run(
            [str(run.BIN / "afterword"), "setup_site", "--no-demo"],
            env=env,
            stdout=output,
            stderr=output,
            check=True,
        )
        subprocess.run(
            [sys.executable, __file__, "seed"],
            env=env,
            stdout=output,
            stderr=output,
            check=True,
        )
    port = run.free_port()
    base = f"http://{run.HOST}:{port}"
    cases = (
        (f"person, {PERSON_CREDITS} credits", PERSON_PATH),
        (f"work, {WORK_POSTS} posts", WORK_PATH),
    )
    for cache in ("0", "1"):
        label = "page cache on" if cache == "1" else "no page cache"
        print(f"App, {label}:", flush=True)
        with run.app_server(
            {**env, "AFTERWORD_PAGE_CACHE": cache}, port, args.workers, log
        ):
            for name, path in cases:
                status = run.fetch(base + path)[0]
                if status != 200:
                    raise SystemExit(f"{path} answered {status}; see {log}.")
                run.measure(f"{name}, {label}", base + path, args)


if __name__ == "__main__":
    if sys.argv[1:2] == ["seed"]:
        os.environ.setdefault(
            "DJANGO_SETTINGS_MODULE", "afterword.config.settings.base"
        )
        import django

        django.setup()
        seed()
    else:
        main()
