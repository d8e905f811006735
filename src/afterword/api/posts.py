"""Posts and pages: list, read, create, edit, publish, schedule, delete.

Every write runs the posts actions (``SavePost``, ``DeletePost``) and, for a
post's terms, series place and works, those of the owning apps, together in
one transaction, with ``user`` the credential's writer: the role rules
(a contributor's posts stay drafts, an author edits only their own) are the
actions'. The credential needs ``draft`` to write drafts and ``publish`` to
publish, schedule, or touch a post that is out.
"""

from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from afterword.catalog.actions import DeleteCatalogObject, LinkPostToWork
from afterword.catalog.models import PostWork, Work
from afterword.credentials import scopes
from afterword.media.models import Image
from afterword.posts.actions import (
    DeletePost,
    RestorePost,
    SavePost,
    SaveTerm,
    SetPostTerms,
    TrashPost,
    announce_together,
)
from afterword.posts.models import Category, Post, Tag, open_condition
from afterword.series.actions import DeletePart, SavePart
from afterword.series.models import Series, SeriesPart

from .auth import need, user
from .conditional import check_if_match
from .errors import ApiError
from .pagination import DEFAULT_LIMIT, MAX_LIMIT, Keyset, paginate
from .responses import DELETING, reading, writing
from .schemas import (
    PageIn,
    PagePatch,
    PostIn,
    PostOut,
    PostPage,
    PostPatch,
)

KEYSET = Keyset("posts", "sort_at")
# The fields copied onto the row as sent; the rest are related rows.
ROW_FIELDS = (
    "title",
    "slug",
    "body",
    "excerpt",
    "status",
    "published_at",
    "visibility",
    "password",
    "sticky",
    "comments_open",
)


def with_related(queryset):
    """Everything ``PostOut`` prints, in a fixed number of queries."""
    return queryset.select_related("author", "series_part").prefetch_related(
        "tags",
        "categories",
        Prefetch("catalog_works", queryset=PostWork.objects.select_related("work")),
    )


def readable(request, kind: str):
    """Posts this writer may read: their own in any state, everyone's live
    ones that anyone with the address reads (public and unlisted: a private
    or password-protected text is not handed to a writer who could not
    open it on the site either), and every post for those who edit others'."""
    posts = Post.objects.filter(kind=kind)
    writer = user(request)
    if writer.is_superuser or writer.has_perm("posts.edit_others_posts"):
        return posts
    return posts.filter(open_condition() | Q(author=writer))


def _check_schedule(post: Post) -> None:
    now = timezone.now()
    if post.status == Post.Status.SCHEDULED:
        if post.published_at is None:
            raise ApiError(
                422,
                _("A scheduled post needs its time."),
                fields={"published_at": _("Give the time it goes live.")},
            )
        if post.published_at <= now:
            raise ApiError(
                422,
                _("A scheduled time must be in the future."),
                fields={
                    "published_at": _(
                        "This time has passed: publish now, or choose a later time."
                    )
                },
            )
    elif post.status == Post.Status.PUBLISHED and (
        post.published_at is not None and post.published_at > now
    ):
        raise ApiError(
            422,
            _("A post dated in the future is scheduled, not published."),
            fields={"status": _("Use “scheduled” for a future time.")},
        )


def _check_slug(post: Post) -> None:
    if not post.slug:
        post.slug = slugify(post.title, allow_unicode=True)[:200]
    if not post.slug:
        raise ApiError(
            422,
            _("Give the post an address."),
            fields={"slug": _("The title gives no address; send a slug.")},
        )
    clash = Post.objects.filter(kind=post.kind, slug=post.slug).exclude(pk=post.pk)
    if clash.exists():
        raise ApiError(
            422,
            _("Another post already has this address."),
            fields={"slug": _("This slug is taken; choose another.")},
        )


def _tags_named(names, writer) -> list[Tag]:
    found = []
    for name in names:
        name = name.strip()[:100]
        slug = slugify(name, allow_unicode=True)[:100]
        if not slug:
            raise ApiError(
                422,
                _("A tag needs a name with letters or digits."),
                fields={"tags": _("“%(name)s” is not a tag name.") % {"name": name}},
            )
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            tag = SaveTerm(Tag(name=name, slug=slug), user=writer).run()
        found.append(tag)
    return found


