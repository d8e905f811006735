"""Benchmark moving in and publishing statically: 2,000 posts, 20,000 comments.

``python bench/static_build.py`` makes a throw-away site folder, writes a
WordPress export (WXR) of 2,000 generated posts with 20,000 comments, and
times, each in its own ``afterword`` process:

1. ``afterword import-wxr`` of that file (target: under 30 s);
2. ``afterword build`` of the whole static site, from an empty folder;
3. the incremental build after editing one post (``EDIT`` below).

For each build it prints the wall time, the CPU time of all its processes,
the time per page rendered, and the peak memory (max RSS) of its largest
process. ``--pelican-venv DIR`` builds the same 2,000 posts, written as
Markdown files, with Pelican from a virtualenv there (created with Pelican
from PyPI when missing), in the same run: per page written, beside ours,
and the ratio. Hugo (Debian's ``hugo``) is timed too when installed.

``--large N`` (default 20,000; 0 skips it) then makes a second site of N
posts with 10 comments each through the bulk paths (``bulk_site``), and
times its full build and the incremental build after one edit, with their
peak memory: what grows with the site and what does not. Nothing leaves
127.0.0.1.
"""

from __future__ import annotations

import argparse
import compileall
import multiprocessing
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

POSTS = 2_000
# Processes of ``afterword build`` (its default: one per CPU).
WORKERS = os.cpu_count() or 1
COMMENTS_PER_POST = 10
TAGS = [f"tag-{n}" for n in range(60)]
CATEGORIES = ["anime", "film", "books", "games", "series", "essays"]
WORDS = [
    "the",
    "film",
    "score",
    "frame",
    "light",
    "scene",
    "actor",
    "story",
    "quiet",
    "rain",
    "city",
    "night",
    "memory",
    "studio",
    "sequel",
    "director",
    "editing",
    "colour",
    "sound",
    "line",
    "reader",
    "page",
    "chapter",
    "game",
    "level",
    "boss",
    "quest",
    "music",
    "review",
    "season",
    "episode",
    "character",
    "voice",
    "silence",
]
HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench blog</title><link>https://bench.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_login>critic</wp:author_login>
<wp:author_email>critic@example.com</wp:author_email></wp:author>
"""


def paragraphs(rng: random.Random, count: int) -> list[str]:
    return [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 80))).capitalize()
        + "."
        for _ in range(count)
    ]


def generate(folder: Path) -> tuple[Path, Path, Path]:
    """The WXR file, a Hugo site and a Pelican content folder, same posts."""
    rng = random.Random(2024)
    wxr = folder / "bench.xml"
    hugo = folder / "hugo"
    pelican = folder / "pelican"
    (hugo / "content" / "posts").mkdir(parents=True)
    (pelican / "content").mkdir(parents=True)
    comment_id = 0
    with wxr.open("w") as out:
        out.write(HEAD)
        for n in range(1, POSTS + 1):
            body = paragraphs(rng, 6)
            tags = rng.sample(TAGS, 3)
            category = rng.choice(CATEGORIES)
            date = f"20{10 + n % 14:02d}-{1 + n % 12:02d}-{1 + n % 28:02d} 10:00:00"
            title = f"Review {n}: {' '.join(rng.sample(WORDS, 3))}"
            comments = []
            first = comment_id + 1
            for c in range(COMMENTS_PER_POST):
                comment_id += 1
                parent = first if c % 3 == 2 else 0
                comments.append(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>Reader {comment_id % 400}</wp:comment_author>"
                    "<wp:comment_author_email>reader"
                    f"{comment_id % 400}@example.com</wp:comment_author_email>"
                    f"<wp:comment_date_gmt>{date}</wp:comment_date_gmt>"
                    f"<wp:comment_content><![CDATA[{paragraphs(rng, 1)[0]}]]>"
                    "</wp:comment_content><wp:comment_approved>1"
                    "</wp:comment_approved>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
                )
            terms = "".join(
                f'<category domain="post_tag" nicename="{t}"><![CDATA[{t}]]></category>'
                for t in tags
            )
            out.write(
                f"<item><title>{title}</title>"
                f"<link>https://bench.example/?p={n}</link>"
                "<dc:creator>critic</dc:creator>"
                f"<content:encoded><![CDATA[{chr(10).join(body)}]]></content:encoded>"
                f"<wp:post_id>{n}</wp:post_id>"
                f"<wp:post_date_gmt>{date}</wp:post_date_gmt>"
                f"<wp:post_name>review-{n}</wp:post_name>"
                "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
                f'<category domain="category" nicename="{category}">'
                f"<![CDATA[{category}]]></category>{terms}"
                f"{''.join(comments)}</item>\n"
            )
            text = "\n\n".join(body)
            iso = date.replace(" ", "T") + "Z"
            (hugo / "content" / "posts" / f"review-{n}.md").write_text(
                f'---\ntitle: "{title}"\ndate: {iso}\ntags: {tags}\n'
                f'categories: ["{category}"]\n---\n\n{text}\n'
            )
            (pelican / "content" / f"review-{n}.md").write_text(
                f"Title: {title}\nDate: {date[:16]}\nTags: {', '.join(tags)}\n"
                f"Category: {category}\nSlug: review-{n}\n\n{text}\n"
            )
        out.write("</channel></rss>\n")
    write_hugo_site(hugo)
    return wxr, hugo, pelican


def write_hugo_site(hugo: Path) -> None:
    layouts = hugo / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (hugo / "config.toml").write_text(
        'baseURL = "http://127.0.0.1/"\ntitle = "Bench"\npaginate = 10\n'
    )
    (layouts / "baseof.html").write_text(
        "<!doctype html><html><head><title>{{ .Title }}</title></head>"
        '<body>{{ block "main" . }}{{ end }}</body></html>'
    )
    (layouts / "single.html").write_text(
        '{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}'
        "</article>{{ end }}"
    )
    (layouts / "list.html").write_text(
        '{{ define "main" }}{{ range .Paginator.Pages }}<h2><a href="{{ .Permalink }}">'
        "{{ .Title }}</a></h2>{{ .Summary }}{{ end }}{{ end }}"
    )


def timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


EDIT = (
    "from afterword.posts.models import Post\n"
    "from afterword.posts.actions import save_post\n"
    "post = Post.objects.get(slug='review-1000')\n"
    "post.body = post.body + '\\n\\nAn added closing paragraph.'\n"
    "save_post(post)\n"
)


@dataclass
class Run:
    """One process's wall time, CPU time (with its children) and peak RSS."""

    seconds: float
    cpu: float
    peak_mb: float
    output: str = ""


