"""Content negotiation: the same address for people and for servers.

An author page, the home page and a post page answer a request that asks
for ActivityStreams (``Accept: application/activity+json`` or
``application/ld+json; profile="https://www.w3.org/ns/activitystreams"``)
with the actor or the ``Article`` instead of HTML. The middleware sits
before the page cache, so a cached HTML page is never given to a server,
and every such answer says ``Vary: Accept``. A site served from page files
by nginx must send these requests to the application (docs/fediverse.md).
"""

from __future__ import annotations

from django.urls import Resolver404, resolve

from . import actors, views
from .models import LocalActor


class ActivityStreamsNegotiationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and views.wants_activitystreams(request):
            answer = self.answer(request)
            if answer is not None:
                return answer
        return self.get_response(request)

    def answer(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.view_name == "posts:home":
            return self.actor(request, actors.site_actor())
        if match.view_name == "posts:author":
            actor = actors.find_local(match.kwargs["username"])
            return self.actor(request, actor) if actor else None
        if match.view_name == "posts:post":
            from afterword.posts.models import Post

            post = (
                Post.objects.filter(kind=Post.Kind.POST, slug=match.kwargs["slug"])
                .only("pk")
                .first()
            )
            if post is not None:
                return views.post_object(request, post.pk)
        return None

    def actor(self, request, actor: LocalActor):
        from . import documents

        return views.activity_response(documents.actor_document(actor))
