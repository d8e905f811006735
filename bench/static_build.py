"""Benchmark moving in and publishing statically: 2,000 posts, 20,000 comments.

``python bench/static_build.py`` makes a throw-away site folder, writes a
WordPress export (WXR) of 2,000 generated posts with 20,000 comments, and
times, each in its own ``afterword`` process:

1. ``afterword import-wxr`` of that file (target: under 30 s);
2. ``afterword build`` of the whole static site, from an empty folder;
3. the incremental build after editing one post (``edit`` below).

It reports the peak memory (max RSS) of those processes and two floors no
build of this site gets under (``floors``: starting Python and Django, and
writing the same files to this disk), then builds the same 2,000 posts as
Markdown with Hugo (Debian's ``hugo``) and Pelican when they are installed
(``--pelican-venv DIR`` uses or creates a virtualenv there with Pelican from
PyPI), and prints the ratios. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pelican-venv", type=Path, help="Pelican's virtualenv.")
    args = parser.parse_args()
    afterword = str(Path(sys.executable).with_name("afterword"))
    with tempfile.TemporaryDirectory(prefix="afterword-bench-") as work:
        work_dir = Path(work)
        env = {
            **os.environ,
            "AFTERWORD_DATA_DIR": str(work_dir / "site"),
            "AFTERWORD_SECRET_KEY": "bench-only-not-secret",
            "AFTERWORD_SITE_URL": "http://127.0.0.1:8000",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        wxr, hugo, pelican = generate(work_dir)
        size = wxr.stat().st_size / 1e6
        print(
            f"Generated {POSTS} posts, {POSTS * COMMENTS_PER_POST} comments"
            f" ({size:.1f} MB of WXR)."
        )
        subprocess.run([afterword, "migrate", "-v0"], env=env, check=True)
        results = {}
        results["import"] = timed([afterword, "import-wxr", str(wxr)], env)
        out = work_dir / "public"
        started = time.perf_counter()
        full = subprocess.run(
            [afterword, "build", str(out)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        results["full build"] = time.perf_counter() - started
        subprocess.run(
            [afterword, "shell", "-c", EDIT],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        started = time.perf_counter()
        incremental = subprocess.run(
            [afterword, "build", str(out)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        results["incremental build"] = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        for name, seconds in results.items():
            print(f"{name:<18} {seconds:7.1f} s")
        pages = int(full.split()[1])
        print(f"full build says:   {full}")
        print(f"pages per second:  {pages / results['full build']:.0f} (full build)")
        print(f"incremental says:  {incremental}")
        print(f"peak memory (max RSS of one step): {peak:.0f} MB")
        floor = floors(afterword, env, out, work_dir / "floor")
        print(
            f"floors, no rendering: start-up {floor['start-up']:.1f} s (Python and"
            f" Django), writing the built {floor['files']} files"
            f" ({floor['megabytes']:.0f} MB) again with plain os calls in"
            f" {WORKERS} processes {floor['write']:.1f} s"
        )

        others = {}
        if shutil.which("hugo"):
            others["Hugo"] = timed(
                ["hugo", "--quiet", "-s", str(hugo), "-d", str(work_dir / "hugo-out")],
                env,
            )
        pelican_bin = pelican_command(args.pelican_venv)
        if pelican_bin:
            # Pelican's defaults put every post on one index page; the
            # second run pages listings by 10, as Hugo's config and
            # Afterword do, so the three build comparable sites.
            for name, settings_file in (
                ("Pelican", None),
                ("Pelican, paged", write_pelican_settings(pelican)),
            ):
                command = [
                    pelican_bin,
                    str(pelican / "content"),
                    "-o",
                    str(work_dir / f"pelican-out-{len(others)}"),
                    "-q",
                ]
                if settings_file:
                    command += ["-s", str(settings_file)]
                others[name] = timed(command, env)
        ours = results["full build"]
        for name, seconds in others.items():
            print(
                f"{name:<18} {seconds:7.1f} s   {name} takes"
                f" {seconds / ours:.2f}x Afterword's time"
            )
        if "Pelican" not in others:
            print("Pelican: not run (pass --pelican-venv DIR to install it there).")
        else:
            target = others["Pelican"] / 3
            print(
                f"3x Pelican's speed is {target:.1f} s; the floors above add up"
                f" to {floor['start-up'] + floor['write']:.1f} s of it."
            )


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
            [str(venv / "bin" / "pip"), "install", "-q", "pelican[markdown]"],
            check=True,
        )
    return str(binary)


if __name__ == "__main__":
    main()