def _categories(slugs) -> list[Category]:
    categories = list(Category.objects.filter(slug__in=slugs))
    missing = set(slugs) - {c.slug for c in categories}
    if missing:
        raise ApiError(
            422,
            _("No category has that address."),
            fields={"categories": ", ".join(sorted(missing))},
        )
    return categories


def _place_in_series(post: Post, place, writer) -> None:
    part = SeriesPart.objects.filter(post=post).first()
    if place is None:
        if part is not None:
            DeletePart(part, user=writer).run()
        return
    series = Series.objects.filter(pk=place["series"]).first()
    if series is None:
        raise ApiError(
            422, _("No such series."), fields={"series": _("No such series.")}
        )
    if part is None:
        part = SeriesPart(post=post)
    part.series = series
    part.position = place.get("position")
    SavePart(part, user=writer).run()


def _link_works(post: Post, links, writer) -> None:
    wanted = {link["work"]: link for link in links}
    works = Work.objects.in_bulk(list(wanted))
    missing = set(wanted) - set(works)
    if missing:
        raise ApiError(
            422,
            _("No such work."),
            fields={"works": ", ".join(str(pk) for pk in sorted(missing))},
        )
    for stale in PostWork.objects.filter(post=post).exclude(work_id__in=list(wanted)):
        DeleteCatalogObject(stale, user=writer).run()
    for pk, link in wanted.items():
        LinkPostToWork(
            post,
            works[pk],
            primary=link.get("primary", False),
            rating=link.get("rating"),
            contains_spoilers=link.get("contains_spoilers", False),
            user=writer,
        ).run()


def _is_out(post: Post) -> bool:
    """Whether readers have (or will have) seen it: touching it needs
    ``publish``. A trashed post counts as what it was."""
    status = post.status
    if status == Post.Status.TRASH:
        status = post.status_before_trash or Post.Status.DRAFT
    return status != Post.Status.DRAFT


def _locked(request, kind: str, post_id: int) -> Post:
    """The post, locked for this transaction, after its If-Match check."""
    post = get_object_or_404(
        with_related(readable(request, kind)).select_for_update(of=("self",)),
        pk=post_id,
    )
    check_if_match(request, PostOut, post)
    return post


def _act_on(request, kind: str, post_id: int, action) -> Post:
    """Lock the post, ask for ``publish`` if readers saw it, run ``action``
    (delete, trash or restore) as the credential's writer."""
    need(request, scopes.DRAFT)
    with transaction.atomic():
        post = _locked(request, kind, post_id)
        if _is_out(post):
            need(request, scopes.PUBLISH)
        action(post, user=user(request)).run()
    return post


def _write(request, post: Post, data: dict, *, was_out: bool) -> None:
    """Copy ``data`` onto ``post`` and save it with its related rows."""
    writer = user(request)
    for field in ROW_FIELDS:
        if field in data:
            setattr(post, field, data[field])
    if "featured_image" in data:
        image_id = data["featured_image"]
        if image_id is not None and not Image.objects.filter(pk=image_id).exists():
            raise ApiError(
                422,
                _("No such image."),
                fields={"featured_image": _("No such image.")},
            )
        post.featured_image_id = image_id
    if post.status != Post.Status.DRAFT or was_out:
        need(request, scopes.PUBLISH)
    if "status" in data or "published_at" in data:
        _check_schedule(post)
    _check_slug(post)
    with announce_together():
        SavePost(post, user=writer).run()
        if "tags" in data or "categories" in data:
            SetPostTerms(
                post,
                tags=_tags_named(data["tags"], writer) if "tags" in data else None,
                categories=(
                    _categories(data["categories"]) if "categories" in data else None
                ),
                user=writer,
            ).run()
        if "series" in data:
            _place_in_series(post, data["series"], writer)
        if "works" in data:
            _link_works(post, data["works"], writer)


