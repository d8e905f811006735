"""A large site, generated in bulk and measured page kind by page kind.

    python bench/large_site.py                        # 100,000 posts, SQLite
    python bench/large_site.py --posts 2000 --keep
    python bench/large_site.py --database postgres://postgres@127.0.0.1/largesite_bench
    python bench/large_site.py --reuse /tmp/afterword-large-100000-x  # measure again
    python bench/large_site.py --compare-posts 2000   # both sizes, side by side
    python bench/large_site.py --table A.json B.json  # print saved runs

It makes a throw-away site folder (``AFTERWORD_DATA_DIR`` under ``/tmp``),
runs ``afterword setup_site --no-demo`` in it, and generates the content in
bulk (``generate`` below, in the site's own process): posts with varied
Markdown (headings, paragraphs, figures with captions, links, quotes, lists)
rendered by ``posts.services.render_post`` and written with ``bulk_create``
in chunks, their tags, categories, works, people, credits, series, comments
in threads, email subscribers and fediverse followers; then the search
index is filled by the search app's own bulk path
(``search.services.index_posts``). Every count scales with ``--posts``; the
shapes the measured pages need are kept at any size (see ``Shape``).

Then it serves the site as ``bench/run.py`` does (``afterword serve
--workers 2 --no-worker``, granian, 127.0.0.1) and measures every page kind
with wrk at 16 connections, the page cache off and then on (the desk's lists
only off, signed in as the administrator), counts SQL queries per page kind
in-process (Django's test client and ``CaptureQueriesContext``), sends
10,000 mixed requests and reads the workers' memory, and prints one table
against the targets of issue 15. Results are saved as JSON in the site
folder, so ``--table`` can print two runs side by side with the growth
factor per page kind. See bench/README.md.
"""

from __future__ import annotations

import argparse
import functools
import http.client
import json
import multiprocessing
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # bench/run.py: servers, wrk, the fallback load generator

# Targets of issue 15 on this 2-core machine.
PUBLIC_P99_MS = 50.0
PUBLIC_RPS = 500.0
SEARCH_P99_MS = 100.0
RSS_MB = 150.0
GROWTH = 1.5

# The special shapes the measured pages need, kept at any size.
THREAD_COMMENTS = 300  # one post with this many comments
BIG_TAG_POSTS = 10_000  # one tag on this many posts (at most every post)
BIG_WORK_POSTS = 2_000  # one work reviewed by this many posts (at most every post)
BIG_PERSON_CREDITS = 1_000  # one person with this many credits (works grow to fit)
RARE_WORD = "quillwhistle"  # in RARE_POSTS posts only
RARE_POSTS = 5
COMMON_WORD = "film"
PHRASE = "quiet rain"  # the two words together in about 1% of posts
MIXED_REQUESTS = 10_000
# Distinct post bodies written and rendered; larger sites reuse them.
# A page slower than this for one request alone is not loaded with wrk.
SLOW_MS = 10_000
BODIES = int(os.environ.get("AFTERWORD_BENCH_BODIES", "5000"))
CONTENT_CACHE = (
    Path(os.environ.get("AFTERWORD_BENCH_CONTENT", tempfile.gettempdir()))
    / "afterword-large-content"
)


