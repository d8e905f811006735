"""Per-request cost of django-ninja and Django REST framework, side by side.

The API could have been built on either; this measures what each adds to a
plain Django view for the same job: authenticate nothing, serialise a list
of 20 posts of 8 fields to JSON, and parse plus validate a small JSON body.
Both frameworks run in one process against the same WSGI handler, so the
figures compare like with like. Needs both installed (DRF is not one of
Afterword's dependencies: `pip install djangorestframework` to run this).

    .venv/bin/python bench/api_frameworks.py [--requests 3000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, datetime

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench",
    ALLOWED_HOSTS=["testserver"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[
        "django.contrib.contenttypes",
        "django.contrib.auth",
        "rest_framework",
    ],
    MIDDLEWARE=[],
    DATABASES={},
    USE_TZ=True,
    REST_FRAMEWORK={
        "DEFAULT_AUTHENTICATION_CLASSES": [],
        "DEFAULT_PERMISSION_CLASSES": [],
        "UNAUTHENTICATED_USER": None,
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    },
)
django.setup()

from django.http import JsonResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from ninja import NinjaAPI, Schema  # noqa: E402
from rest_framework import serializers  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
POSTS = [
    {
        "id": n,
        "title": f"Part {n} of the anthology",
        "slug": f"part-{n}",
        "status": "published",
        "published_at": NOW,
        "excerpt": "A short excerpt of the review, free of spoilers. " * 3,
        "tags": ["anime", "anthology", "1987"],
        "rating": 4,
    }
    for n in range(1, 21)
]
NEW_POST = {"title": "A new draft", "body": "Some *Markdown* text.", "tags": ["anime"]}


# Plain Django ------------------------------------------------------------


def plain_list(request):
    items = [
        {**post, "published_at": post["published_at"].isoformat()} for post in POSTS
    ]
    return JsonResponse({"items": items, "next": None})


@csrf_exempt
def plain_create(request):
    data = json.loads(request.body)
    if not isinstance(data.get("title"), str) or not isinstance(data.get("body"), str):
        return JsonResponse({"error": "bad"}, status=422)
    return JsonResponse({"id": 21, "title": data["title"]}, status=201)


# django-ninja -------------------------------------------------------------

api = NinjaAPI(urls_namespace="ninja")


class PostOut(Schema):
    id: int
    title: str
    slug: str
    status: str
    published_at: datetime
    excerpt: str
    tags: list[str]
    rating: int


class PageOut(Schema):
    items: list[PostOut]
    next: str | None


class PostIn(Schema):
    title: str
    body: str
    tags: list[str] = []


class Created(Schema):
    id: int
    title: str


@api.get("/posts", response=PageOut)
def ninja_list(request):
    return {"items": POSTS, "next": None}


@api.post("/posts", response={201: Created})
def ninja_create(request, payload: PostIn):
    return 201, {"id": 21, "title": payload.title}


# Django REST framework ------------------------------------------------------


class PostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()
    status = serializers.CharField()
    published_at = serializers.DateTimeField()
    excerpt = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    rating = serializers.IntegerField()


class PostInSerializer(serializers.Serializer):
    title = serializers.CharField()
    body = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField(), required=False)


class DrfPosts(APIView):
    def get(self, request):
        return Response({"items": PostSerializer(POSTS, many=True).data, "next": None})

    def post(self, request):
        incoming = PostInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return Response(
            {"id": 21, "title": incoming.validated_data["title"]}, status=201
        )


urlpatterns = [
    path("plain/posts", plain_list),
    path("plain/create", plain_create),
    path("ninja/", api.urls),
    path("drf/posts", DrfPosts.as_view()),
]


def timed(client: Client, method: str, url: str, count: int) -> float:
    """Median of 5 rounds, microseconds per request."""
    body = json.dumps(NEW_POST)
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(count):
            if method == "get":
                response = client.get(url)
            else:
                response = client.post(url, body, content_type="application/json")
        rounds.append((time.perf_counter() - start) / count * 1e6)
        assert response.status_code in (200, 201), (url, response.status_code)
    return statistics.median(rounds)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args(argv)
    client = Client()
    cases = [
        ("list of 20 (GET)", "get", "/plain/posts", "/ninja/posts", "/drf/posts"),
        ("create (POST JSON)", "post", "/plain/create", "/ninja/posts", "/drf/posts"),
    ]
    print(f"{args.requests} requests per round, median of 5 rounds, µs per request")
    print(f"{'':22}{'Django':>10}{'ninja':>10}{'DRF':>10}{'ninja +':>10}{'DRF +':>10}")
    for label, method, plain, ninja_url, drf_url in cases:
        base = timed(client, method, plain, args.requests)
        ninja_cost = timed(client, method, ninja_url, args.requests)
        drf_cost = timed(client, method, drf_url, args.requests)
        ratio = (drf_cost - base) / max(ninja_cost - base, 1)
        print(
            f"{label:22}{base:10.0f}{ninja_cost:10.0f}{drf_cost:10.0f}"
            f"{ninja_cost - base:10.0f}{drf_cost - base:10.0f}"
            f"   (DRF's overhead / ninja's: {ratio:.1f}×)"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