def build(kind: str, in_schema, patch_schema) -> Router:
    router = Router()
    noun = kind

    @router.get(
        "",
        response=reading(PostPage),
        operation_id=f"list_{noun}s",
        summary=f"List {noun}s, newest first",
    )
    def list_posts(
        request,
        status: str | None = Query(None, pattern="^(draft|scheduled|published|trash)$"),
        tag: str | None = Query(None, max_length=100, description="A tag's slug."),
        category: str | None = Query(None, max_length=100),
        author: str | None = Query(None, max_length=150, description="A username."),
        series: str | None = Query(None, max_length=200, description="A slug."),
        search: str | None = Query(None, max_length=200),
        cursor: str | None = Query(None, max_length=500),
        limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    ):
        posts = readable(request, kind).annotate(
            sort_at=Coalesce("published_at", "created_at")
        )
        if status:
            posts = posts.filter(status=status)
        if tag:
            posts = posts.filter(tags__slug=tag)
        if category:
            posts = posts.filter(categories__slug=category)
        if author:
            posts = posts.filter(author__username=author)
        if series:
            posts = posts.filter(series_part__series__slug=series)
        if search:
            posts = posts.filter(Q(title__icontains=search) | Q(body__icontains=search))
        return paginate(with_related(posts), KEYSET, cursor, limit)

    @router.get(
        "/{int:post_id}",
        response=reading(PostOut),
        operation_id=f"get_{noun}",
        summary=f"Read a {noun}",
    )
    def get_post(request, post_id: int):
        return get_object_or_404(with_related(readable(request, kind)), pk=post_id)

    @router.post(
        "",
        response=writing(PostOut, 201),
        operation_id=f"create_{noun}",
        summary=f"Create a {noun}",
    )
    def create_post(request, payload: in_schema):
        need(request, scopes.DRAFT)
        post = Post(kind=kind, author=user(request))
        with transaction.atomic():
            _write(request, post, payload.model_dump(), was_out=False)
        return Status(201, with_related(Post.objects).get(pk=post.pk))

    @router.patch(
        "/{int:post_id}",
        response=writing(PostOut),
        operation_id=f"update_{noun}",
        summary=f"Change a {noun} (only the fields sent)",
        description="Send the ETag you read as `If-Match` so no edit is lost.",
    )
    def update_post(request, post_id: int, payload: patch_schema):
        need(request, scopes.DRAFT)
        with transaction.atomic():
            post = _locked(request, kind, post_id)
            if post.status == Post.Status.TRASH:
                raise ApiError(409, _("This post is in the trash; restore it first."))
            was_out = _is_out(post)
            _write(
                request, post, payload.model_dump(exclude_unset=True), was_out=was_out
            )
        return with_related(Post.objects).get(pk=post.pk)

    @router.delete(
        "/{int:post_id}",
        response=DELETING,
        operation_id=f"delete_{noun}",
        summary=f"Delete a {noun} for good, with its revisions and comments",
        description="To keep it restorable, move it to the trash instead.",
    )
    def delete_post(request, post_id: int):
        _act_on(request, kind, post_id, DeletePost)
        return Status(204, None)

    @router.post(
        "/{int:post_id}/trash",
        response=writing(PostOut),
        operation_id=f"trash_{noun}",
        summary=f"Move a {noun} to the trash (gone from every page, restorable)",
    )
    def trash_post(request, post_id: int):
        post = _act_on(request, kind, post_id, TrashPost)
        return with_related(Post.objects).get(pk=post.pk)

    @router.post(
        "/{int:post_id}/restore",
        response=writing(PostOut),
        operation_id=f"restore_{noun}",
        summary=f"Take a {noun} out of the trash, back to the status it had",
    )
    def restore_post(request, post_id: int):
        post = _act_on(request, kind, post_id, RestorePost)
        return with_related(Post.objects).get(pk=post.pk)

    return router


posts_router = build(Post.Kind.POST, PostIn, PostPatch)
pages_router = build(Post.Kind.PAGE, PageIn, PagePatch)
