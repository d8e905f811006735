"""What the editor page prints: the panel's chosen items and the post's state.

The same page is printed for a post as stored (a GET) and for a form sent
back with a refusal, so the chosen tags, works and people come either from
the post or from the form's data, never lost in between.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from afterword.catalog.models import PostMention, PostWork
from afterword.catalog.rules import rating_scale
from afterword.posts.models import Post

from ..models import Autosave
from .forms import EditorForm, WorkLink
from .saving import latest_revision


def initial_for(post: Post) -> dict:
    """The form's starting values for a stored (or brand new) post."""
    if post.pk is None:
        return {"visibility": "public", "comments_open": True}
    latest = latest_revision(post)
    part = getattr(post, "series_part", None) if post.pk else None
    return {
        "title": post.title,
        "body": post.body,
        "slug": post.slug,
        "excerpt": post.excerpt,
        "published_at": timezone.localtime(post.published_at)
        if post.published_at
        else None,
        "visibility": post.visibility,
        "password": post.password,
        "comments_open": post.comments_open,
        "sticky": post.sticky,
        "series_position": part.position if part else None,
        "base_revision": latest.pk if latest else None,
    }


def chosen_items(post: Post, form: EditorForm | None) -> dict:
    """Tags, categories, image, series, works and people shown as chosen."""
    chosen = _chosen(post, form)
    image = chosen.pop("featured_image")
    chosen["featured_images"] = [image] if image else []
    return chosen


def _chosen(post: Post, form: EditorForm | None) -> dict:
    if form is not None and form.is_bound and hasattr(form, "cleaned_data"):
        data = form.cleaned_data
        links = form.work_links() if "work" in data else []
        series = data.get("series")
        return {
            "tags": list(data.get("tag") or []),
            "categories": list(data.get("category") or []),
            "featured_image": data.get("featured_image"),
            "series": [series] if series else [],
            "works": links,
            "people": list(data.get("person") or []),
        }
    if post.pk is None:
        return {
            "tags": [],
            "categories": [],
            "featured_image": None,
            "series": [],
            "works": [],
            "people": [],
        }
    part = (
        post.series_part
        if hasattr(post, "series_part") and post.series_part is not None
        else None
    )
    links = [
        WorkLink(
            link.work,
            rating="" if link.rating is None else f"{link.rating.normalize():f}",
            spoilers=link.contains_spoilers,
            primary=link.is_primary,
        )
        for link in PostWork.objects.filter(post=post).select_related("work")
    ]
    people = [
        mention.person
        for mention in PostMention.objects.filter(
            post=post, person__isnull=False
        ).select_related("person")
    ]
    return {
        "tags": list(post.tags.all()),
        "categories": list(post.categories.all()),
        "featured_image": post.featured_image,
        "series": [part.series] if part else [],
        "works": links,
        "people": people,
    }


def unsaved_text(post: Post, user) -> Autosave | None:
    """The writer's autosave, when it holds text the post does not."""
    if post.pk is None:
        return None
    autosave = Autosave.objects.filter(post=post, user=user).first()
    if autosave is None:
        return None
    if (autosave.title, autosave.body, autosave.excerpt) == (
        post.title,
        post.body,
        post.excerpt,
    ):
        return None
    latest = latest_revision(post)
    if latest is not None and latest.created_at > autosave.saved_at:
        return None
    return autosave


def slug_follows_title(post: Post) -> bool:
    """Whether the address may still follow the title as it is typed: never
    once the post has been out, nor after the writer chose one."""
    if post.pk is None:
        return True
    if post.status != Post.Status.DRAFT or post.published_at is not None:
        return False
    made = slugify(post.title, allow_unicode=True) or "draft"
    return post.slug == made or post.slug.startswith(("draft", made + "-"))


def endpoints(post: Post) -> dict[str, str]:
    return {
        "autosave": reverse("desk:editor_autosave"),
        "preview": reverse("desk:editor_preview"),
        "upload": reverse("desk:editor_upload"),
        "edit_pattern": reverse("desk:edit_post", args=[0]),
    }


def permissions(user) -> dict[str, bool]:
    return {
        "publish": user.has_perm("posts.publish_post"),
        "upload": user.has_perm("media.add_image"),
        "add_work": user.has_perm("catalog.add_work"),
        "add_person": user.has_perm("catalog.add_person"),
        "add_tag": user.has_perm("posts.add_tag"),
        "people": user.has_perm("catalog.add_postmention"),
        "series": user.has_perm("series.change_seriespart"),
        "images": user.has_perm("media.view_image"),
        "ratings": rating_scale() > 0,
        "scale": rating_scale(),
    }
