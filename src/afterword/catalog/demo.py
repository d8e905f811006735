"""The catalog's part of the demo site (called by ``afterword load_demo``).

Loads ``fixtures/demo_catalog.json`` through the catalog importer (so a
second run updates nothing and duplicates nothing): the anthology *Memories*
(1995) with its three segments, each with its own director, the works its
people also made, two releases of the anthology (one out of print) and
relations between works. Then it links the core demo posts to the works
they review, with ratings, and appends a short credits paragraph with inline
references to each (once).
"""

from __future__ import annotations

from pathlib import Path

from afterword.posts.actions import save_post

from . import actions
from .importing import import_file
from .models import Work

CATALOG_FILE = Path(__file__).parent / "fixtures" / "demo_catalog.json"

# post slug -> (primary work, rating, other works, credits paragraph)
POST_LINKS = {
    "memories-part-1-magnetic-rose": (
        "magnetic-rose-1995",
        "4.5",
        ["memories-1995"],
        "*Credits:* [[work:magnetic-rose-1995|Magnetic Rose]], the first segment of "
        "[[Memories (1995)]]: directed by [[Koji Morimoto]], screenplay by "
        "[[Satoshi Kon]], music by [[Yoko Kanno]], from a story by "
        "[[person:katsuhiro-otomo|Katsuhiro Otomo]].",
    ),
    "memories-part-2-stink-bomb": (
        "stink-bomb-1995",
        None,
        ["memories-1995"],
        "*Credits:* [[work:stink-bomb-1995|Stink Bomb]], the second segment of "
        "[[Memories (1995)]]: directed by [[Tensai Okamura]], music by "
        "[[Jun Miyake]], from a story by [[person:katsuhiro-otomo|Katsuhiro Otomo]].",
    ),
    "perfect-blue": (
        "perfect-blue-1997",
        "5",
        [],
        "*Credits:* [[Perfect Blue (1997)]], directed by [[Satoshi Kon]], "
        "screenplay by [[Sadayuki Murai]], music by [[Masahiro Ikumi]]. Kon had "
        "written [[work:magnetic-rose-1995|Magnetic Rose]] two years before.",
    ),
    "millennium-actress": (
        "millennium-actress-2001",
        "4.5",
        [],
        "*Credits:* [[Millennium Actress (2001)]], directed by [[Satoshi Kon]], "
        "music by [[Susumu Hirasawa]].",
    ),
    "tokyo-godfathers": (
        "tokyo-godfathers-2003",
        "4",
        [],
        "*Credits:* [[Tokyo Godfathers (2003)]], directed by [[Satoshi Kon]], "
        "music by [[Keiichi Suzuki]].",
    ),
    "solaris-novel": (
        "solaris-1961",
        "4",
        [],
        "*Credits:* [[Solaris (1961)]] by [[Stanisław Lem]]; filmed by "
        "[[Andrei Tarkovsky]] as [[work:solaris-1972|Solaris (1972)]] and by "
        "[[Steven Soderbergh]] as [[work:solaris-2002|Solaris (2002)]].",
    ),
    "outer-wilds": (
        "outer-wilds-2019",
        "5",
        [],
        "*Credits:* [[Outer Wilds (2019)]], made by Mobius Digital.",
    ),
}

MARKER = "*Credits:*"


def load(context) -> None:
    report = import_file(CATALOG_FILE)
    for line in report.lines():
        context.log(f"Catalog: {line}")
    works = {w.slug: w for w in Work.objects.all()}
    for slug, (primary, rating, others, credits) in POST_LINKS.items():
        post = context.posts.get(slug)
        if post is None:
            continue
        actions.link_post_to_work(post, works[primary], primary=True, rating=rating)
        for other in others:
            actions.link_post_to_work(post, works[other])
        if MARKER not in post.body:
            post.body = post.body.rstrip() + "\n\n" + credits + "\n"
            save_post(post, note="Demo: catalog credits")
