"""The Micropub queries: ``q=config``, ``source``, ``syndicate-to``, ``category``."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from afterword.credentials.auth import Credential
from afterword.posts.models import Post, Tag
from afterword.posts.visibility import can_edit

from . import content as content_rules
from .entries import find_post
from .errors import FORBIDDEN, MicropubError, invalid

QUERIES = ("config", "source", "syndicate-to", "category")
# Tags named by one q=category answer at most.
CATEGORY_LIMIT = 500


def config(request: HttpRequest, credential: Credential) -> dict:
    return {
        "media-endpoint": request.build_absolute_uri(reverse("micropub:media")),
        # The site sends posts nowhere else.
        "syndicate-to": [],
        "post-types": [
            {"type": "note", "name": _("Note")},
            {"type": "article", "name": _("Article")},
            {"type": "photo", "name": _("Photo")},
        ],
        "q": list(QUERIES),
    }


def syndicate_to(request: HttpRequest, credential: Credential) -> dict:
    return {"syndicate-to": []}


def category(request: HttpRequest, credential: Credential) -> dict:
    tags = Tag.objects.order_by("name")
    wanted = request.GET.get("filter", "").strip()
    if wanted:
        tags = tags.filter(name__icontains=wanted[:100])
    return {"categories": list(tags.values_list("name", flat=True)[:CATEGORY_LIMIT])}


def source(request: HttpRequest, credential: Credential) -> dict:
    """A post's properties as Micropub names them, for a client to edit.

    ``content`` is the Markdown body as a string, or, for a post whose
    content came as HTML, ``{"html": …}`` (its figures included). Photos are
    figures inside the content, so ``photo`` is not listed separately.
    """
    post = find_post(request.GET.get("url", ""), request)
    if not can_edit(credential.user, post):
        raise MicropubError(FORBIDDEN, _("You may not edit this post."))
    status = (
        post.status_before_trash if post.status == Post.Status.TRASH else post.status
    )
    properties = {
        "name": [post.title],
        "content": [
            {"html": post.body_html}
            if content_rules.is_html_body(post.body)
            else post.body
        ]
        if post.body
        else [],
        "summary": [post.excerpt] if post.excerpt else [],
        "category": list(post.tags.values_list("name", flat=True)),
        "published": [post.published_at.isoformat()] if post.published_at else [],
        "post-status": ["draft" if status == Post.Status.DRAFT else "published"],
        "visibility": [post.visibility],
        "mp-slug": [post.slug],
        "url": [request.build_absolute_uri(post.get_absolute_url())],
    }
    wanted = request.GET.getlist("properties[]") + request.GET.getlist("properties")
    if wanted:
        return {
            "properties": {
                name: values
                for name, values in properties.items()
                if name in wanted and values
            }
        }
    return {
        "type": ["h-entry"],
        "properties": {name: values for name, values in properties.items() if values},
    }


ANSWERS = {
    "config": config,
    "source": source,
    "syndicate-to": syndicate_to,
    "category": category,
}


def answer(request: HttpRequest, credential: Credential) -> dict:
    query = request.GET.get("q", "")
    if query not in ANSWERS:
        raise invalid(
            _("Ask q=config, q=source, q=syndicate-to or q=category.")
            if not query
            else _("Unknown query %(q)r.") % {"q": query}
        )
    return ANSWERS[query](request, credential)
