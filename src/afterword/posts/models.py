"""Posts, pages, their terms and their revisions.

Posts and pages share one table (as in WordPress) because they share nearly
every field and every editing tool; ``kind`` tells them apart and the ``Page``
proxy gives pages their own admin. Rendered HTML is stored next to the
Markdown: it is produced once, on save, by ``afterword.posts.services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from afterword.core.models import TimestampedModel
from afterword.core.qmatch import matches
from afterword.core.urls import cached_reverse, reverse_with_slug


class Category(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.SET_NULL,
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return cached_reverse("posts:category", slug=self.slug)


class Tag(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return cached_reverse("posts:tag", slug=self.slug)


def live_condition(now=None) -> Q:
    """The one rule for what readers may see: published, or scheduled with its
    time passed, and never dated in the future.

    Views, feeds, form tokens, the sitemap, the navigation, search and the
    static build all filter with it (``Post.objects.live()``), and
    ``Post.is_live`` evaluates the same ``Q`` on a loaded post. Treating a due
    scheduled post as live in the rule itself is what makes scheduling need no
    cron line: the post appears at its time on every page, and the background
    task that later flips its status to ``published`` only runs the side
    effects (followers' emails). A post in the trash (``Status.TRASH``) is
    neither published nor scheduled, so the rule leaves it out everywhere.
    """
    now = now or timezone.now()
    return Q(
        status__in=[Post.Status.PUBLISHED, Post.Status.SCHEDULED],
        published_at__lte=now,
    )


# Visibilities whose post is named in listings (home, archives, term and
# author pages, feeds, search, related posts, neighbours, series contents,
# catalog pages, follower emails). A password-protected post is listed as
# WordPress lists it: its title, with a notice in place of its summary.
LISTED_VISIBILITIES = ("public", "password")
# Visibilities whose text anyone holding the address may read.
OPEN_VISIBILITIES = ("public", "unlisted")


def listed_condition(now=None) -> Q:
    """The one rule for what listings name: live (:func:`live_condition`) and
    public or password-protected.

    Unlisted posts answer at their address only: no listing, feed, sitemap,
    search result, neighbour link or follower email names them (their pages
    carry ``noindex``). Private posts answer only to those who may edit them
    (``posts.visibility.can_view``) and are never listed. Every listing
    filters with this (``Post.objects.listed()``); ``Post.is_listed``
    evaluates the same ``Q`` on a loaded post.
    """
    return live_condition(now) & Q(visibility__in=LISTED_VISIBILITIES)


def open_condition(now=None) -> Q:
    """Live posts whose text anyone with the address may read: public and
    unlisted. Comment feeds use it: a password-protected post's discussion is
    part of what the password guards, and a feed cannot ask for it.
    """
    return live_condition(now) & Q(visibility__in=OPEN_VISIBILITIES)


def reachable_condition(now=None) -> Q:
    """Live posts whose address answers every reader (all but private ones);
    what a password guards is decided on the page (``posts.visibility``)."""
    return live_condition(now) & ~Q(visibility="private")


def through_relation(condition: Q, path: str) -> Q:
    """One of the rules above, said of the post at ``path`` (``"post"``).

    ``comment.filter(through_relation(open_condition(), "post"))`` checks
    each comment's post, by its primary key, as the database walks the
    comments in order, and stops at the first page of them. Both other ways
    read every post first on SQLite: ``post__in=Post.objects.open()`` builds
    the list of every open post, and a join on ``post__status`` etc. has its
    planner build a Bloom filter of them (400 ms for a comment feed on a
    100,000-post site, against 0.2 ms for this correlated ``EXISTS``).
    """
    return Q(Exists(Post.objects.filter(condition, pk=OuterRef(path))))


class PostQuerySet(models.QuerySet):
    def posts(self):
        return self.filter(kind=Post.Kind.POST)

    def pages(self):
        return self.filter(kind=Post.Kind.PAGE)

    def live(self, now=None):
        """What readers may see: :func:`live_condition`, the one rule."""
        return self.filter(live_condition(now))

    def listed(self, now=None):
        """What listings name: :func:`listed_condition`."""
        return self.filter(listed_condition(now))

    def open(self, now=None):
        """Live posts readable by anyone with the address: :func:`open_condition`."""
        return self.filter(open_condition(now))

    def reachable(self, now=None):
        """Live posts whose address answers anyone: :func:`reachable_condition`."""
        return self.filter(reachable_condition(now))

    def for_listing(self):
        """What a list of posts prints. The Markdown and the body HTML are
        left out: listings show the summary and lead figure, and sorting
        thousands of rows is far cheaper without whole articles in them."""
        return (
            self.select_related("author", "featured_image")
            .prefetch_related("tags", "categories")
            .defer("body", "body_html", "feed_html")
        )


class Post(TimestampedModel):
    class Kind(models.TextChoices):
        POST = "post", _("Post")
        PAGE = "page", _("Page")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        # In the trash: shown nowhere, and restored to ``status_before_trash``
        # (``posts.actions.TrashPost`` and ``RestorePost``).
        TRASH = "trash", _("In the trash")

    class Visibility(models.TextChoices):
        # As WordPress offers, plus "unlisted" (Ghost's and YouTube's word).
        PUBLIC = "public", _("Public")
        UNLISTED = "unlisted", _("Unlisted (reachable by its address only)")
        PRIVATE = "private", _("Private (signed-in editors only)")
        PASSWORD = "password", _("Password protected")

    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.POST)
    title = models.CharField(max_length=300)
    # Unicode kept readable: an anime title's slug stays in its own script.
    slug = models.SlugField(max_length=200, allow_unicode=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="posts", on_delete=models.PROTECT
    )
    body = models.TextField("body (Markdown)", blank=True)
    body_html = models.TextField(blank=True, editable=False)
    excerpt = models.TextField(
        blank=True, help_text="Optional. When empty, the opening of the post is used."
    )
    # Plain-text summary used for listings, meta descriptions and feeds.
    summary = models.TextField(blank=True, editable=False)
    # The body's first figure in plain view (image and caption; never one
    # inside a spoiler), shown on listings when the post has no featured image.
    lead_figure_html = models.TextField(blank=True, editable=False)
    # The body as it leaves the site in feeds: each spoiler replaced by a
    # notice linking to it on the post's page.
    feed_html = models.TextField(blank=True, editable=False)
    tags = models.ManyToManyField(Tag, related_name="posts", blank=True)
    categories = models.ManyToManyField(Category, related_name="posts", blank=True)
    featured_image = models.ForeignKey(
        "media.Image",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="When it goes (or went) live."
    )
    # What a post in the trash goes back to, and since when it has been there.
    status_before_trash = models.CharField(
        max_length=10, choices=Status.choices, blank=True, editable=False
    )
    trashed_at = models.DateTimeField(null=True, blank=True, editable=False)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # Compared as WordPress does (plain text the writer shares with readers);
    # only used while visibility is "password".
    password = models.CharField(max_length=100, blank=True)
    sticky = models.BooleanField(
        default=False, help_text="Keep at the top of the home page."
    )
    comments_open = models.BooleanField(default=True)
    # Imported content keeps its old address so it can answer with a redirect.
    legacy_url = models.CharField(max_length=500, blank=True, db_index=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-sticky", "-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "slug"], name="unique_slug_per_kind"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status", "published_at"]),
            # The listings' orderings, each followed by the columns of the
            # listed rule, so finding a page's boundaries reads only the
            # index and a page is one range of it (core.keyset).
            models.Index(
                fields=["kind", "published_at", "id", "status", "visibility"],
                name="post_listing_order",
            ),
            models.Index(
                fields=["kind", "sticky", "published_at", "id", "status", "visibility"],
                name="post_home_order",
            ),
            models.Index(
                fields=["author", "kind", "published_at", "id", "status", "visibility"],
                name="post_author_order",
            ),
            # The desk's list of posts, newest changed first (all writers'
            # and one writer's): its first page reads 26 index entries
            # instead of sorting every post.
            models.Index(
                fields=["kind", "updated_at", "id", "status"],
                name="post_desk_order",
            ),
            models.Index(
                fields=["author", "kind", "updated_at", "id", "status"],
                name="post_desk_author_order",
            ),
        ]
        permissions = [
            # The two rules of WordPress's roles a model permission cannot
            # say; ``posts.actions`` enforces them (accounts/roles.py).
            ("publish_post", "Can publish posts and pages"),
            ("edit_others_posts", "Can edit and delete other writers' posts"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_page(self) -> bool:
        return self.kind == self.Kind.PAGE

    def is_live(self, now=None) -> bool:
        """Whether readers may see this post now: :func:`live_condition`."""
        return matches(self, live_condition(now))

    def is_listed(self, now=None) -> bool:
        """Whether listings name this post now: :func:`listed_condition`."""
        return matches(self, listed_condition(now))

    @property
    def is_protected(self) -> bool:
        return self.visibility == self.Visibility.PASSWORD

    def get_absolute_url(self) -> str:
        # Asked several times of one post by a page (the canonical link, the
        # comment links, the feed's entries): kept on the instance for as
        # long as what the address is made of stays the same.
        made_of = (
            self.kind,
            self.slug,
            self.published_at,
            self.created_at,
            get_script_prefix(),
            get_urlconf(),
            timezone.get_current_timezone(),
        )
        kept = self.__dict__.get("_address")
        if kept is not None and kept[0] == made_of:
            return kept[1]
        address = post_address(self.kind, self.slug, self.published_at, self.created_at)
        if self.published_at or self.created_at:
            # Without either, the address is dated now: never kept.
            self.__dict__["_address"] = (made_of, address)
        return address


def post_address(kind: str, slug: str, published_at, created_at) -> str:
    """A post's or page's address from its values (``Post.get_absolute_url``;
    the sitemap reads the values alone)."""
    if kind == Post.Kind.PAGE:
        return reverse_with_slug("pages:page", slug)
    when = timezone.localtime(published_at or created_at or timezone.now())
    return reverse_with_slug(
        "posts:post", slug, year=when.year, month=f"{when.month:02d}"
    )


class Page(Post):
    """Pages in the admin: a post without dates, terms or feeds."""

    class Meta:
        proxy = True


class Revision(models.Model):
    """A snapshot taken at every save, so any two can be compared or restored."""

    post = models.ForeignKey(Post, related_name="revisions", on_delete=models.CASCADE)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    excerpt = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.post} @ {self.created_at:%Y-%m-%d %H:%M:%S}"
