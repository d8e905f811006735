"""``afterword load_demo``: fill an empty site with an original demo review blog.

The core demo (``afterword/instance/demo/``) is a small review blog by one writer:
eight posts (among them Part 1 of a series on *Memories* (1995), Part 2 as a
draft, a sticky post and a post scheduled a few days ahead), an About page,
fourteen generated images with alt text and captions, tags and four categories.
``setup_site`` runs this command; it does nothing when the site already has
posts, so ``make run`` can run it every time.

Apps add their own demo objects
-------------------------------
After the core content is in, every installed app that has a ``demo`` module
(``afterword/series/demo.py``, ``afterword/catalog/demo.py`` ...) gets its
``load(context)`` called, in ``INSTALLED_APPS`` order, inside the same
transaction. ``context`` is an ``afterword.instance.demo.loader.DemoContext``:

``context.author``
    the demo writer (username ``ada``) who signs the demo posts;
``context.admin``
    the site's first superuser, or None if there is none yet;
``context.posts``
    every core demo post and page by slug, drafts included, e.g.
    ``context.posts["memories-part-1-magnetic-rose"]`` (published) and
    ``context.posts["memories-part-2-stink-bomb"]`` (draft; Part 3 is not
    written yet);
``context.images``, ``context.tags``, ``context.categories``
    library images by demo key (see ``instance/demo/images.py``), tags and
    categories by slug;
``context.now``
    the reference time the demo's relative dates were computed from;
``context.log(message)``
    writes one line to the command's output.

A ``load`` function should save through the app's actions (posts only
through ``posts.actions.SavePost``) and look objects up by slug before
creating them, so that ``load_demo --force`` never duplicates anything.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from afterword.instance.demo.loader import load_demo, site_is_empty


class Command(BaseCommand):
    help = "Load the demo review blog into a site that has no posts yet."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Load even if the site has posts; demo objects that already "
                "exist (same slug) are kept as they are."
            ),
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not force and not site_is_empty():
            self.stdout.write("The site already has posts; demo content not loaded.")
            return
        load_demo(log=self.stdout.write)
