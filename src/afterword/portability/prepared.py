"""The static build's data, read once: what the busiest views would query
again on every page.

A site of 2,000 posts builds about 6,000 pages, and nearly all of them are a
post, a post's comment feed, or a page of some listing (home, tag, category,
author, month). Rendered through their views one address at a time, those
pages spend most of their time in queries that each fetch a sliver of the
same few tables. ``PreparedSite`` reads those tables once, before the
build's worker processes start (they inherit it), and renders such pages
through **the same view classes and templates** with the data handed in:

* a listing runs its view's own ``find_subject()`` and ``get_queryset()``
  for the ids only (once per listing, not per page) and pages through the
  loaded posts, with every post's comment count and reviewed work given to
  the template tags that would otherwise count them page by page;
* a post page gets its terms and neighbours from the loaded posts; its
  thread, series contents, catalog panels, webmentions and imported pings
  were loaded for all posts at once (``threads.prefetch_approved``,
  ``toc.preload``, ``queries.preload_post_links``, ``mentions_of_posts``);
* a feed of posts (the site's, a tag's, a category's) queries only which
  posts it lists; a post's comment feed reads the comments loaded with it.

A site with too many posts to hold at once (``staticsite.PREPARE_UP_TO``)
is read a batch of addresses at a time instead (``of_batch``): the posts
whose pages and comment feeds are in the batch, with the same preloading,
and their neighbours in three queries; every listing comes from its view.

Anything else, or anything this cannot vouch for (an address that is not the
post's own, a post that went live after loading), falls back to the view
itself. tests/portability/test_static_prepared.py renders a site all three
ways and compares every byte.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import ResolverMatch

from afterword.catalog import queries as catalog_queries
from afterword.catalog.templatetags.catalog import LIST_LINKS_KEY
from afterword.discussion import threads
from afterword.discussion.feeds import PostCommentsRss
from afterword.discussion.templatetags.discussion import COUNTS_KEY
from afterword.feeds.feeds import FEED_SIZE, PostFeed
from afterword.posts import views as post_views
from afterword.posts.models import Post
from afterword.series import toc
from afterword.webmention.templatetags.webmention import (
    MENTIONS_KEY,
    mentions_of_posts,
)

LISTINGS = (
    post_views.HomeView,
    post_views.TagView,
    post_views.CategoryView,
    post_views.AuthorView,
    post_views.MonthView,
)

Renderer = Callable[[HttpRequest, ResolverMatch], HttpResponse | None]
# The most posts a batch's neighbours are read from at once.
NEIGHBOURS_SPAN = 1_000


class PreparedSite:
    """Every listed post with what its pages print, loaded in a few queries.

    Only listed posts (``listed_condition``): listings and neighbours are
    built from this list. An unlisted post's page is rendered by its view.
    """

    def __init__(self, only: Q | None = None) -> None:
        """Every listed post, or with ``only`` the listed posts it selects:
        a batch's, on a site too large to hold (``of_batch``)."""
        posts = Post.objects.posts().listed()
        if only is not None:
            posts = posts.filter(only)
        posts = list(
            posts.select_related("author", "featured_image")
            .prefetch_related("tags", "categories", "featured_image__renditions")
            .order_by("-published_at", "-id")
        )
        threads.prefetch_approved(posts)
        toc.preload(posts)
        catalog_queries.preload_post_links(posts)
        # The whole site: listings and neighbours come from this list too.
        self.whole = only is None
        self.posts = posts
        self.by_id = {post.pk: post for post in posts}
        self.by_slug = {post.slug: post for post in posts}
        self.position = {post.pk: index for index, post in enumerate(posts)}
        # What ``comment_count`` and ``catalog_list_meta`` look up for a page
        # of a listing, for every post at once.
        self.listing_extras = (
            {
                COUNTS_KEY: {
                    post.pk: len(threads.approved_comments(post)) for post in posts
                },
                LIST_LINKS_KEY: catalog_queries.listing_links(self.by_id),
            }
            if self.whole
            else {}
        )
        # Every post's webmentions and pings, for the section under it.
        mentions = mentions_of_posts(None if self.whole else list(self.by_id))
        self.post_extras = {MENTIONS_KEY: mentions}
        # A listing's ordered post ids, by view and subject.
        self.listing_ids: dict[tuple, list[int] | None] = {}
        # A batch's posts' neighbours, when they lie close together.
        self.neighbours = {} if self.whole else self._neighbours_of_batch()

    def _neighbours_of_batch(self) -> dict[int, tuple[Post | None, Post | None]]:
        """The older and newer listed post beside each of the batch's posts,
        in three queries: the listed posts between the batch's oldest and
        newest, and one beyond each end. A build lists posts in the order
        they were written, so a batch's posts are mostly neighbours of each
        other; a batch spread over more than ``NEIGHBOURS_SPAN`` posts leaves
        its neighbours to the view (two queries a post)."""
        if not self.posts:
            return {}
        listed = Post.objects.posts().listed().only(*post_views.NEIGHBOUR_FIELDS)
        oldest, newest = self.posts[-1].published_at, self.posts[0].published_at
        between = list(
            listed.filter(published_at__range=(oldest, newest)).order_by(
                "published_at", "pk"
            )[: NEIGHBOURS_SPAN + 1]
        )
        if len(between) > NEIGHBOURS_SPAN:
            return {}
        before = (
            listed.filter(published_at__lt=oldest)
            .order_by("-published_at", "-pk")
            .first()
        )
        after = (
            listed.filter(published_at__gt=newest)
            .order_by("published_at", "pk")
            .first()
        )
        row = [before, *between, after]
        return {
            post.pk: (row[index], row[index + 2])
            for index, post in enumerate(between)
            if post.pk in self.by_id
        }

    @classmethod
    def of_batch(cls, matches: list[ResolverMatch]) -> PreparedSite | None:
        """The posts that a batch of addresses' post pages and comment feeds
        show, read together; None when the batch has none.

        A site too large to read whole still reads each post's thread,
        series, catalog links and mentions a batch at a time, not page by
        page: on a 100,000-post site a post page rendered through its view
        alone ran a dozen queries.
        """
        slugs, ids = set(), set()
        for match in matches:
            if getattr(match.func, "view_class", None) is post_views.PostView:
                slugs.add(match.kwargs.get("slug"))
            elif isinstance(match.func, PostCommentsRss):
                ids.add(match.kwargs.get("post_id"))
        if not slugs and not ids:
            return None
        return cls(only=Q(slug__in=slugs) | Q(pk__in=ids))

    def renderer(self, match: ResolverMatch) -> Renderer | None:
        """How to render an address from the loaded data, if this can."""
        view_class = getattr(match.func, "view_class", None)
        if view_class is post_views.PostView:
            return self.post_page
        if isinstance(match.func, PostCommentsRss):
            return self.comment_feed
        if not self.whole:
            return None
        if view_class in LISTINGS:
            return self.listing
        if (
            isinstance(match.func, PostFeed)
            and type(match.func).items is PostFeed.items
        ):
            # A feed choosing its posts some other way (a series' parts, in
            # their order) keeps doing so.
            return self.post_feed
        return None

    # -- listings -------------------------------------------------------------
    def listing(
        self, request: HttpRequest, match: ResolverMatch
    ) -> HttpResponse | None:
        view = match.func.view_class(**match.func.view_initkwargs)
        view.setup(request, *match.args, **match.kwargs)
        # The view's own ``find_subject()`` finds its subject (tag, author,
        # month: a 404 when there is none) on every page, and
        # ``get_queryset()`` its filter once per listing, to read its ids.
        view.find_subject()
        subject = tuple(
            sorted((k, str(v)) for k, v in match.kwargs.items() if k != "page")
        )
        key = (match.func.view_class, subject)
        if key not in self.listing_ids:
            ids = list(view.get_queryset().values_list("pk", flat=True))
            # None: a post went live after loading; the view renders it all.
            loaded = all(pk in self.by_id for pk in ids)
            self.listing_ids[key] = ids if loaded else None
        ids = self.listing_ids[key]
        if ids is None:
            return None
        view.object_list = [self.by_id[pk] for pk in ids]
        if not view.get_allow_empty() and not view.object_list:
            raise Http404("Nothing here.")
        context = view.get_context_data()
        context.update(self.listing_extras)
        return view.render_to_response(context)

    # -- posts ----------------------------------------------------------------
    def post_page(
        self, request: HttpRequest, match: ResolverMatch
    ) -> HttpResponse | None:
        post = self.by_slug.get(match.kwargs.get("slug"))
        if post is None or post.get_absolute_url() != request.path:
            return None
        view = match.func.view_class(**match.func.view_initkwargs)
        view.setup(request, *match.args, **match.kwargs)
        view.object = post
        context = view.get_context_data(object=post)
        context.update(self.post_extras)
        context.update(
            tags=list(post.tags.all()), categories=list(post.categories.all())
        )
        if self.whole:
            # Newest first: the older neighbour comes after, the newer before.
            index = self.position[post.pk]
            context.update(
                previous_post=self.posts[index + 1]
                if index + 1 < len(self.posts)
                else None,
                next_post=self.posts[index - 1] if index > 0 else None,
            )
        elif post.pk in self.neighbours:
            older, newer = self.neighbours[post.pk]
            context.update(previous_post=older, next_post=newer)
        return view.render_to_response(context)

    # -- feeds ----------------------------------------------------------------
    def post_feed(
        self, request: HttpRequest, match: ResolverMatch
    ) -> HttpResponse | None:
        feed = match.func
        subject = feed.get_object(request, *match.args, **match.kwargs)
        ids = list(feed.newest(subject).values_list("pk", flat=True)[:FEED_SIZE])
        if any(pk not in self.by_id for pk in ids):
            return None
        return self.feed_response(
            feed.printing([self.by_id[pk] for pk in ids]), subject, request
        )

    def comment_feed(
        self, request: HttpRequest, match: ResolverMatch
    ) -> HttpResponse | None:
        post = self.by_id.get(match.kwargs.get("post_id"))
        if post is None:
            return None
        return self.feed_response(match.func, post, request)

    def feed_response(self, feed, subject, request: HttpRequest) -> HttpResponse:
        generator = feed.get_feed(subject, request)
        # One string, not the many small writes ``Feed.__call__`` makes.
        return HttpResponse(
            generator.writeString("utf-8"), content_type=generator.content_type
        )