@dataclass
class Counts:
    posts: int
    comments: int
    works: int
    people: int
    credits: int
    tags: int
    categories: int
    series: int
    subscribers: int
    fediverse_followers: int

    @classmethod
    def for_posts(cls, posts: int) -> Counts:
        followers = posts // 2
        return cls(
            posts=posts,
            comments=posts * 10,
            # At least enough works for the person with 1,000 credits.
            works=max(posts // 5, BIG_PERSON_CREDITS + 100),
            people=max(posts // 2, 200),
            credits=max(posts * 2, BIG_PERSON_CREDITS * 2),
            tags=max(posts // 20, 50),
            categories=12,
            series=max(posts * 3 // 1000, 3),
            subscribers=followers * 3 // 5,
            fediverse_followers=followers - followers * 3 // 5,
        )


# ---------------------------------------------------------------------------
# Text

COMMON = [
    "film",
    "the",
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
    "music",
    "review",
    "season",
    "episode",
    "character",
    "voice",
    "silence",
    "camera",
    "shot",
    "cut",
    "dialogue",
    "ending",
    "opening",
    "animation",
    "series",
    "performance",
    "screen",
    "moment",
    "world",
    "drama",
    "comedy",
    "horror",
    "war",
    "love",
    "family",
    "dream",
    "time",
    "house",
    "road",
    "sea",
    "summer",
    "winter",
    "letter",
    "train",
    "window",
    "mirror",
    "garden",
    "street",
    "river",
    "mountain",
    "island",
    "school",
    "war",
    "ghost",
    "machine",
    "robot",
    "detective",
    "mystery",
    "journey",
    "friend",
    "brother",
    "sister",
    "mother",
    "father",
    "child",
    "stranger",
    "hero",
    "villain",
    "soldier",
    "pilot",
    "painter",
    "writer",
    "singer",
    "dancer",
    "teacher",
    "doctor",
    "lawyer",
    "king",
    "queen",
    "prince",
    "witch",
    "dragon",
    "monster",
    "island",
]


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Common words first, then 20,000 made-up ones; Zipf weights (1/rank)."""
    syllables = [
        "ka",
        "lo",
        "mi",
        "re",
        "tsu",
        "na",
        "vo",
        "ri",
        "en",
        "sa",
        "tel",
        "mar",
        "dun",
        "qui",
        "bel",
        "or",
        "ast",
        "ven",
    ]
    made = set()
    while len(made) < 20_000:
        made.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    made.discard(RARE_WORD)
    words = list(dict.fromkeys(COMMON)) + sorted(made)
    cumulative, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1.0 / rank
        cumulative.append(total)
    return words, cumulative


class Writer:
    """Markdown of a realistic length and shape, deterministic per seed."""

    def __init__(self, seed: int):
        self.seed = seed
        self.rng = random.Random(seed)
        self.words, self.cumulative = vocabulary(random.Random(seed))

    def title_of(self, number: int) -> str:
        """Post ``number``'s title, the same in every process."""
        rng = random.Random(self.seed * 1_000_003 + number)
        return " ".join(rng.sample(self.words[:400], 3)).title()

    def sentence(self, low: int = 8, high: int = 22) -> str:
        picked = self.rng.choices(
            self.words, cum_weights=self.cumulative, k=self.rng.randint(low, high)
        )
        return " ".join(picked).capitalize() + "."

    def paragraph(self, extra: str = "") -> str:
        sentences = [self.sentence() for _ in range(self.rng.randint(3, 6))]
        if extra:
            sentences.insert(self.rng.randrange(len(sentences) + 1), extra)
        return " ".join(sentences)

    def title(self) -> str:
        return " ".join(self.rng.sample(self.words[:400], 3)).title()

    def body(self, number: int, links: list[str], rare: bool, phrase: bool) -> str:
        rng = self.rng
        parts = [self.paragraph()]
        for section in range(rng.randint(2, 4)):
            parts.append(f"## {self.title()}")
            extras = []
            if links and rng.random() < 0.6:
                extras.append(
                    f"See also [{self.title().lower()}]({rng.choice(links)})."
                )
            if rng.random() < 0.4:
                extras.append(
                    f"The [interview](https://example.org/interviews/{number}-{section})"
                    " says more."
                )
            if phrase and section == 0:
                extras.append(f"It ends in {PHRASE}, as it began.")
            if rare and section == 0:
                extras.append(f"The {RARE_WORD} scene stays with you.")
            for _ in range(rng.randint(1, 3)):
                parts.append(self.paragraph(extras.pop() if extras else ""))
            if rng.random() < 0.5:
                still = rng.randint(1, 5_000)
                parts.append(
                    f"![{self.sentence(4, 8)}](/media/images/bench/still-{still}.jpg)\n"
                    f"{self.sentence(5, 12)[:-1]}, *{self.title()}*."
                )
            if rng.random() < 0.15:
                parts.append("> " + self.sentence())
            if rng.random() < 0.15:
                parts.append("\n".join(f"- {self.sentence(2, 5)}" for _ in range(3)))
        return "\n\n".join(parts)

    def comment(self) -> str:
        return " ".join(self.sentence(5, 16) for _ in range(self.rng.randint(1, 3)))


# ---------------------------------------------------------------------------
# Generation (runs inside the site's settings)

FIRST_DAY = datetime(2016, 1, 1, 9, tzinfo=UTC)
SPAN = (datetime(2025, 12, 31, 21, tzinfo=UTC) - FIRST_DAY).total_seconds()
_writers: dict[int, Writer] = {}


def post_when(number: int, posts: int) -> datetime:
    """Posts evenly over ten years, oldest first (the last is the newest)."""
    return FIRST_DAY + timedelta(seconds=SPAN * number / max(posts - 1, 1))


def post_slug(writer: Writer, number: int, posts: int) -> str:
    from django.utils.text import slugify

    if number == posts - 1:
        return "the-long-thread"
    return f"{slugify(writer.title_of(number))}-{number}"


def render_posts(piece) -> list[dict]:
    """Write and render a run of posts (in a render process): their fields.

    Each post depends only on its number, so any process gives the same text;
    links point at earlier posts' addresses, computed the same way.
    """
    from afterword.posts.models import Post
    from afterword.posts.services import render_post

    numbers, posts, seed, rare = piece
    if seed not in _writers:
        _writers[seed] = Writer(seed)
    writer = _writers[seed]
    made = []
    for number in numbers:
        writer.rng.seed(seed * 7_919 + number)
        phrase = writer.rng.random() < 0.01
        earlier = range(max(0, number - 2_000), number)
        links = [
            Post(
                kind=Post.Kind.POST,
                slug=post_slug(writer, n, posts),
                published_at=post_when(n, posts),
            ).get_absolute_url()
            for n in writer.rng.sample(earlier, min(3, len(earlier)))
        ]
        post = Post(
            title="The long thread" if number == posts - 1 else writer.title_of(number),
            slug=post_slug(writer, number, posts),
            body=writer.body(number, links, rare=number in rare, phrase=phrase),
            status=Post.Status.PUBLISHED,
            published_at=post_when(number, posts),
        )
        render_post(post)
        made.append({name: getattr(post, name) for name in STORED_FIELDS})
    return made


def post_fields(posts: int, seed: int, jobs: int, writer: Writer, rare: frozenset):
    """Every post's rendered fields, oldest first.

    ``BODIES`` distinct bodies are written and rendered (by ``jobs``
    processes; kept in CONTENT_CACHE so the same size on the other database
    skips it), plus one each for the rare-word posts and the long thread;
    beyond ``BODIES`` a post has its own title and address and reuses body
    ``number % BODIES``. Rendering every one of 100,000 bodies, and again
    for the search index, costs most of an hour on this shared machine.
    """
    from django.db import connections

    specials = sorted(rare | {posts - 1})
    wanted = list(range(min(posts, BODIES))) + [n for n in specials if n >= BODIES]
    cache_file = CONTENT_CACHE / f"bodies-{posts}-seed{seed}-{BODIES}.jsonl"
    rendered: dict[int, dict] = {}
    started = time.perf_counter()
    if cache_file.exists():
        with cache_file.open() as lines:
            for line in lines:
                fields = json.loads(line)
                rendered[fields.pop("number")] = fields
        progress(f"{len(rendered):,} rendered bodies read from {cache_file}", started)
    else:
        CONTENT_CACHE.mkdir(parents=True, exist_ok=True)
        partial = cache_file.with_suffix(".partial")
        connections.close_all()  # the render processes open their own
        pieces = [
            (wanted[i : i + 100], posts, seed, rare) for i in range(0, len(wanted), 100)
        ]
        with (
            multiprocessing.get_context("fork").Pool(jobs) as pool,
            partial.open("w") as keeping,
        ):
            for piece, fields_list in zip(
                pieces, pool.imap(render_posts, pieces), strict=True
            ):
                for number, fields in zip(piece[0], fields_list, strict=True):
                    rendered[number] = fields
                    keeping.write(json.dumps({"number": number, **fields}) + "\n")
                if len(rendered) % 1_000 < 100:
                    progress(f"{len(rendered):,} bodies rendered", started)
        partial.rename(cache_file)
    for number in range(posts):
        if number in rendered:
            yield rendered[number]
        else:
            yield {
                **rendered[number % BODIES],
                "title": writer.title_of(number),
                "slug": post_slug(writer, number, posts),
            }


STORED_FIELDS = (
    "title",
    "slug",
    "body",
    "body_html",
    "feed_html",
    "lead_figure_html",
    "summary",
)


def index_piece(post_ids: list[int]) -> int:
    """The search app's bulk path over some posts (in an index process).

    Posts share ``BODIES`` bodies, so the Markdown-to-text step is
    remembered per body: the same Markdown gives the same text.
    """
    from afterword.search import services

    if not hasattr(services, "_bench_original_render"):
        original = services._bench_original_render = services.render_markdown

        @functools.lru_cache(maxsize=BODIES + 2 * RARE_POSTS)
        def plain_text(text: str) -> str:
            return original(text).plain_text

        def render(text: str, **options):
            if options:
                return original(text, **options)
            return SimpleNamespace(plain_text=plain_text(text))

        services.render_markdown = render
    services.index_posts(post_ids)
    return len(post_ids)


def progress(message: str, started: float) -> None:
    print(
        f"  [{time.perf_counter() - started:7.1f} s] {message}",
        file=sys.stderr,
        flush=True,
    )


def generate(posts: int, seed: int = 15, jobs: int = 2) -> dict:
    """Write the whole site in bulk; return the addresses of the measured cases."""
    from django.contrib.auth import get_user_model
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils.text import slugify

    from afterword.catalog.models import Credit, Person, PostWork, Role, Work
    from afterword.discussion.actions import render_body
    from afterword.discussion.models import Comment
    from afterword.federation.actors import site_actor
    from afterword.federation.models import Follower, RemoteActor
    from afterword.posts.models import Category, Post, Tag
    from afterword.series.models import Series, SeriesPart
    from afterword.subscriptions.models import Follow, Subscriber

    counts = Counts.for_posts(posts)
    started = time.perf_counter()
    writer = Writer(seed)
    rng = random.Random(seed + 1)
    print(f"Generating: {asdict(counts)}", file=sys.stderr, flush=True)
    if Post.objects.exists():
        raise SystemExit("The site already has posts: generate into a new site.")

    users = get_user_model()
    admin = users.objects.filter(is_superuser=True).order_by("pk").first()
    authors = [admin] + [
        users.objects.get_or_create(
            username=f"writer{n}", defaults={"display_name": f"Writer {n}"}
        )[0]
        for n in range(1, 5)
    ]

    # Terms ---------------------------------------------------------------
    with transaction.atomic():
        categories = Category.objects.bulk_create(
            Category(name=name.title(), slug=name)
            for name in [
                "films",
                "anime",
                "books",
                "games",
                "series",
                "essays",
                "music",
                "theatre",
                "television",
                "comics",
                "interviews",
                "lists",
            ][: counts.categories]
        )
        tag_names = ["Film noir"] + sorted(
            {writer.title() for _ in range(counts.tags * 2)}
        )[: counts.tags - 1]
        tags = Tag.objects.bulk_create(
            Tag(name=name, slug=slugify(name)[:90] + f"-{n}" if n else "film-noir")
            for n, name in enumerate(tag_names)
        )
    big_tag = tags[0]
    progress(f"{len(categories)} categories, {len(tags)} tags", started)

    # Catalog -------------------------------------------------------------
    with transaction.atomic():
        people = Person.objects.bulk_create(
            (
                Person(
                    name=f"{writer.title()} {n}",
                    slug=f"person-{n}",
                    bio=writer.sentence(),
                )
                for n in range(counts.people)
            ),
            batch_size=2_000,
        )
        works = Work.objects.bulk_create(
            (
                Work(
                    title=f"{writer.title()} ({1950 + n % 75})",
                    slug=f"work-{n}",
                    year=1950 + n % 75,
                    kind=Work.Kind.FILM,
                    synopsis=writer.paragraph(),
                )
                for n in range(counts.works)
            ),
            batch_size=2_000,
        )
        roles = list(Role.objects.filter(kind=Role.Kind.PERSON).order_by("pk"))
        if not roles:
            roles = [Role.objects.create(name="Director", slug="director")]
        big_person, big_work = people[0], works[0]
        credits = [
            Credit(work=works[n], person=big_person, role=roles[0])
            for n in range(BIG_PERSON_CREDITS)
        ]
        for n in range(counts.credits - BIG_PERSON_CREDITS):
            work_index = n % len(works)
            role = roles[(n // len(works) + 1) % len(roles)]
            credits.append(
                Credit(
                    work=works[work_index],
                    person=people[rng.randrange(1, len(people))],
                    role=role,
                    sort_order=n // len(works),
                )
            )
        Credit.objects.bulk_create(credits, batch_size=5_000, ignore_conflicts=True)
    progress(
        f"{len(people)} people, {len(works)} works, {len(credits)} credits", started
    )

    # Posts ---------------------------------------------------------------
    big_tag_every = max(1, posts // min(BIG_TAG_POSTS, posts))
    big_work_every = max(1, posts // min(BIG_WORK_POSTS, posts))
    # Rare posts have bodies of their own (never one shared with other posts).
    rare_from = BODIES if posts > BODIES + RARE_POSTS else 1
    rare = frozenset(
        rng.sample(range(rare_from, posts - 1), min(RARE_POSTS, posts - 1 - rare_from))
    )
    post_ids: list[int] = []
    chunk = 1_000
    tag_weights = [1.0 / (rank + 1) for rank in range(len(tags) - 1)]
    work_choice = range(1, len(works))
    tag_links = post_work_links = 0

    def write_posts(rendered) -> tuple[int, int]:
        """Insert rendered posts a chunk at a time, with their terms and works."""
        tag_links = post_work_links = 0
        batch: list = []
        for number, fields in enumerate(rendered):
            batch.append(
                Post(
                    author=authors[number % len(authors)],
                    status=Post.Status.PUBLISHED,
                    published_at=post_when(number, posts),
                    comments_open=True,
                    **fields,
                )
            )
            if len(batch) < chunk and number < posts - 1:
                continue
            start = number + 1 - len(batch)
            with transaction.atomic():
                made = Post.objects.bulk_create(batch)
                batch = []
                tag_rows, category_rows, work_rows = [], [], []
                for offset, post in enumerate(made):
                    index = start + offset
                    chosen = {
                        tags[1 + i]
                        for i in rng.choices(
                            range(len(tags) - 1),
                            weights=tag_weights,
                            k=rng.randint(1, 4),
                        )
                    }
                    if index % big_tag_every == 0 and tag_links < BIG_TAG_POSTS:
                        chosen.add(big_tag)
                        tag_links += 1
                    tag_rows += [
                        Post.tags.through(post_id=post.pk, tag_id=tag.pk)
                        for tag in chosen
                    ]
                    category_rows.append(
                        Post.categories.through(
                            post_id=post.pk, category_id=rng.choice(categories).pk
                        )
                    )
                    if index % big_work_every == 0 and post_work_links < BIG_WORK_POSTS:
                        work = big_work
                        post_work_links += 1
                    else:
                        work = works[rng.choice(work_choice)]
                    work_rows.append(
                        PostWork(
                            post_id=post.pk,
                            work=work,
                            is_primary=True,
                            rating=rng.randint(0, 10) / 2,
                        )
                    )
                    post_ids.append(post.pk)
                Post.tags.through.objects.bulk_create(tag_rows, batch_size=2_000)
                Post.categories.through.objects.bulk_create(
                    category_rows, batch_size=2_000
                )
                PostWork.objects.bulk_create(work_rows, batch_size=2_000)
            if len(post_ids) % 10_000 == 0 or len(post_ids) == posts:
                progress(f"{len(post_ids):,} posts", started)
        return tag_links, post_work_links

    tag_links, post_work_links = write_posts(
        post_fields(posts, seed, jobs, writer, rare)
    )

    # Series ---------------------------------------------------------------
    with transaction.atomic():
        series = Series.objects.bulk_create(
            Series(
                title=f"{writer.title()} series",
                slug=f"series-{n}",
                description=writer.paragraph(),
                description_html=f"<p>{writer.paragraph()}</p>",
            )
            for n in range(counts.series)
        )
        per_series = 10
        in_series = rng.sample(post_ids[:-1], min(len(post_ids) - 1, 10 * len(series)))
        SeriesPart.objects.bulk_create(
            (
                SeriesPart(
                    series=series[i // per_series],
                    position=i % per_series + 1,
                    post_id=post_id,
                )
                for i, post_id in enumerate(sorted(in_series))
            ),
            batch_size=2_000,
        )
    progress(f"{len(series)} series", started)

    # Comments in threads ---------------------------------------------------
    pool = [writer.comment() for _ in range(3_000)]
    rendered = [render_body(text) for text in pool]
    next_id = (
        Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    made_comments = 0
    ordinary = counts.comments - THREAD_COMMENTS
    per_post = [0] * len(post_ids)
    for _ in range(ordinary):
        per_post[rng.randrange(len(post_ids) - 1)] += 1
    per_post[-1] = THREAD_COMMENTS
    published = dict(
        Post.objects.filter(pk__in=post_ids).values_list("pk", "published_at")
    )
    rows: list = []

    def flush() -> None:
        nonlocal rows, made_comments
        with transaction.atomic():
            Comment.objects.bulk_create(rows, batch_size=5_000)
        made_comments += len(rows)
        rows = []

    for index, post_id in enumerate(post_ids):
        when = published[post_id]
        thread: list[tuple[int, int]] = []  # (id, depth)
        for k in range(per_post[index]):
            parent_id, depth = None, 0
            if thread and rng.random() < 0.45:
                parent_id, parent_depth = rng.choice(thread[-8:])
                depth = min(parent_depth + 1, 3)
                if depth == parent_depth:
                    parent_id, depth = None, 0
            reader = rng.randrange(20_000)
            pick = rng.randrange(len(pool))
            rows.append(
                Comment(
                    id=next_id,
                    post_id=post_id,
                    parent_id=parent_id,
                    depth=depth,
                    author_name=f"Reader {reader}",
                    author_email=f"reader{reader}@example.test",
                    body=pool[pick],
                    body_html=rendered[pick],
                    status=Comment.Status.APPROVED,
                    created_at=when + timedelta(minutes=30 * (k + 1)),
                )
            )
            thread.append((next_id, depth))
            next_id += 1
        if len(rows) >= 50_000:
            flush()
            progress(f"{made_comments:,} comments", started)
    if rows:
        flush()
    progress(f"{made_comments:,} comments", started)

    # Followers ---------------------------------------------------------------
    now = datetime.now(UTC)
    with transaction.atomic():
        subscribers = Subscriber.objects.bulk_create(
            (
                Subscriber(email=f"subscriber{n:06d}@example.test", confirmed_at=now)
                for n in range(counts.subscribers)
            ),
            batch_size=5_000,
        )
        Follow.objects.bulk_create(
            (
                Follow(subscriber=s, target="site", confirmed_at=now)
                for s in subscribers
            ),
            batch_size=5_000,
        )
        actor = site_actor()
        remotes = RemoteActor.objects.bulk_create(
            (
                RemoteActor(
                    uri=f"https://social{n % 500}.example/users/reader{n}",
                    inbox=f"https://social{n % 500}.example/users/reader{n}/inbox",
                    shared_inbox=f"https://social{n % 500}.example/inbox",
                    username=f"reader{n}",
                    domain=f"social{n % 500}.example",
                    name=f"Reader {n}",
                )
                for n in range(counts.fediverse_followers)
            ),
            batch_size=2_000,
        )
        Follower.objects.bulk_create(
            (
                Follower(
                    actor=actor,
                    remote=remote,
                    state=Follower.State.ACCEPTED,
                    follow_id=f"{remote.uri}/follows/1",
                )
                for remote in remotes
            ),
            batch_size=2_000,
        )
    progress(
        f"{len(subscribers):,} email subscribers, {len(remotes):,} fediverse followers",
        started,
    )

    # Explicit comment ids: let the database's sequence catch up (PostgreSQL).
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Comment]):
            cursor.execute(statement)

    return finish(posts, jobs, started)


def finish(posts: int, jobs: int, started: float) -> dict:
    """Fill the search index, tidy the database, and describe the site's shape.

    Also the way to finish a generation that stopped in the index
    (``large_site.py finish POSTS JOBS`` in the site's environment): the
    index is an upsert.
    """
    from django.db import connection, connections

    from afterword.catalog.models import PostWork
    from afterword.posts.models import Category, Post, Tag
    from afterword.search.models import SearchDocument
    from afterword.series.models import Series

    post_ids = list(Post.objects.order_by("pk").values_list("pk", flat=True))
    # The search app's bulk path. SQLite has one writer: in-process there
    # (parallel writers wait past busy_timeout on this machine).
    if connection.vendor == "sqlite":
        jobs = 1
    pieces = [post_ids[i : i + 2_000] for i in range(0, len(post_ids), 2_000)]
    indexed = 0
    if jobs == 1:
        results = map(index_piece, pieces)
    else:
        connections.close_all()
        pool = multiprocessing.get_context("fork").Pool(jobs)
        results = pool.imap_unordered(index_piece, pieces)
    for count in results:
        indexed += count
        if indexed % 10_000 < 2_000 or indexed == len(post_ids):
            progress(f"search index: {indexed:,} documents", started)
    if jobs != 1:
        pool.close()
        pool.join()
    from afterword.search.backends import get_backend

    # What a rebuild of the index ends with (PostgreSQL: the GIN index's
    # pending list merged; SQLite: the FTS segments merged).
    get_backend().optimize()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute("ANALYZE")
    progress(f"done: {SearchDocument.objects.count():,} search documents", started)

    big_tag = Tag.objects.get(slug="film-noir")
    thread_post = Post.objects.get(slug="the-long-thread")
    month = Post.objects.get(pk=post_ids[len(post_ids) // 2]).published_at
    tag_count = big_tag.posts.count()
    page_size = int(os.environ.get("AFTERWORD_PAGE_SIZE", "10"))
    return {
        "posts": posts,
        "counts": asdict(Counts.for_posts(posts)),
        "seconds": round(time.perf_counter() - started, 1),
        "home_pages": -(-len(post_ids) // page_size),
        "thread_post": thread_post.get_absolute_url(),
        "thread_post_id": thread_post.pk,
        "tag": f"/tag/{big_tag.slug}/",
        "tag_posts": tag_count,
        "tag_pages": -(-tag_count // page_size),
        "category": f"/category/{Category.objects.order_by('pk')[0].slug}/",
        "month": f"/{month.year}/{month.month:02d}/",
        "work": "/catalog/works/work-0/",
        "work_posts": PostWork.objects.filter(work__slug="work-0").count(),
        "person": "/catalog/people/person-0/",
        "series": f"/series/{Series.objects.order_by('pk')[0].slug}/",
    }


def database_size() -> int:
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    name = Path(settings.DATABASES["default"]["NAME"])
    return sum(
        p.stat().st_size for p in name.parent.glob(name.name + "*") if p.is_file()
    )


# ---------------------------------------------------------------------------
# The cases


@dataclass
class Case:
    name: str
    path: str
    kind: str  # "public", "search", "desk"


def cases(shape: dict) -> list[Case]:
    last_home = min(500, shape["home_pages"])
    tag_last = shape["tag_pages"]
    public = [
        ("home", "/"),
        (f"home, page {last_home}", f"/page/{last_home}/" if last_home > 1 else "/"),
        (f"post, {THREAD_COMMENTS} comments", shape["thread_post"]),
        (f"tag ({shape['tag_posts']:,} posts), page 1", shape["tag"]),
        (f"tag, last page ({tag_last})", f"{shape['tag']}?page={tag_last}"),
        ("month archive", shape["month"]),
        (f"work ({shape['work_posts']:,} posts)", shape["work"]),
        (f"person ({BIG_PERSON_CREDITS:,} credits)", shape["person"]),
        ("series", shape["series"]),
        ("feed: site RSS", "/feed/"),
        ("feed: site Atom", "/feed/atom/"),
        ("feed: tag", f"{shape['tag']}feed/"),
        ("feed: category", f"{shape['category']}feed/"),
        ("feed: comments", "/comments/feed/"),
        ("feed: post's comments", f"/comments/feed/{shape['thread_post_id']}/"),
        ("feed: series", f"{shape['series']}feed/"),
        ("feed: work", f"{shape['work']}feed/"),
        ("feed: person", f"{shape['person']}feed/"),
        ("sitemap.xml", "/sitemap.xml"),
    ] + [
        (f"sitemap part {label}", part)
        for label, part in zip(
            ("first", "last", "of posts (last)"),
            shape.get("sitemap_parts", []),
            strict=False,
        )
    ]
    search = [
        (f"search: common word ({COMMON_WORD})", f"/search/?q={COMMON_WORD}"),
        (f"search: rare word ({RARE_WORD})", f"/search/?q={RARE_WORD}"),
        (f'search: phrase "{PHRASE}"', "/search/?q=" + quote(f'"{PHRASE}"')),
    ]
    desk = [
        ("desk: posts", "/desk/write/"),
        ("desk: comments", "/desk/comments/"),
        ("desk: works", "/desk/catalog/?list=works"),
    ]
    return (
        [Case(n, p, "public") for n, p in public]
        + [Case(n, p, "search") for n, p in search]
        + [Case(n, p, "desk") for n, p in desk]
    )


def admin_cookie() -> str:
    """A session cookie of the administrator (in the site's own settings)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(
        get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    )
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def count_queries(shape: dict) -> dict:
    """Queries and in-process time per case, with Django's test client."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    anonymous = Client(HTTP_HOST="127.0.0.1")
    admin = Client(HTTP_HOST="127.0.0.1")
    admin.force_login(
        get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    )
    found = {}
    for case in cases(shape):
        client = admin if case.kind == "desk" else anonymous
        client.get(case.path)  # warm: templates, fragment cache
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(case.path)
            elapsed = (time.perf_counter() - started) * 1000
        # Read now: each request's start clears the connection's query log.
        queries = list(captured.captured_queries)
        # The quickest of up to twenty, for at most a second (other load on
        # the machine only adds, and on a busy host three were not enough
        # for the growth column to mean much: bench/growth.py is steadier).
        spent = elapsed
        for _ in range(19):
            if spent > 1_000:
                break
            started = time.perf_counter()
            client.get(case.path)
            took = (time.perf_counter() - started) * 1000
            elapsed, spent = min(elapsed, took), spent + took
        found[case.name] = {
            "status": response.status_code,
            "queries": len(queries),
            "ms": round(elapsed, 2),
            "bytes": len(response.content),
            "slowest_sql": [
                f"{float(q['time']) * 1000:.0f} ms: {' '.join(q['sql'].split())[:160]}"
                for q in sorted(queries, key=lambda q: -float(q["time"]))[:2]
            ],
            "slowest_sql_ms": round(
                max(
                    (float(q["time"]) * 1000 for q in queries),
                    default=0.0,
                ),
                2,
            ),
        }
        print(
            f"  {case.name:<36} {response.status_code}  "
            f"{found[case.name]['queries']:>4} queries  {elapsed:8.1f} ms",
            file=sys.stderr,
            flush=True,
        )
    return found


COLD_KINDS = (
    "post",
    "post's comment feed",
    "tag, page 1",
    "tag feed",
    "month archive",
    "work",
    "work feed",
    "person",
    "person feed",
)


def cold_addresses(per_kind: int, seed: int = 7) -> dict[str, list[str]]:
    """``per_kind`` addresses of each kind in ``COLD_KINDS``, chosen at random
    among the site's posts, terms, works and people."""
    from afterword.catalog.models import Person, Work
    from afterword.posts.models import Post, Tag

    rng = random.Random(seed)

    def sample(model, **filters) -> list:
        ids = list(model.objects.filter(**filters).values_list("pk", flat=True))
        chosen = rng.sample(ids, min(per_kind, len(ids)))
        return list(model.objects.filter(pk__in=chosen).order_by("?"))

    posts = sample(Post, kind="post", status="published")
    works, people, tags = sample(Work), sample(Person), sample(Tag)
    months = sorted({f"/{p.published_at:%Y}/{p.published_at:%m}/" for p in posts})[
        :per_kind
    ]
    return {
        "post": [p.get_absolute_url() for p in posts],
        "post's comment feed": [f"/comments/feed/{p.pk}/" for p in posts],
        "tag, page 1": [t.get_absolute_url() for t in tags],
        "tag feed": [t.get_absolute_url() + "feed/" for t in tags],
        "month archive": months,
        "work": [w.get_absolute_url() for w in works],
        "work feed": [w.get_absolute_url() + "feed/" for w in works],
        "person": [p.get_absolute_url() for p in people],
        "person feed": [p.get_absolute_url() + "feed/" for p in people],
    }


def cold_pages(per_kind: int) -> dict:
    """Each kind's pages asked once each, in-process, page cache off.

    The wrk runs ask one address again and again, which the content memo
    answers from the second request on; most of a large site's requests
    (crawlers, the static build, the long tail of readers) are an address
    asked once. Mean, 90th percentile and slowest request, in ms.
    """
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/")  # templates loaded
    found = {}
    for kind, paths in cold_addresses(per_kind).items():
        times = []
        for path in paths:
            started = time.perf_counter()
            status = client.get(path).status_code
            times.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
        times.sort()
        found[kind] = {
            "pages": len(times),
            "mean_ms": round(sum(times) / len(times), 1),
            "p90_ms": round(times[int(0.9 * (len(times) - 1))], 1),
            "max_ms": round(times[-1], 1),
        }
        figures = found[kind]
        print(
            f"  {kind:<22} {len(times):>4} pages, mean {figures['mean_ms']:7.1f} ms,"
            f" p90 {figures['p90_ms']:7.1f}, slowest {figures['max_ms']:7.1f}",
            file=sys.stderr,
            flush=True,
        )
    return found


def sitemap_parts() -> list[str]:
    """The first and last part named by /sitemap.xml when it is an index,
    and the last part of posts (the largest kind of part)."""
    from django.test import Client

    body = Client(HTTP_HOST="127.0.0.1").get("/sitemap.xml").content.decode()
    if "<sitemapindex" not in body:
        return []
    parts = [
        urlsplit(loc).path + (f"?{urlsplit(loc).query}" if urlsplit(loc).query else "")
        for loc in re.findall(r"<loc>([^<]+)</loc>", body)
    ]
    if len(parts) < 2:
        return parts
    of_posts = [part for part in parts if "sitemap-posts" in part]
    return [parts[0], parts[-1], *of_posts[-1:]]


def profile(path: str, top: int = 25) -> None:
    """cProfile of one uncached request in-process (``profile PATH``)."""
    import cProfile
    import pstats

    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if path.startswith("/desk/"):
        client.force_login(
            get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        )
    client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(path)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


# ---------------------------------------------------------------------------
# Measuring


def wrk_case(
    name: str, url: str, args, headers: dict[str, str] | None = None
) -> run.Result:
    """wrk as bench/run.py runs it, with a timeout long enough for slow pages."""
    if not shutil.which("wrk") or args.python_load:
        return run.measure(name, url, args, headers)
    results = []
    for seconds in (args.warmup, args.seconds):
        command = [
            "wrk",
            "--latency",
            "--timeout",
            "30s",
            "-t2",
            f"-c{args.connections}",
            f"-d{seconds}s",
        ]
        for header, value in (headers or {}).items():
            command += ["-H", f"{header}: {value}"]
        completed = subprocess.run(
            command + [url], capture_output=True, text=True, check=True
        )
        results.append(run.parse_wrk(name, completed.stdout))
    result = results[-1]
    print(
        f"  {name:<38} {result.requests_per_second:>9,.0f} req/s"
        f"  p50 {result.p50_ms:8.2f} ms  p99 {result.p99_ms:8.2f} ms"
        + (f"  errors {result.errors}" if result.errors else ""),
        flush=True,
    )
    return result


def worker_rss(server_pid: int) -> list[float]:
    """RSS in MB of the granian processes in the server's process group."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) != server_pid:  # process group
                continue
            status = (entry / "status").read_text()
        except (OSError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                found.append((int(entry.name), int(line.split()[1]) / 1024))
    # The first process of the group is granian's supervisor; the rest serve.
    return [round(mb, 1) for pid, mb in sorted(found) if pid != server_pid] or [
        round(mb, 1) for _, mb in found
    ]


def mixed_load(base: str, paths: list[str], args) -> dict:
    """``--mixed-requests`` GETs, rotating over every public page kind, from
    ``--connections`` keep-alive clients (bounded by ``--mixed-seconds``)."""
    parsed = urlsplit(base)
    lock = threading.Lock()
    state = {"sent": 0, "errors": 0}
    deadline = time.monotonic() + args.mixed_seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(
            parsed.hostname, parsed.port, timeout=60
        )
        while time.monotonic() < deadline:
            with lock:
                if state["sent"] >= args.mixed_requests:
                    break
                number = state["sent"]
                state["sent"] += 1
            try:
                connection.request("GET", paths[number % len(paths)])
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    state["errors"] += 1
            except OSError:
                state["errors"] += 1
                connection.close()
                connection = http.client.HTTPConnection(
                    parsed.hostname, parsed.port, timeout=60
                )
        connection.close()

    started = time.perf_counter()
    threads = [
        threading.Thread(target=client, args=(i,)) for i in range(args.connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "requests": state["sent"],
        "errors": state["errors"],
        "seconds": round(time.perf_counter() - started, 1),
    }


class Server:
    """``afterword serve`` like run.app_server, keeping the process for its RSS."""

    def __init__(self, env: dict, port: int, workers: int, log: Path):
        self.env, self.port, self.workers, self.log = env, port, workers, log

    def __enter__(self):
        command = [
            str(run.BIN / "afterword"),
            "serve",
            "--host",
            run.HOST,
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--no-worker",
        ]
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                command,
                env=self.env,
                stdout=output,
                stderr=output,
                start_new_session=True,
            )
        run.wait_until_up(f"http://{run.HOST}:{self.port}/robots.txt", timeout=120)
        return self

    def __exit__(self, *exc):
        run.stop(self.process)


def wait_idle(base: str, bound: float = 300.0) -> None:
    """Wait until the workers have drained what the last wrk run queued.

    wrk stops sending after its run, but requests of a slow page already
    queued at the two workers are still served for a while; the next case's
    first request would wait behind them.
    """
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        started = time.perf_counter()
        status, _ = fetch_with(base + "/robots.txt", {})
        if status == 200 and time.perf_counter() - started < 0.5:
            return
        time.sleep(0.5)


def in_site(env: dict, *arguments: str, capture: bool = True) -> str:
    completed = subprocess.run(
        [sys.executable, __file__, *arguments],
        env=env,
        stdout=subprocess.PIPE if capture else None,
        text=True,
        check=True,
    )
    return completed.stdout if capture else ""


def site_env(folder: Path, database: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "afterword.config.settings.base",
        "AFTERWORD_DATA_DIR": str(folder / "site"),
        "AFTERWORD_ALLOWED_HOSTS": f"{run.HOST},localhost",
        "AFTERWORD_DEBUG": "0",
        "AFTERWORD_LOG_LEVEL": "ERROR",
        "PYTHONPATH": os.pathsep.join(
            [str(run.ROOT / "src"), os.environ.get("PYTHONPATH", "")]
        ),
    }
    env.pop("AFTERWORD_CACHE_URL", None)
    if database:
        env["DATABASE_URL"] = database
    else:
        env.pop("DATABASE_URL", None)
    return env


def recreate_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def build(folder: Path, posts: int, database: str, jobs: int) -> dict:
    """A new site in ``folder`` with ``posts`` posts; returns its shape."""
    env = site_env(folder, database)
    log = folder / "bench.log"
    if database:
        recreate_postgres(database)
    print(f"Setting up the site in {folder} ({database or 'SQLite'})", flush=True)
    started = time.perf_counter()
    with log.open("ab") as output:
        subprocess.run(
            [str(run.BIN / "afterword"), "setup_site", "--no-demo"],
            env=env,
            stdout=output,
            stderr=output,
            check=True,
        )
    shape = json.loads(
        in_site(env, "generate", str(posts), str(jobs)).strip().splitlines()[-1]
    )
    shape["generate_seconds"] = round(time.perf_counter() - started, 1)
    shape["database"] = database or "sqlite"
    shape["database_bytes"] = int(in_site(env, "size").strip())
    (folder / "site.json").write_text(json.dumps(shape, indent=2))
    print(
        f"Generated in {shape['generate_seconds']:.0f} s; database "
        f"{shape['database_bytes'] / 1e6:,.0f} MB",
        flush=True,
    )
    return shape


def measure_site(folder: Path, args) -> dict:
    shape = json.loads((folder / "site.json").read_text())
    database = "" if shape["database"] == "sqlite" else shape["database"]
    env = site_env(folder, database)
    log = folder / "bench.log"
    # A sitemap split into parts since the last run is measured part by part.
    shape["sitemap_parts"] = json.loads(in_site(env, "sitemap").strip())
    (folder / "site.json").write_text(json.dumps(shape, indent=2))
    print("Queries per page kind (in-process, page cache off):", flush=True)
    queries = json.loads(
        in_site({**env, "AFTERWORD_PAGE_CACHE": "0"}, "queries").strip()
    )
    cold = {}
    if args.cold:
        print(f"Pages asked once ({args.cold} of each kind):", flush=True)
        uncached = {**env, "AFTERWORD_PAGE_CACHE": "0"}
        cold = json.loads(in_site(uncached, "cold", str(args.cold)).strip())
    cookie = in_site(env, "cookie").strip()
    port = run.free_port()
    base = f"http://{run.HOST}:{port}"
    found: dict[str, dict] = {}
    everything = [c for c in cases(shape) if re.search(args.only or "", c.name)]
    memory = {}
    for cached in (False, True):
        label = "page cache on" if cached else "page cache off"
        print(f"App, {label}:", flush=True)
        server_env = {**env, "AFTERWORD_PAGE_CACHE": "1" if cached else "0"}
        with Server(server_env, port, args.workers, log) as server:
            for case in everything:
                if cached and case.kind == "desk":
                    continue
                headers = {"Cookie": cookie} if case.kind == "desk" else None
                url = base + case.path
                entry = found.setdefault(
                    case.name, {"kind": case.kind, "path": case.path}
                )
                key = "cached" if cached else "uncached"
                wait_idle(base)
                started = time.perf_counter()
                status, answer_headers = fetch_with(url, headers or {})
                single = (time.perf_counter() - started) * 1000
                if cached and status == 200:  # the first answer filled the cache
                    started = time.perf_counter()
                    status, answer_headers = fetch_with(url, headers or {})
                    single = (time.perf_counter() - started) * 1000
                if status != 200:
                    print(f"  {case.name:<38} answered {status}; skipped", flush=True)
                    entry[key] = {"status": status, "single_ms": round(single)}
                    continue
                if single > SLOW_MS:
                    # wrk would see nothing finish within a short run.
                    print(
                        f"  {case.name:<38} one request took {single:,.0f} ms; "
                        "not loaded",
                        flush=True,
                    )
                    entry[key] = {"rps": 0.0, "single_ms": round(single)}
                    continue
                result = wrk_case(case.name, url, args, headers)
                entry[key] = {
                    "single_ms": round(single),
                    "rps": round(result.requests_per_second, 1),
                    "p50_ms": result.p50_ms,
                    "p99_ms": result.p99_ms,
                    "errors": result.errors,
                    "page_cache": answer_headers.get("X-Page-Cache", ""),
                }
            if not cached and not args.only:
                paths = [c.path for c in everything if c.kind != "desk"]
                print(f"Mixed load ({args.mixed_requests:,} requests) ...", flush=True)
                memory = mixed_load(base, paths, args)
                memory["worker_rss_mb"] = worker_rss(server.process.pid)
                print(
                    f"  {memory['requests']:,} requests in {memory['seconds']} s; "
                    f"worker RSS {memory['worker_rss_mb']} MB",
                    flush=True,
                )
    for name, entry in found.items():
        entry["in_process"] = queries.get(name, {})
    result = {
        "shape": shape,
        "cases": found,
        "memory": memory,
        "cold": cold,
        "when": datetime.now(UTC).isoformat(timespec="minutes"),
        "load": os.getloadavg(),
    }
    # A run of some page kinds keeps the last full run's file.
    out = folder / f"results-{shape['posts']}{'-some' if args.only else ''}.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"Saved {out}", flush=True)
    return result


# ---------------------------------------------------------------------------
# The table


def verdict(entry: dict) -> str:
    uncached = entry.get("uncached", {})
    if "rps" not in uncached:
        return "not measured"
    if entry["kind"] == "desk":
        return "-"
    if not uncached["rps"]:
        single = uncached.get("single_ms")
        if single is None:
            return "MISS: nothing answered within the run"
        return f"MISS: one request alone took {single:,} ms"
    if entry["kind"] == "desk":
        return "-"
    p99, rps = uncached["p99_ms"], uncached["rps"]
    misses = []
    if entry["kind"] == "search":
        if not p99 <= SEARCH_P99_MS:
            misses.append(f"p99>{SEARCH_P99_MS:.0f}")
    else:
        if not p99 <= PUBLIC_P99_MS:
            misses.append(f"p99>{PUBLIC_P99_MS:.0f}")
        if rps < PUBLIC_RPS:
            misses.append(f"<{PUBLIC_RPS:.0f}/s")
    return "ok" if not misses else "MISS " + ",".join(misses)


def fmt(value: float | None, pattern: str = "{:,.1f}") -> str:
    if not value or value != value:  # 0 or NaN: nothing completed in the run
        return "-"
    return pattern.format(value)


def growth_of(big: dict, small: dict) -> str:
    """p99 ratio (uncached) and the in-process time ratio, big / small."""
    a = big.get("uncached", {}).get("p99_ms")
    b = small.get("uncached", {}).get("p99_ms")
    c = big.get("in_process", {}).get("ms")
    d = small.get("in_process", {}).get("ms")
    p99 = f"{a / b:.1f}x" if a and b and a == a and b == b else "-"
    cpu = f"{c / d:.1f}x" if c and d else "-"
    return f"{p99} / {cpu}"


def table(result: dict, smaller: dict | None = None) -> str:
    shape = result["shape"]
    lines = [
        f"### {shape['posts']:,} posts on {shape['database'].split('@')[-1]} "
        f"(measured {result.get('when', '?')}, load average "
        f"{', '.join(f'{x:.1f}' for x in result.get('load', []))})",
        "",
        f"Generated in {shape['generate_seconds']:,.0f} s; database "
        f"{shape['database_bytes'] / 1e6:,.0f} MB; counts {shape['counts']}.",
        "",
    ]
    head = (
        "| page kind | uncached req/s | p50 ms | p99 ms | one request ms | cached req/s"
        " | cached p99 ms | queries | in-process ms | target |"
    )
    rule = "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    if smaller:
        head += (
            f" {smaller['shape']['posts']:,}: p99 ms | queries | growth p99 / time |"
        )
        rule += "---:|---:|---:|"
    lines += [head, rule]
    small_cases = list((smaller or {}).get("cases", {}).items())
    for index, (name, entry) in enumerate(result["cases"].items()):
        u, c, q = (
            entry.get("uncached", {}),
            entry.get("cached", {}),
            entry.get("in_process", {}),
        )
        row = (
            f"| {name} | {fmt(u.get('rps'), '{:,.0f}')} | {fmt(u.get('p50_ms'))} "
            f"| {fmt(u.get('p99_ms'))} | {fmt(u.get('single_ms'), '{:,.0f}')} "
            f"| {fmt(c.get('rps'), '{:,.0f}')} "
            f"| {fmt(c.get('p99_ms'))} | {q.get('queries', '-')} | {fmt(q.get('ms'))} "
            f"| {verdict(entry)} |"
        )
        if smaller:
            # Same position, same page kind (names carry size-dependent counts).
            other = small_cases[index][1] if index < len(small_cases) else {}
            su = other.get("uncached", {})
            small_queries = other.get("in_process", {}).get("queries", "-")
            row += (
                f" {fmt(su.get('p99_ms'))} | {small_queries}"
                f" | {growth_of(entry, other)} |"
            )
        lines.append(row)
    cold = result.get("cold", {})
    if cold:
        lines += [
            "",
            "Pages asked once each (in-process, page cache off, nothing kept "
            "for them yet):",
            "",
            "| page kind | pages | mean ms | p90 ms | slowest ms |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {kind} | {c['pages']} | {c['mean_ms']:,.1f} | {c['p90_ms']:,.1f} "
            f"| {c['max_ms']:,.1f} |"
            for kind, c in cold.items()
        ]
    memory = result.get("memory", {})
    if memory:
        worst = max(memory.get("worker_rss_mb") or [0])
        lines += [
            "",
            f"Worker RSS after {memory['requests']:,} mixed requests "
            f"({memory['seconds']} s): {memory['worker_rss_mb']} MB "
            f"({'ok' if worst <= RSS_MB else 'MISS'}: target <= {RSS_MB:.0f} MB).",
        ]
    return "\n".join(lines)


def print_table(result: dict, smaller: dict | None) -> None:
    print()
    print(table(result, smaller))
    print(
        f"\nTargets: public pages uncached p99 <= {PUBLIC_P99_MS:.0f} ms and >= "
        f"{PUBLIC_RPS:.0f} req/s; search p99 <= {SEARCH_P99_MS:.0f} ms; worker RSS <= "
        f"{RSS_MB:.0f} MB; growth <= {GROWTH}x except search (p99 ratio / "
        "in-process time ratio)."
    )


# ---------------------------------------------------------------------------


def fetch_with(url: str, headers: dict[str, str]) -> tuple[int, object]:
    """GET with extra headers (the desk's session cookie); status and headers."""
    request = urllib.request.Request(
        url, headers={"User-Agent": "afterword-bench", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            response.read()
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers
    except OSError as error:  # a timeout, a reset
        return type(error).__name__, {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument(
        "--database", default="", help="a postgres:// URL (default: SQLite, WAL)"
    )
    parser.add_argument(
        "--compare-posts",
        type=int,
        default=0,
        help="also build and measure a site of this size, side by side",
    )
    parser.add_argument(
        "--reuse", type=Path, help="measure this kept site folder again"
    )
    parser.add_argument(
        "--table",
        nargs="+",
        type=Path,
        help="print saved results (a larger, then a smaller run)",
    )
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument(
        "--jobs", type=int, default=2, help="processes rendering and indexing posts"
    )
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mixed-requests", type=int, default=MIXED_REQUESTS)
    parser.add_argument(
        "--mixed-seconds", type=int, default=300, help="bound on the mixed load"
    )
    parser.add_argument("--python-load", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the site folder(s)")
    parser.add_argument(
        "--cold",
        type=int,
        default=50,
        help="addresses of each kind asked once each, in-process (0: none)",
    )
    parser.add_argument(
        "--only",
        help="measure only the page kinds whose name matches this regular "
        "expression ('search'), without the mixed load",
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    if args.table:
        results = [json.loads(p.read_text()) for p in args.table]
        print_table(results[0], results[1] if len(results) > 1 else None)
        return
    run.ensure_wrk()
    made: list[tuple[Path, str]] = []
    results = []
    try:
        sizes = [args.posts] + ([args.compare_posts] if args.compare_posts else [])
        for number, posts in enumerate(sizes):
            if args.reuse and number == 0:
                folder = args.reuse
            else:
                folder = Path(tempfile.mkdtemp(prefix=f"afterword-large-{posts}-"))
                database = args.database
                if database and number:
                    parts = urlsplit(database)
                    database = parts._replace(path=f"{parts.path}_{posts}").geturl()
                made.append((folder, database))
                build(folder, posts, database, args.jobs)
            if not args.generate_only:
                results.append(measure_site(folder, args))
        if results:
            print_table(results[0], results[1] if len(results) > 1 else None)
    finally:
        for folder, database in made:
            if args.keep or args.generate_only:
                print(f"Kept {folder}" + (f" and {database}" if database else ""))
            else:
                shutil.rmtree(folder, ignore_errors=True)
                if database:
                    import psycopg

                    parts = urlsplit(database)
                    admin = parts._replace(path="/postgres").geturl()
                    with psycopg.connect(admin, autocommit=True) as connection:
                        name = parts.path.lstrip("/")
                        connection.execute(
                            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
                        )


INSIDE = {
    "generate",
    "finish",
    "size",
    "queries",
    "cookie",
    "profile",
    "sitemap",
    "cold",
}


def inside() -> None:
    """The commands that run in the site's own process and settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "afterword.config.settings.base")
    import django

    django.setup()
    command = sys.argv[1]
    if command == "generate":
        print(json.dumps(generate(int(sys.argv[2]), jobs=int(sys.argv[3]))))
    elif command == "finish":
        print(
            json.dumps(finish(int(sys.argv[2]), int(sys.argv[3]), time.perf_counter()))
        )
    elif command == "size":
        print(database_size())
    elif command == "queries":
        shape = json.loads(
            (Path(os.environ["AFTERWORD_DATA_DIR"]).parent / "site.json").read_text()
        )
        print(json.dumps(count_queries(shape)))
    elif command == "sitemap":
        print(json.dumps(sitemap_parts()))
    elif command == "cookie":
        print(admin_cookie())
    elif command == "profile":
        profile(sys.argv[2])
    elif command == "cold":
        print(json.dumps(cold_pages(int(sys.argv[2]))))


if __name__ == "__main__":
    if sys.argv[1:2] and sys.argv[1] in INSIDE:
        inside()
    else:
        main()