def run(command: list[str], env: dict, cwd: Path | None = None) -> Run:
    """Run a command to the end; ``wait4`` gives this process's own usage."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, text=True
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    # The usage covers the process and the workers it waited for; max RSS
    # is that of the largest one.
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output)


def pages_of(build: Run) -> int:
    """The pages a build rendered, from its summary line."""
    match = re.search(r"\((\d+) rendered", build.output)
    return int(match.group(1)) if match else 0


def show(name: str, step: Run, pages: int = 0) -> None:
    per_page = ""
    if pages:
        per_page = (
            f"  {pages:>6} pages, {1000 * step.seconds / pages:5.2f} ms/page wall,"
            f" {1000 * step.cpu / pages:5.2f} ms/page CPU"
        )
    print(
        f"{name:<30} {step.seconds:7.2f} s wall {step.cpu:7.2f} s CPU"
        f" {step.peak_mb:6.0f} MB peak{per_page}"
    )


def site_env(folder: Path) -> dict:
    env = {
        **os.environ,
        "AFTERWORD_DATA_DIR": str(folder),
        "AFTERWORD_SECRET_KEY": "bench-only-not-secret",
        "AFTERWORD_SITE_URL": "http://127.0.0.1:8000",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def build_twice(afterword: str, env: dict, out: Path, label: str) -> dict:
    """A full build from an empty folder, one edit, and the incremental build."""
    full = run([afterword, "build", str(out)], env)
    run([afterword, "shell", "-c", EDIT], env)
    incremental = run([afterword, "build", str(out)], env)
    show(f"{label}: full build", full, pages_of(full))
    show(f"{label}: after one edit", incremental, pages_of(incremental))
    print(f"  full build says:  {full.output.strip()}")
    print(f"  after one edit:   {incremental.output.strip()}")
    return {"full": full, "incremental": incremental}


def large(afterword: str, work_dir: Path, posts: int) -> None:
    """A site of ``posts`` posts made through the bulk paths, built twice."""
    env = site_env(work_dir / f"site-{posts}")
    out = work_dir / f"public-{posts}"
    if (work_dir / f"site-{posts}").is_dir():
        print(f"Reusing the {posts}-post site made by an earlier --keep run.")
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run([afterword, "migrate", "-v0"], env=env, check=True)
        subprocess.run([afterword, "shell", "-c", UNEDIT], env=env, check=True)
        build_twice(afterword, env, out, f"{posts} posts")
        return
    subprocess.run([afterword, "migrate", "-v0"], env=env, check=True)
    made = run(
        [
            afterword,
            "shell",
            "-c",
            f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r});"
            f" import static_build; static_build.bulk_site({posts})",
        ],
        env,
    )
    print(f"Made {posts} posts, {posts * COMMENTS_PER_POST} comments in bulk.")
    show(f"{posts} posts: bulk generation", made)
    build_twice(afterword, env, out, f"{posts} posts")


def bulk_site(posts: int) -> None:
    """``posts`` posts with tags, a category and threaded comments, in bulk.

    Runs inside ``afterword shell``. The Markdown is rendered as the save
    service does; rows are written with ``bulk_create`` in batches.
    """
    from datetime import UTC, datetime, timedelta

    from django.contrib.auth import get_user_model
    from django.db import transaction

    from afterword.discussion.actions import render_body
    from afterword.discussion.models import Comment
    from afterword.posts.models import Category, Post, Tag
    from afterword.posts.services import render_post

    rng = random.Random(2024)
    author = get_user_model().objects.create_user("critic", "critic@example.com")
    tags = Tag.objects.bulk_create(
        Tag(name=f"tag {n}", slug=f"tag-{n}") for n in range(max(60, posts // 40))
    )
    categories = Category.objects.bulk_create(
        Category(name=name, slug=name) for name in CATEGORIES
    )
    pool = paragraphs(rng, 300)
    rendered = [render_body(text) for text in pool]
    first = datetime(2010, 1, 1, 10, tzinfo=UTC)
    # Every post in the past: six hours apart, closer on a site too large
    # for that (100,000 posts at six hours apart would reach into 2078).
    step = min(timedelta(hours=6), (datetime.now(UTC) - first) / (posts + 1))
    chunk = 1_000
    for start in range(0, posts, chunk):
        batch = []
        for n in range(start + 1, min(start + chunk, posts) + 1):
            post = Post(
                title=f"Review {n}: {' '.join(rng.sample(WORDS, 3))}",
                slug=f"review-{n}",
                author=author,
                body="\n\n".join(rng.sample(pool, 6)),
                status=Post.Status.PUBLISHED,
                published_at=first + step * n,
                comments_open=True,
            )
            render_post(post)
            batch.append(post)
        with transaction.atomic():
            made = Post.objects.bulk_create(batch)
            Post.tags.through.objects.bulk_create(
                Post.tags.through(post_id=post.pk, tag_id=tag.pk)
                for post in made
                for tag in rng.sample(tags, 3)
            )
            Post.categories.through.objects.bulk_create(
                Post.categories.through(
                    post_id=post.pk, category_id=rng.choice(categories).pk
                )
                for post in made
            )
            comments = []
            for post in made:
                for c in range(COMMENTS_PER_POST):
                    pick = rng.randrange(len(pool))
                    comments.append(
                        Comment(
                            post=post,
                            author_name=f"Reader {rng.randrange(400)}",
                            author_email="reader@example.com",
                            body=pool[pick],
                            body_html=rendered[pick],
                            status=Comment.Status.APPROVED,
                            created_at=post.published_at + timedelta(minutes=c),
                        )
                    )
            Comment.objects.bulk_create(comments, batch_size=2_000)


# A kept site is built again from the post as it was imported.
UNEDIT = (
    "from afterword.posts.models import Post\n"
    "from afterword.posts.actions import save_post\n"
    "post = Post.objects.get(slug='review-1000')\n"
    "post.body = post.body.split('\\n\\nAn added closing paragraph.')[0]\n"
    "save_post(post)\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pelican-venv", type=Path, help="Pelican's virtualenv.")
    parser.add_argument(
        "--large",
        type=int,
        default=20_000,
        help="Posts of the second, bulk-made site (0: none).",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="Work in this folder and keep it; a folder kept before is reused.",
    )
    args = parser.parse_args()
    afterword = str(Path(sys.executable).with_name("afterword"))
    # Afterword's modules compiled to bytecode first, as Pelican's are by pip
    # (an editable install's are compiled on first import, unless
    # PYTHONDONTWRITEBYTECODE is set, as it is on the machine these figures
    # come from): otherwise every build process compiles some 600 modules
    # again, 0.3 s of each build's start.
    import afterword as package

    compileall.compile_dir(Path(package.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory(prefix="afterword-bench-") as work:
        work_dir = Path(work)
        reuse = bool(args.keep and (args.keep / "site").is_dir())
        if args.keep:
            work_dir = args.keep
            work_dir.mkdir(parents=True, exist_ok=True)
        env = site_env(work_dir / "site")
        out = work_dir / "public"
        hugo, pelican = work_dir / "hugo", work_dir / "pelican"
        if reuse:
            # The site and corpus of an earlier ``--keep`` run: builds only.
            print(f"Reusing the site imported into {work_dir} by an earlier run.")
            for folder in work_dir.glob("*-out*"):
                shutil.rmtree(folder)
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(work_dir / "floor", ignore_errors=True)
            # Made by an older version, perhaps: its tables brought up to date.
            subprocess.run([afterword, "migrate", "-v0"], env=env, check=True)
            subprocess.run([afterword, "shell", "-c", UNEDIT], env=env, check=True)
        else:
            wxr, hugo, pelican = generate(work_dir)
            size = wxr.stat().st_size / 1e6
            print(
                f"Generated {POSTS} posts, {POSTS * COMMENTS_PER_POST} comments"
                f" ({size:.1f} MB of WXR)."
            )
            subprocess.run([afterword, "migrate", "-v0"], env=env, check=True)
            show("import-wxr", run([afterword, "import-wxr", str(wxr)], env))
        ours = build_twice(afterword, env, out, f"{POSTS} posts")
        full = ours["full"]
        floor = floors(afterword, env, out, work_dir / "floor")
        print(
            f"floors, no rendering: start-up {floor['start-up']:.1f} s (Python and"
            f" Django), writing the built {floor['files']} files"
            f" ({floor['megabytes']:.0f} MB) again with plain os calls in"
            f" {WORKERS} processes {floor['write']:.1f} s"
        )

        others: dict[str, tuple[Run, int]] = {}
        if shutil.which("hugo"):
            hugo_out = work_dir / "hugo-out"
            step = run(["hugo", "--quiet", "-s", str(hugo), "-d", str(hugo_out)], env)
            others["Hugo"] = (step, html_files(hugo_out))
        pelican_bin = pelican_command(args.pelican_venv)
        if pelican_bin:
            # Pelican's defaults put every post on one index page; the
            # second run pages listings by 10, as Hugo's config and
            # Afterword do, so the three build comparable sites.
            for name, settings_file in (
                ("Pelican", None),
                ("Pelican, paged", write_pelican_settings(pelican)),
            ):
                pelican_out = work_dir / f"pelican-out-{len(others)}"
                command = [pelican_bin, str(pelican / "content"), "-o"]
                command += [str(pelican_out), "-q"]
                if settings_file:
                    command += ["-s", str(settings_file)]
                others[name] = (run(command, env), html_files(pelican_out))
        ours_pages = pages_of(full)
        ours_ms = 1000 * full.seconds / ours_pages
        for name, (step, pages) in others.items():
            show(name, step, pages)
            theirs = 1000 * step.seconds / pages
            print(
                f"  per page: Afterword {ours_ms:.2f} ms, {name} {theirs:.2f} ms;"
                f" Afterword takes {ours_ms / theirs:.2f}x {name}'s time per page"
                f" (CPU: {full.cpu / ours_pages / (step.cpu / pages):.2f}x)"
            )
        if "Pelican" not in others:
            print("Pelican: not run (pass --pelican-venv DIR to install it there).")
        if args.large:
            large(afterword, work_dir, args.large)


def html_files(folder: Path) -> int:
    """Pages another generator wrote: its HTML files."""
    return sum(1 for _ in folder.rglob("*.html"))


def floors(afterword: str, env: dict, built: Path, scratch: Path) -> dict:
    """What any build of this site pays before rendering a single page.

    ``start-up``: an ``afterword`` process that only sets Django up.
    ``write``: the built site's files (read into memory first) written into
    an empty folder, in as many processes as the build uses, with the same
    plain os calls the build makes: the disk's share of a full build.
    """
    start_up = timed([afterword, "shell", "-c", "pass"], env)
    files = [
        (path.relative_to(built).as_posix(), path.read_bytes())
        for path in sorted(built.rglob("*"))
        if path.is_file()
    ]
    started = time.perf_counter()
    context = multiprocessing.get_context("fork")
    writers = [
        context.Process(target=write_files, args=(scratch, files[n::WORKERS]))
        for n in range(WORKERS)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    return {
        "start-up": start_up,
        "write": time.perf_counter() - started,
        "files": len(files),
        "megabytes": sum(len(data) for _, data in files) / 1e6,
    }


def write_files(folder: Path, files: list[tuple[str, bytes]]) -> None:
    made: set[str] = set()
    for relative, data in files:
        target = os.path.join(folder, relative)
        parent = os.path.dirname(target)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        with open(target, "wb") as handle:
            handle.write(data)


def write_pelican_settings(pelican: Path) -> Path:
    """Pelican settings paging every listing by 10 posts."""
    settings_file = pelican / "pelicanconf.py"
    # Page N at .../page/N/: Pelican's default "{name}{number}" would make
    # page 9 of tag-4 the same file as page 1 of tag-49.
    settings_file.write_text(
        "\n".join(
            [
                'SITENAME = "Bench"',
                'SITEURL = ""',
                "DEFAULT_PAGINATION = 10",
                'TIMEZONE = "UTC"',
                "PAGINATION_PATTERNS = (",
                '    (1, "{url}", "{save_as}"),',
                '    (2, "{base_name}/page/{number}/",'
                ' "{base_name}/page/{number}/index.html"),',
                ")",
                "",
            ]
        )
    )
    return settings_file


def pelican_command(venv: Path | None) -> str | None:
    if venv is None:
        return shutil.which("pelican")
    binary = venv / "bin" / "pelican"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "pelican", "markdown"],
            check=True,
        )
    return str(binary)


if __name__ == "__main__":
    main()
