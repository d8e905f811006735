"""The two writes of the stats app: a page view and a feed fetch.

Both only add one to daily counters (``counting.bump``); neither announces
anything, since readers never see these tables. Neither opens a
transaction: each statement of ``bump`` is atomic on its own and the steps
are safe in any interleaving, while a transaction would hold SQLite's write
lock across them on every page view.
"""

from __future__ import annotations

from afterword.core.actions import Action
from afterword.posts.models import Post

from .counting import MAX_REFERRERS_PER_DAY, bump, today
from .models import DailyFeedFetches, DailyPageViews, DailyReferrer
from .pages import Page


class Counter(Action):
    """An action whose every statement stands alone (see the module)."""

    def run(self):
        self.check()
        return self.execute()


class CountPageView(Counter):
    """One view of a counted page, with the referring domain if any.

    ``run()`` returns False, counting nothing, when the page is a post that
    is no longer live (or never existed): only live posts are counted, and
    no row is made for a post id the site does not show.
    """

    name = "stats.count_page_view"

    def __init__(self, page: Page, referrer: str = "", *, user=None) -> None:
        super().__init__(user=user)
        self.page = page
        self.referrer = referrer

    def execute(self) -> bool:
        day = today()
        if self.page.post_id is not None:
            post = Post.objects.filter(pk=self.page.post_id).first()
            if post is None or not post.is_live():
                return False
            where = {"post_id": post.pk}
            bump(DailyPageViews, "views", day=day, **where)
        else:
            where = {"post": None}
            bump(DailyPageViews, "views", day=day, post=None, path=self.page.path)
        if self.referrer:
            domain = self.referrer
            known = DailyReferrer.objects.filter(day=day, domain=domain, **where)
            if not known.exists() and self._referrers_full(day):
                domain = ""
            bump(DailyReferrer, "views", day=day, domain=domain, **where)
        return True

    @staticmethod
    def _referrers_full(day) -> bool:
        # Counted over the whole site: rows a flood of invented domains could
        # make are bounded per day, whichever pages they name.
        return (
            DailyReferrer.objects.filter(day=day).values("domain").distinct().count()
            >= MAX_REFERRERS_PER_DAY
        )


class CountFeedFetch(Counter):
    """Fetches of a feed, by the feed's URL name (one, today, by default;
    ``feedcounts`` writes a process's fetches a few seconds at a time)."""

    name = "stats.count_feed_fetch"

    def __init__(self, feed: str, *, fetches: int = 1, day=None, user=None) -> None:
        super().__init__(user=user)
        self.feed = feed
        self.fetches = fetches
        self.day = day

    def execute(self) -> None:
        bump(
            DailyFeedFetches,
            "fetches",
            by=self.fetches,
            day=self.day or today(),
            feed=self.feed,
        )
