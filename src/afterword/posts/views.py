"""Reading views: the home page, archives, a post, a page, an author.

Each view is one queryset, one template and a :class:`~afterword.posts.seo.PageMeta`.
Querysets prefetch everything the templates print, so a page costs the same
number of queries whatever its number of posts, tags, categories or images
(tests/theme/test_queries.py holds them to it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, UTC, date, datetime

from django.conf import settings
from django.core.paginator import Page
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, ListView

from afterword.core import memo, staticcopy
from afterword.core.keyset import Deferred, KeysetPaginator
from afterword.core.markdown import render_markdown
from afterword.core.numbers import AsciiPageNumbers, ascii_number
from afterword.core.urls import cached_reverse

from . import seo, visibility
from .authors import public_authors
from .models import Category, Post, Tag


@dataclass(frozen=True)
class PageLink:
    """One entry of the pagination bar; ``url`` is empty for an ellipsis."""

    label: str
    url: str
    current: bool = False


def listed_posts() -> QuerySet[Post]:
    """Listed posts with everything a listing prints, in one batch of queries."""
    return (
        Post.objects.posts()
        .listed()
        .for_listing()
        .prefetch_related("featured_image__renditions")
    )


class PostListView(AsciiPageNumbers, ListView):
    """A paginated list of posts; subclasses pick the posts and the heading.

    Page 1 lives at the view's own address and page N at ``?page=N``; the home
    page uses ``/page/N/`` instead (see :meth:`page_url`). On a static copy
    (``core.staticcopy``) page N is a folder, ``<address>page/N/``: the build
    writes it there (``pages_as_folders``) and the pagination says so.
    """

    template_name = "posts/post_list.html"
    context_object_name = "posts"
    allow_empty = True
    title = _("Posts")
    ordering = ("-published_at", "-id")
    # A static copy writes page N of this listing at ``<address>page/N/``.
    pages_as_folders = True

    def get(self, request, *args, **kwargs):
        # What the listing is of is found now (a 404 when there is none);
        # its posts are read only if the page shows them: a page whose cards'
        # fragment is kept builds no query for them (core.keyset.Deferred).
        # A listing that may not be empty (a month) is a 404 without posts:
        # its paginator refuses page 1 (``allow_empty_first_page``).
        self.find_subject()
        self.object_list = Deferred(self.get_queryset, self.ordering)
        return self.render_to_response(self.get_context_data())

    def find_subject(self) -> None:
        """Find what the listing is of (a tag, an author, a month) or raise
        ``Http404``; the site's posts need nothing."""

    def get_paginate_by(self, queryset: QuerySet) -> int:
        return settings.AFTERWORD_PAGE_SIZE

    def get_queryset(self) -> QuerySet[Post]:
        """The listing's posts; :meth:`find_subject` has run."""
        return listed_posts().order_by(*self.ordering)

    def listing_key(self) -> str:
        """What the listing shows, naming its page boundaries
        (``core.keyset``): the view and its address's arguments."""
        arguments = ",".join(
            f"{name}={value}"
            for name, value in sorted(self.kwargs.items())
            if name != self.page_kwarg
        )
        return f"{type(self).__name__}:{arguments}"

    def get_paginator(self, queryset, per_page, orphans=0, **kwargs):
        if not isinstance(queryset, (QuerySet, Deferred)):
            # Posts already in memory (the static build's prepared listings).
            return super().get_paginator(queryset, per_page, orphans, **kwargs)
        # Page N is read from its first row's (published_at, id), not with an
        # OFFSET that walks past every post before it (core.keyset).
        return KeysetPaginator(queryset, per_page, key=self.listing_key(), **kwargs)

    def heading(self) -> str:
        """The page's ``<h1>``; subclasses name their archive."""
        return self.title

    def description(self) -> str:
        return ""

    def page_url(self, number: int) -> str:
        """The address of page ``number`` of this listing."""
        return staticcopy.page_address(self.request, number)

    def pagination(self, page: Page) -> dict[str, object] | None:
        if page.paginator.num_pages < 2:
            return None
        links = []
        for number in page.paginator.get_elided_page_range(
            page.number, on_each_side=2, on_ends=1
        ):
            if number == page.paginator.ELLIPSIS:
                links.append(PageLink(label=str(number), url=""))
            else:
                links.append(
                    PageLink(
                        label=str(number),
                        url=self.page_url(number),
                        current=number == page.number,
                    )
                )
        return {
            "links": links,
            "previous": self.page_url(page.number - 1) if page.has_previous() else "",
            "next": self.page_url(page.number + 1) if page.has_next() else "",
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        title = self.heading()
        if page.number > 1:
            title = gettext("%(title)s (page %(number)s)") % {
                "title": title,
                "number": page.number,
            }
        context.update(
            archive_title=title,
            # What the cards' fragment is kept under: the page's one address,
            # however it was asked for (``/?page=2&utm_source=x``).
            listing_address=self.page_url(page.number),
            pagination=self.pagination(page),
            meta=seo.page_meta(
                self.request,
                title=title,
                description=self.description(),
                path=self.page_url(page.number),
            ),
        )
        return context


class HomeView(PostListView):
    """Newest first, sticky posts first of all."""

    template_name = "posts/home.html"
    title = _("Latest posts")
    ordering = ("-sticky", "-published_at", "-id")

    def description(self) -> str:
        return seo.site_description()

    def page_url(self, number: int) -> str:
        if number == 1:
            return cached_reverse("posts:home")
        return cached_reverse("posts:home-page", page=number)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_obj"].number == 1:
            # The home page is the site itself: its title is the site's name.
            context["meta"] = seo.page_meta(
                self.request, title=settings.SITE_NAME, path=reverse("posts:home")
            )
        return context


class TermView(PostListView):
    """Posts filed under one tag or category."""

    model: type[Tag] | type[Category]
    field: str
    label: str

    def find_subject(self) -> None:
        slug = self.kwargs["slug"]
        # Kept for the content version (a renamed or deleted term starts a
        # new one): a kept listing page then reads nothing at all. A slug
        # that names nothing raises, and nothing is kept for it.
        self.term = memo.remember_row(
            f"term:{self.model._meta.label}:{slug}", self.model, slug=slug
        )

    def get_queryset(self) -> QuerySet[Post]:
        return super().get_queryset().filter(**{self.field: self.term})

    def heading(self) -> str:
        return gettext("%(label)s: %(name)s") % {
            "label": self.label,
            "name": self.term.name,
        }

    def description(self) -> str:
        return getattr(self.term, "description", "") or (
            gettext("Posts filed under “%(name)s” on %(site)s.")
            % {"name": self.term.name, "site": settings.SITE_NAME}
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(term=self.term, **kwargs)


class TagView(TermView):
    model = Tag
    field = "tags"
    label = _("Tag")


class CategoryView(TermView):
    model = Category
    field = "categories"
    label = _("Category")


def profile_links(author) -> list[dict[str, str]]:
    """The author's links that are safe to print: labelled http(s) URLs only."""
    links = []
    for entry in author.profile_links or []:
        if not isinstance(entry, dict):
            continue
        url = str(entry.get("url", "")).strip()
        if url.startswith(("https://", "http://")):
            links.append({"label": str(entry.get("label") or url), "url": url})
    return links


class AuthorView(PostListView):
    """An author's profile and their posts."""

    template_name = "posts/author.html"

    def find_subject(self) -> None:
        username = self.kwargs["username"]
        # Kept for the content version, as a term is: accounts and posts are
        # public content, so a writer renamed, deactivated or left without a
        # listed post starts a new version and a new lookup. The query is
        # only built when the memo has no answer, and the password's hash,
        # which no page shows, stays out of the shared cache.
        self.author = memo.remember(
            f"author:{username}",
            lambda: get_object_or_404(
                public_authors().defer("password"), username=username
            ),
        )

    def get_queryset(self) -> QuerySet[Post]:
        return super().get_queryset().filter(author=self.author)

    def heading(self) -> str:
        return self.author.public_name

    def description(self) -> str:
        return self.bio.plain_text or gettext("Posts by %(name)s.") % {
            "name": self.author.public_name
        }

    def get_context_data(self, **kwargs):
        # The same bio heads every page of the author's listing.
        self.bio = memo.remember(
            f"author-bio:{self.author.pk}", lambda: render_markdown(self.author.bio)
        )
        website = self.author.website
        return super().get_context_data(
            author=self.author,
            bio_html=self.bio.html,
            website=website if website.startswith(("https://", "http://")) else "",
            profile_links=profile_links(self.author),
            **kwargs,
        )


def month_range(year: int, month: int) -> dict[str, datetime]:
    """``published_at`` lookups for one month of the site's calendar.

    A range of two instants, which the index on ``published_at`` answers by
    reading the month's posts only: ``published_at__month`` converts every
    post of the year to the site's time zone in SQLite's Python function.
    """
    zone = timezone.get_current_timezone()
    try:
        start = datetime(year, month, 1, tzinfo=zone)
        start.astimezone(UTC)
    except OverflowError:  # the first hours of year 1, east of Greenwich
        raise Http404("No such month.") from None
    lookups = {"published_at__gte": start}
    if (year, month) != (MAXYEAR, 12):
        following = date(year + month // 12, month % 12 + 1, 1)
        lookups["published_at__lt"] = datetime(
            following.year, following.month, 1, tzinfo=zone
        )
    return lookups


class MonthView(PostListView):
    """Posts published in one calendar month (in the site's time zone).

    A month without posts is a 404, so crawlers find no endless calendar.
    """

    allow_empty = False

    def find_subject(self) -> None:
        month = ascii_number(self.kwargs["month"], maximum=12)
        if len(self.kwargs["month"]) != 2 or not month:
            raise Http404("No such month.")
        if not MINYEAR <= self.kwargs["year"] <= MAXYEAR:
            # A year no date can hold: the query would fail, not find nothing.
            raise Http404("No such month.")
        self.year, self.month = self.kwargs["year"], month

    def get_queryset(self) -> QuerySet[Post]:
        return super().get_queryset().filter(**month_range(self.year, self.month))

    def heading(self) -> str:
        return date_format(date(self.year, self.month, 1), "YEAR_MONTH_FORMAT")

    def description(self) -> str:
        return gettext("Posts published in %(month)s on %(site)s.") % {
            "month": self.heading(),
            "site": settings.SITE_NAME,
        }


# A post's tags and categories in one query rather than two prefetches: this
# runs on every post view, where each ORM query's compile time counts.
TERMS_SQL = """
SELECT 0 AS kind, t.id, t.name, t.slug
FROM {tag} t JOIN {post_tag} pt ON pt.{tag_ref} = t.id WHERE pt.{post_ref} = %(id)s
UNION ALL
SELECT 1 AS kind, c.id, c.name, c.slug
FROM {category} c JOIN {post_category} pc ON pc.{category_ref} = c.id
WHERE pc.{category_post_ref} = %(id)s
ORDER BY 1, 3
"""


def terms(post: Post) -> tuple[list[Tag], list[Category]]:
    """The post's tags and its categories, each sorted by name."""
    quote = connection.ops.quote_name
    tags_field, categories_field = Post.tags.field, Post.categories.field
    sql = TERMS_SQL.format(
        tag=quote(Tag._meta.db_table),
        category=quote(Category._meta.db_table),
        post_tag=quote(tags_field.m2m_db_table()),
        post_category=quote(categories_field.m2m_db_table()),
        post_ref=quote(tags_field.m2m_column_name()),
        category_post_ref=quote(categories_field.m2m_column_name()),
        tag_ref=quote(tags_field.m2m_reverse_name()),
        category_ref=quote(categories_field.m2m_reverse_name()),
    )
    tags: list[Tag] = []
    categories: list[Category] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, {"id": post.pk})
        for kind, pk, name, slug in cursor.fetchall():
            if kind:
                categories.append(Category(id=pk, name=name, slug=slug))
            else:
                tags.append(Tag(id=pk, name=name, slug=slug))
    return tags, categories


# What a neighbour's link prints.
NEIGHBOUR_FIELDS = ("id", "kind", "title", "slug", "published_at", "created_at")


def neighbours(post: Post) -> tuple[Post | None, Post | None]:
    """The listed posts published just before and just after ``post``.

    Two queries, each walking the listing index from ``post``'s time to the
    first listed neighbour, a post of the same time on the far side of its
    id. Written as one range each ("at or before", less the posts of the same
    time on the wrong side), never as "before, or the same time with a
    smaller id": with the times bound as parameters SQLite answered that OR
    by collecting every post between ``post`` and now and sorting them, half
    a second a post page for the oldest posts of a 100,000-post site (and one
    query with both neighbours as scalar subqueries was no better). The
    older neighbour is "listed as of ``post``'s time", the same posts as
    listed now, so that the walk has one upper bound to start from.
    """
    fields = NEIGHBOUR_FIELDS
    when, pk = post.published_at, post.pk
    before = (
        Post.objects.posts()
        .listed(now=when)
        .filter(published_at__lte=when)
        .exclude(published_at=when, pk__gte=pk)
        .order_by("-published_at", "-pk")
        .only(*fields)
        .first()
    )
    after = (
        Post.objects.posts()
        .listed()
        .filter(published_at__gte=when)
        .exclude(published_at=when, pk__lte=pk)
        .order_by("published_at", "pk")
        .only(*fields)
        .first()
    )
    return before, after


# The post of a post page, by its unique (kind, slug); ``Post.is_live`` then
# applies the ``live()`` rule. Plain SQL because the ORM spent about 0.4 ms
# building and compiling this lookup (with its joins) on every view, a
# quarter of the whole request. The author, the featured image and its
# renditions are not joined: the parts of the page that print them (the head,
# the article) are fragments rendered once per content version
# (posts/post_detail.html), so they are read only when one is rendered.
POST_SQL = "SELECT * FROM {table} WHERE kind = %s AND slug = %s"


class ReadableMixin:
    """Private posts answer only to their editors; protected ones ask first.

    A password-protected post shows the password form (``locked`` in the
    context) until the reader sends the right password to the post's own
    address; the answer sets the unlock cookie (``posts.visibility``) and
    sends the reader back. The form page is the same for every reader and
    may be cached; a page showing a protected or private text says
    ``Cache-Control: private, no-store`` so no cache keeps it. The form is
    exempt from CSRF like WordPress's: the page holding it is shared by
    every reader, and a forged unlock only shows a text to the one who sent
    the password.
    """

    password_error = ""

    def check_readable(self, post: Post) -> Post:
        if not visibility.can_view(getattr(self.request, "user", None), post):
            raise Http404("No post at this address.")
        return post

    def post(self, request, *args, **kwargs):
        self.object = post = self.get_object()
        if not post.is_protected:
            # Only a protected post's page takes a form.
            return self.http_method_not_allowed(request, *args, **kwargs)
        status = 200
        if visibility.too_many_wrong(request, post):
            self.password_error = _(
                "Too many wrong passwords. Wait a quarter of an hour and try again."
            )
            status = 429
        elif visibility.password_matches(post, request.POST.get("post_password", "")):
            response = HttpResponseRedirect(post.get_absolute_url(), status=303)
            visibility.remember_unlocked(request, response, post)
            response["Cache-Control"] = "private, no-store"
            return response
        else:
            visibility.count_wrong(request, post)
            self.password_error = _("That password is not right. Try again.")
        context = self.get_context_data(object=post)
        return self.render_to_response(context, status=status)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        post = self.object
        if (
            post.visibility == Post.Visibility.PRIVATE
            or (post.is_protected and not context["locked"])
            or self.password_error
        ):
            response["Cache-Control"] = "private, no-store"
        return response

    def readable_context(self, post: Post) -> dict:
        return {
            "locked": not visibility.is_unlocked(self.request, post),
            "password_error": self.password_error,
        }


@method_decorator(csrf_exempt, name="dispatch")
class PostView(ReadableMixin, DetailView):
    """One post, at /YYYY/MM/<slug>/ only (another year or month is a 404)."""

    template_name = "posts/post_detail.html"
    context_object_name = "post"

    def get_object(self, queryset=None) -> Post:
        found = list(
            Post.objects.raw(
                POST_SQL.format(table=connection.ops.quote_name(Post._meta.db_table)),
                [Post.Kind.POST, self.kwargs["slug"]],
            )
        )
        post = found[0] if found else None
        if post is None or not post.is_live():
            raise Http404("No post at this address.")
        self.check_readable(post)
        # The address must be the post's own (its month, in the site's time
        # zone): the same test as comparing with get_absolute_url(), without
        # reversing a URL on every view.
        when = timezone.localtime(post.published_at)
        if self.kwargs["year"] != when.year or self.kwargs["month"] != (
            f"{when.month:02d}"
        ):
            raise Http404("No post at this address.")
        return post

    def get_context_data(self, **kwargs):
        post = self.object
        # Lazy: the head, the article and the neighbours' links are cached
        # fragments of the template, so this work is done only when one of
        # them is rendered.
        found_terms = SimpleLazyObject(lambda: terms(post))
        found_neighbours = SimpleLazyObject(lambda: neighbours(post))
        return super().get_context_data(
            tags=SimpleLazyObject(lambda: found_terms[0]),
            categories=SimpleLazyObject(lambda: found_terms[1]),
            previous_post=SimpleLazyObject(lambda: found_neighbours[0]),
            next_post=SimpleLazyObject(lambda: found_neighbours[1]),
            meta=SimpleLazyObject(lambda: seo.post_meta(post)),
            **self.readable_context(post),
            **kwargs,
        )


@method_decorator(csrf_exempt, name="dispatch")
class PageView(ReadableMixin, DetailView):
    """A page: a post outside the timeline, at /<slug>/."""

    template_name = "posts/page_detail.html"
    context_object_name = "post"

    def get_object(self, queryset=None) -> Post:
        page = get_object_or_404(
            Post.objects.pages()
            .live()
            .select_related("author", "featured_image")
            .prefetch_related("featured_image__renditions"),
            slug=self.kwargs["slug"],
        )
        return self.check_readable(page)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meta=seo.post_meta(self.object),
            **self.readable_context(self.object),
            **kwargs,
        )
