"""The fediverse's addresses: WebFinger, NodeInfo, actors, collections,
objects and inboxes. Thin: documents come from ``documents``, the inbox's
rules from ``inbox``."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.paginator import EmptyPage
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.csrf import csrf_exempt

from afterword.core.keyset import KeysetPaginator
from afterword.discussion.models import Comment
from afterword.posts.models import Post

from . import actors, documents, inbox
from .models import FediverseComment, Follower, LocalActor, PublishedObject

PAGE_SIZE = 20
AS_TYPES = ("application/activity+json", "application/ld+json")


def wants_activitystreams(request) -> bool:
    accept = request.headers.get("Accept", "")
    return any(kind in accept for kind in AS_TYPES)


def activity_response(document: dict, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False),
        status=status,
        content_type=f"{documents.CONTENT_TYPE}; charset=utf-8",
    )
    response["Vary"] = "Accept"
    response["Access-Control-Allow-Origin"] = "*"
    return response


# Discovery --------------------------------------------------------------------


def webfinger(request):
    resource = request.GET.get("resource", "").strip()
    actor = None
    if resource.lower().startswith("acct:"):
        user, _, host = resource[5:].lstrip("@").rpartition("@")
        if host.lower() == actors.host().lower():
            actor = actors.find_local(user)
    elif resource:
        actor = inbox.local_actor_for(resource)
    if actor is None:
        raise Http404("No such account here.")
    ident = actors.actor_id(actor)
    document = {
        "subject": f"acct:{actor.handle}@{actors.host()}",
        "aliases": [ident],
        "links": [
            {"rel": "self", "type": "application/activity+json", "href": ident},
            {
                "rel": "http://webfinger.net/rel/profile-page",
                "type": "text/html",
                "href": ident,
            },
        ],
    }
    response = JsonResponse(document, content_type="application/jrd+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def nodeinfo_links(request):
    return JsonResponse(
        {
            "links": [
                {
                    "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
                    "href": actors.absolute("/nodeinfo/2.1"),
                }
            ]
        }
    )


def nodeinfo(request):
    from afterword import __version__
    from afterword.accounts.models import User

    live = Post.objects.live().filter(
        kind=Post.Kind.POST, visibility=Post.Visibility.PUBLIC
    )
    writers = User.objects.filter(is_active=True, posts__in=live).distinct().count()
    document = {
        "version": "2.1",
        "software": {
            "name": "afterword",
            "version": __version__,
            "homepage": settings.SITE_URL,
        },
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": ["atom1.0", "rss2.0"]},
        "openRegistrations": False,
        "usage": {
            "users": {
                "total": writers,
                "activeMonth": writers,
                "activeHalfyear": writers,
            },
            "localPosts": live.count(),
        },
        "metadata": {"nodeName": documents.site_name()},
    }
    return JsonResponse(
        document,
        content_type='application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"',
    )


# Actors and their collections -----------------------------------------------------


def actor_or_404(handle: str) -> LocalActor:
    actor = actors.find_local(handle)
    if actor is None:
        raise Http404("No such account here.")
    return actor


def actor_document(request, handle: str):
    """The actor at its own address (content negotiation sends it here)."""
    actor = actor_or_404(handle)
    if not wants_activitystreams(request):
        return redirect(actors.actor_id(actor))
    return activity_response(documents.actor_document(actor))


def _their_posts(actor: LocalActor):
    posts = Post.objects.live().filter(
        kind=Post.Kind.POST, visibility=Post.Visibility.PUBLIC
    )
    if not actor.is_site:
        posts = posts.filter(author=actor.user)
    return posts


def _collection(request, ident: str, total: int, items_for_page) -> HttpResponse:
    page = request.GET.get("page")
    if page is None:
        document = {
            "@context": documents.CONTEXT,
            "id": ident,
            "type": "OrderedCollection",
            "totalItems": total,
        }
        if items_for_page is not None:
            document["first"] = f"{ident}?page=1"
        return activity_response(document)
    if items_for_page is None or not page.isdigit() or int(page) < 1:
        raise Http404("No such page.")
    number = int(page)
    items = items_for_page(number)
    document = {
        "@context": documents.CONTEXT,
        "id": f"{ident}?page={number}",
        "type": "OrderedCollectionPage",
        "partOf": ident,
        "totalItems": total,
        "orderedItems": items,
    }
    if number * PAGE_SIZE < total:
        document["next"] = f"{ident}?page={number + 1}"
    if number > 1:
        document["prev"] = f"{ident}?page={number - 1}"
    return activity_response(document)


def outbox(request, handle: str):
    actor = actor_or_404(handle)
    posts = (
        _their_posts(actor)
        .order_by("-published_at", "-id")
        .select_related("author__fediverse_actor")
        .prefetch_related("tags", "catalog_works__work")
    )
    ident = actors.collection_url(actor, "outbox")
    # Pages read from their boundaries, the total from the same query: no
    # COUNT(*) and no OFFSET however long the outbox (core.keyset).
    paginator = KeysetPaginator(posts, PAGE_SIZE, key=f"ap-outbox:{ident}")

    def page(number: int) -> list:
        try:
            chosen = paginator.page(number).object_list
        except EmptyPage:
            return []
        items = []
        site = actors.site_actor()
        for post in chosen:
            article = documents.article(post, site)
            items.append(
                {
                    "id": f"{article['id']}#create",
                    "type": "Create",
                    "actor": article["attributedTo"],
                    "published": article["published"],
                    "to": article["to"],
                    "cc": article["cc"],
                    "object": article,
                }
            )
        return items

    return _collection(request, ident, paginator.count, page)


def followers(request, handle: str):
    actor = actor_or_404(handle)
    total = Follower.objects.filter(actor=actor, state=Follower.State.ACCEPTED).count()
    # Who follows a writer is theirs to know, not the world's: the count only.
    return _collection(request, actors.collection_url(actor, "followers"), total, None)


def following(request, handle: str):
    actor = actor_or_404(handle)
    return _collection(request, actors.collection_url(actor, "following"), 0, None)


def featured(request, handle: str):
    actor = actor_or_404(handle)
    pinned = (
        _their_posts(actor)
        .filter(sticky=True)
        .select_related("author")
        .prefetch_related("tags", "catalog_works__work")
        .order_by("-published_at")[:PAGE_SIZE]
    )
    items = [documents.article(post) for post in pinned]
    return activity_response(
        {
            "@context": documents.CONTEXT,
            "id": actors.collection_url(actor, "featured"),
            "type": "OrderedCollection",
            "totalItems": len(items),
            "orderedItems": items,
        }
    )


@csrf_exempt
def inbox_view(request, handle: str | None = None):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if handle is not None:
        actor_or_404(handle)
    try:
        outcome = inbox.receive(request)
    except inbox.Refusal as refusal:
        return JsonResponse({"error": refusal.message}, status=refusal.status)
    return JsonResponse({"result": outcome}, status=202)


# Objects -------------------------------------------------------------------------


def post_object(request, pk: int):
    post = (
        Post.objects.filter(pk=pk, kind=Post.Kind.POST)
        .select_related("author")
        .prefetch_related("tags", "catalog_works__work")
        .first()
    )
    if post is not None and documents.federates(post):
        if not wants_activitystreams(request):
            return redirect(post.get_absolute_url())
        return activity_response(documents.with_context(documents.article(post)))
    record = PublishedObject.objects.filter(post_id=pk, published=False).first()
    if record is not None and record.deleted_at is not None:
        return activity_response(
            documents.tombstone(actors.post_object_id(pk), record.deleted_at),
            status=410,
        )
    raise Http404("No such post.")


def comment_object(request, pk: int):
    link = get_object_or_404(
        FediverseComment.objects.select_related("comment", "comment__post"),
        comment_id=pk,
        remote__isnull=True,
        comment__status=Comment.Status.APPROVED,
    )
    comment = link.comment
    if not documents.federates(comment.post):
        raise Http404("No such comment.")
    if not wants_activitystreams(request):
        return redirect(comment.get_absolute_url())
    parent = FediverseComment.objects.filter(comment_id=comment.parent_id).first()
    in_reply_to = parent.object_id if parent else actors.post_object_id(comment.post_id)
    return activity_response(
        documents.with_context(
            documents.note(comment, in_reply_to, parent.remote if parent else None)
        )
    )
