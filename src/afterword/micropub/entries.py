"""What a Micropub request does to posts, through the posts and media actions.

Every write runs as the token's writer (``user=credential.user``), so the
roles' rules (``posts.actions.check_role_rules``) hold as they do on the
desk: an author changes their own posts only, a contributor writes drafts.
A post and its tags are saved in one transaction; photos are uploaded first,
and stay in the library if the post is then refused (as an upload through
the media endpoint would).

Properties the site keeps:

========================  ==================================================
``name``                  the title (a note without one is titled with its
                          first words)
``content``               the Markdown body (:mod:`.content`)
``summary``               the excerpt
``category``              tags, created when missing
``photo``                 figures after the content (:mod:`.photos`)
``published``             the publish time; a future one schedules the post
``post-status``           ``draft`` or ``published``
``visibility``            ``public``, ``unlisted`` or ``private``
``mp-slug``               the address's last part
========================  ==================================================

Other properties (nested objects such as an h-card check-in, syndication
links…) are accepted and not kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext as _

from afterword.credentials import scopes
from afterword.credentials.auth import Credential, require_scope
from afterword.posts import actions as post_actions
from afterword.posts.models import Post, Tag

from . import content as content_rules
from .errors import invalid
from .parsing import Submission
from .photos import own_hosts, photos_from

STATUSES = {"draft": Post.Status.DRAFT, "published": Post.Status.PUBLISHED}
VISIBILITIES = ("public", "unlisted", "private")


# ---------------------------------------------------------------------------
# Finding a post by its address


def find_post(url: str, request) -> Post:
    """The post or page at ``url`` on this site (in the trash too)."""
    if not url:
        raise invalid(_("The request needs the url of a post."))
    parts = urlsplit(url)
    if parts.netloc and parts.netloc.lower() not in own_hosts(request):
        raise invalid(_("%(url)s is not an address of this site.") % {"url": url})
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        match = None
    post = None
    if match and match.view_name == "posts:post":
        post = Post.objects.posts().filter(slug=match.kwargs["slug"]).first()
    elif match and match.view_name == "pages:page":
        post = Post.objects.pages().filter(slug=match.kwargs["slug"]).first()
    if post is None:
        raise invalid(_("There is no post at %(url)s.") % {"url": url})
    return post


def _status_of(post: Post) -> str:
    if post.status == Post.Status.TRASH:
        return post.status_before_trash or Post.Status.DRAFT
    return post.status


def require_write_scope(credential: Credential, *statuses: str) -> None:
    """Drafts need the ``draft`` scope; anything out (or going out),
    ``publish``."""
    if all(status == Post.Status.DRAFT for status in statuses):
        require_scope(credential, scopes.DRAFT)
    else:
        require_scope(credential, scopes.PUBLISH)


# ---------------------------------------------------------------------------
# Values


def _published(value: Any) -> datetime | None:
    if value is None:
        return None
    when = parse_datetime(value) if isinstance(value, str) else None
    if when is None:
        raise invalid(
            _("published must be a date and time such as 2026-12-02T16:00:00Z.")
        )
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when


def _status(value: Any) -> str:
    if value not in STATUSES:
        raise invalid(_("post-status must be draft or published."))
    return STATUSES[value]


def _visibility(value: Any) -> str:
    if value not in VISIBILITIES:
        raise invalid(_("visibility must be public, unlisted or private."))
    return value


def _unique_slug(wanted: str, *, kind: str, exclude: int | None = None) -> str:
    base = slugify(wanted, allow_unicode=True)[:80].strip("-") or "note"
    taken = set(
        Post.objects.filter(kind=kind, slug__startswith=base)
        .exclude(pk=exclude)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _category_names(values: list[Any]) -> list[str]:
    """Tag names from ``category`` values; nested objects (a person tagged
    with an h-card) are left out."""
    names = []
    for value in values:
        if isinstance(value, str) and value.strip():
            name = " ".join(value.split())[:100]
            if name.lower() not in (n.lower() for n in names):
                names.append(name)
    return names


def tags_named(names: list[str], *, user) -> list[Tag]:
    """The tags with these names, made through ``SaveTerm`` when missing."""
    tags = []
    for name in names:
        slug = slugify(name, allow_unicode=True)[:100]
        tag = (
            Tag.objects.filter(name__iexact=name).first()
            or Tag.objects.filter(slug=slug).first()
        )
        if tag is None:
            if not slug:
                raise invalid(
                    _("The category %(name)r has no letters or digits.")
                    % {"name": name}
                )
            tag = post_actions.SaveTerm(Tag(name=name, slug=slug), user=user).run()
        tags.append(tag)
    return tags


def _save(post: Post, status: str, *, user, note: str) -> Post:
    """Save with the action that matches where the post is going."""
    if status == Post.Status.DRAFT:
        if post.pk and post.status != Post.Status.DRAFT:
            return post_actions.UnpublishPost(post, user=user, note=note).run()
        post.status = Post.Status.DRAFT
        return post_actions.SavePost(post, user=user, note=note).run()
    if post.published_at and post.published_at > timezone.now():
        return post_actions.SchedulePost(
            post, post.published_at, user=user, note=note
        ).run()
    if post.pk and post.status == Post.Status.PUBLISHED:
        return post_actions.SavePost(post, user=user, note=note).run()
    return post_actions.PublishPost(post, user=user, note=note).run()


# ---------------------------------------------------------------------------
# Create


def create(submission: Submission, credential: Credential, request) -> Post:
    if submission.kind != "h-entry":
        raise invalid(_("This site takes h-entry posts only."))
    props = submission.properties
    status = _status(submission.first("post-status", "published"))
    require_write_scope(credential, status)
    user = credential.user
    published = _published(submission.first("published"))
    visibility = _visibility(submission.first("visibility", "public"))
    raw_content = submission.first("content")
    body = content_rules.body_from(raw_content)
    photos = photos_from(
        props.get("photo", []),
        submission.files.get("photo", []),
        submission.commands.get("mp-photo-alt", []),
        user=user,
        request=request,
    )
    title = content_rules.title_for(
        submission.first("name"), raw_content, has_photos=bool(photos)
    )
    summary = submission.first("summary", "")
    post = Post(
        kind=Post.Kind.POST,
        title=title,
        slug=_unique_slug(submission.command("mp-slug") or title, kind=Post.Kind.POST),
        author=user,
        body=content_rules.join_body(body, *(photo.markdown() for photo in photos)),
        excerpt=summary if isinstance(summary, str) else "",
        status=status,
        published_at=published,
        visibility=visibility,
    )
    names = _category_names(props.get("category", []))
    with transaction.atomic(), post_actions.announce_together():
        post = _save(post, status, user=user, note=_("Created through Micropub"))
        if names:
            post_actions.SetPostTerms(
                post, tags=tags_named(names, user=user), user=user
            ).run()
    return post


# ---------------------------------------------------------------------------
# Update

# Properties an update may change; anything else is accepted and not kept.
SINGLE = {"name", "content", "summary", "published", "post-status", "visibility"}


def update(submission: Submission, credential: Credential, request) -> Post:
    post = find_post(submission.url, request)
    if post.status == Post.Status.TRASH:
        raise invalid(_("This post is in the trash; undelete it first."))
    user = credential.user
    values = {
        "name": [post.title],
        "content": [post.body] if post.body else [],
        "summary": [post.excerpt] if post.excerpt else [],
        "published": [post.published_at] if post.published_at else [],
        "post-status": ["draft" if post.status == Post.Status.DRAFT else "published"],
        "visibility": [post.visibility],
    }
    tags = list(post.tags.values_list("name", flat=True))
    tags_changed = False
    new_photos: list[Any] = []

    for name, given in submission.replace.items():
        if name == "category":
            tags, tags_changed = _category_names(given), True
        elif name in SINGLE:
            values[name] = given
        elif name == "photo":
            raise invalid(_("Photos are part of the content: replace content."))
    for name, given in submission.add.items():
        if name == "category":
            for tag in _category_names(given):
                if tag.lower() not in (t.lower() for t in tags):
                    tags.append(tag)
            tags_changed = True
        elif name == "photo":
            new_photos.extend(given)
        elif name in SINGLE:
            if values.get(name):
                raise invalid(
                    _("%(name)s holds one value; use replace.") % {"name": name}
                )
            values[name] = given
    deleted = submission.delete
    for name in deleted:
        if name == "category":
            if isinstance(deleted, dict):
                gone = {v.lower() for v in _category_names(deleted[name])}
                tags = [t for t in tags if t.lower() not in gone]
            else:
                tags = []
            tags_changed = True
        elif name in ("content", "summary", "name"):
            values[name] = []
        elif name in ("published", "post-status", "visibility"):
            raise invalid(_("%(name)s cannot be removed; replace it.") % {"name": name})

    status = _status(_one(values["post-status"]))
    require_write_scope(credential, post.status, status)
    raw_content = _one(values["content"])
    body = (
        raw_content
        if raw_content == post.body
        else content_rules.body_from(raw_content)
    )
    photos = photos_from(new_photos, [], [], user=user, request=request)
    body = content_rules.join_body(body, *(photo.markdown() for photo in photos))
    post.title = content_rules.title_for(
        _one(values["name"]), raw_content, has_photos=bool(photos)
    )
    post.body = body
    summary = _one(values["summary"])
    post.excerpt = summary if isinstance(summary, str) else ""
    published = _one(values["published"])
    if published != post.published_at:
        post.published_at = _published(published)
    post.visibility = _visibility(_one(values["visibility"]))
    with transaction.atomic(), post_actions.announce_together():
        post = _save(post, status, user=user, note=_("Edited through Micropub"))
        if tags_changed:
            post_actions.SetPostTerms(
                post, tags=tags_named(tags, user=user), user=user
            ).run()
    return post


def _one(values: list[Any]) -> Any:
    return values[0] if values else None


# ---------------------------------------------------------------------------
# Delete and undelete: the trash


def trash(submission: Submission, credential: Credential, request) -> Post:
    post = find_post(submission.url, request)
    require_write_scope(credential, _status_of(post))
    return post_actions.TrashPost(post, user=credential.user).run()


def restore(submission: Submission, credential: Credential, request) -> Post:
    post = find_post(submission.url, request)
    require_write_scope(credential, _status_of(post))
    return post_actions.RestorePost(post, user=credential.user).run()
