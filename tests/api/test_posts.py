"""Posts and pages through the API, with real credentials."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from afterword.credentials import scopes
from afterword.posts.models import Post, Revision
from tests import factories

pytestmark = pytest.mark.django_db


def later(**delta) -> str:
    return (timezone.now() + datetime.timedelta(**delta)).isoformat()


def test_a_draft_is_created_read_edited_and_deleted(api_as):
    api = api_as("author")
    made = api.post(
        "/api/v1/posts",
        {
            "title": "Perfect Blue, again",
            "body": "A *second* look.",
            "tags": ["Satoshi Kon", "Anime"],
        },
    )
    assert made.status_code == 201, made.content
    post = made.json()
    assert post["status"] == "draft"
    assert post["slug"] == "perfect-blue-again"
    assert post["body_html"] == "<p>A <em>second</em> look.</p>\n"
    assert [t["slug"] for t in post["tags"]] == ["anime", "satoshi-kon"]
    assert made["ETag"].startswith('W/"')

    read = api.get(f"/api/v1/posts/{post['id']}")
    assert read.status_code == 200
    assert read.json() == post
    assert read["ETag"] == made["ETag"]

    edited = api.patch(
        f"/api/v1/posts/{post['id']}",
        {"body": "A *third* look."},
        headers={"If-Match": read["ETag"]},
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["body"] == "A *third* look."
    assert edited.json()["tags"] == post["tags"]
    assert Revision.objects.filter(post_id=post["id"]).count() == 2

    gone = api.delete(f"/api/v1/posts/{post['id']}")
    assert gone.status_code == 204
    assert not Post.objects.filter(pk=post["id"]).exists()
    assert api.get(f"/api/v1/posts/{post['id']}").status_code == 404


def test_publishing_and_scheduling_need_the_publish_scope(api_as):
    drafts_only = api_as("author", scopes_={scopes.READ, scopes.DRAFT})
    refused = drafts_only.post(
        "/api/v1/posts", {"title": "Out now", "status": "published"}
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "insufficient_scope"
    assert not Post.objects.exists()

    publisher = api_as("author", username="publisher")
    out = publisher.post("/api/v1/posts", {"title": "Out now", "status": "published"})
    assert out.status_code == 201
    assert Post.objects.get().is_live()

    later_post = publisher.post(
        "/api/v1/posts",
        {"title": "Tomorrow", "status": "scheduled", "published_at": later(days=1)},
    )
    assert later_post.status_code == 201
    assert later_post.json()["status"] == "scheduled"
    assert not Post.objects.get(slug="tomorrow").is_live()


def test_scheduling_in_the_past_is_refused(api_as):
    api = api_as("editor")
    response = api.post(
        "/api/v1/posts",
        {"title": "Yesterday", "status": "scheduled", "published_at": later(days=-1)},
    )
    assert response.status_code == 422
    assert "published_at" in response.json()["error"]["fields"]
    assert not Post.objects.exists()


def test_a_naive_time_is_refused(api_as):
    response = api_as("editor").post(
        "/api/v1/posts",
        {"title": "When?", "status": "scheduled", "published_at": "2099-01-01T10:00"},
    )
    assert response.status_code == 422
    assert "published_at" in response.json()["error"]["fields"]


def test_a_script_in_the_markdown_never_reaches_the_html(api_as):
    response = api_as("editor").post(
        "/api/v1/posts",
        {
            "title": "Sneaky",
            "body": "Hello <script>alert(1)</script>\n\n"
            '<img src=x onerror="alert(2)">\n\n[link](javascript:alert(3))',
            "status": "published",
        },
    )
    assert response.status_code == 201
    html = response.json()["body_html"]
    assert "<script" not in html
    assert "onerror" not in html
    assert 'href="javascript' not in html
    assert Post.objects.get().body_html == html


def test_a_slug_clash_is_a_field_error(api_as):
    api = api_as("editor")
    assert api.post("/api/v1/posts", {"title": "Akira"}).status_code == 201
    clash = api.post("/api/v1/posts", {"title": "Akira again", "slug": "akira"})
    assert clash.status_code == 422
    assert clash.json()["error"]["fields"] == {
        "slug": "This slug is taken; choose another."
    }
    # Pages have addresses of their own.
    assert api.post("/api/v1/pages", {"title": "Akira"}).status_code == 201


@pytest.mark.parametrize(
    "body, status, field",
    [
        ('{"title": "broken', 400, None),
        ({"title": 12}, 422, "title"),
        ({"title": "x", "sticky": "very"}, 422, "sticky"),
        ({"title": "x", "status": "live"}, 422, "status"),
        ({"title": "x", "colour": "red"}, 422, "colour"),
        ({"title": "x", "tags": "one"}, 422, "tags"),
        ({}, 422, "title"),
        ({"title": "x", "slug": "no spaces"}, 422, "slug"),
        ([1, 2], 422, "body"),
    ],
)
def test_bad_bodies_get_an_error_object(api_as, body, status, field):
    response = api_as("editor").post("/api/v1/posts", body)
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    if field:
        assert field in error["fields"], error
    assert not Post.objects.exists()


def test_a_body_over_the_limit_is_413(api_as):
    big = '{"title": "x", "body": "' + "a" * (10 * 2**20) + '"}'
    response = api_as("editor").post("/api/v1/posts", big)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert not Post.objects.exists()


def test_if_match_mismatch_is_412_and_changes_nothing(api_as):
    first = api_as("editor")
    second = api_as("administrator")
    made = first.post("/api/v1/posts", {"title": "Two editors", "body": "Original."})
    url = f"/api/v1/posts/{made.json()['id']}"
    seen = first.get(url)["ETag"]
    assert second.get(url)["ETag"] == seen

    won = second.patch(
        url, {"body": "The second editor's."}, headers={"If-Match": seen}
    )
    assert won.status_code == 200
    lost = first.patch(url, {"body": "The first editor's."}, headers={"If-Match": seen})
    assert lost.status_code == 412
    assert lost.json()["error"]["code"] == "precondition_failed"
    assert lost["ETag"] == won["ETag"]
    assert Post.objects.get().body == "The second editor's."
    refused_delete = first.delete(url, headers={"If-Match": seen})
    assert refused_delete.status_code == 412
    assert Post.objects.exists()


def test_if_none_match_answers_304(api_as):
    api = api_as("editor")
    made = api.post("/api/v1/posts", {"title": "Cached"})
    url = f"/api/v1/posts/{made.json()['id']}"
    tag = api.get(url)["ETag"]
    again = api.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    api.patch(url, {"title": "Changed"})
    assert api.get(url, headers={"If-None-Match": tag}).status_code == 200


def make_posts(count: int, author) -> None:
    now = timezone.now()
    for n in range(count):
        post = factories.PostFactory.build(
            author=author,
            published_at=now - datetime.timedelta(minutes=n),
            slug=f"listed-{n}",
        )
        factories.save(post)
        post.tags.add(factories.TagFactory(slug=f"t{n % 3}"))


def test_cursor_pages_cover_every_post_once(api_as):
    api = api_as("editor")
    make_posts(12, api.user)
    seen, cursor = [], None
    while True:
        query = "?limit=5" + (f"&cursor={cursor}" if cursor else "")
        page = api.get("/api/v1/posts" + query).json()
        seen += [item["slug"] for item in page["items"]]
        cursor = page["next"]
        if not cursor:
            break
    assert seen == [f"listed-{n}" for n in range(12)]


def test_a_forged_cursor_or_a_large_limit_is_refused(api_as):
    api = api_as("editor")
    forged = api.get("/api/v1/posts?cursor=eyJ0IjoxfQ:forged")
    assert forged.status_code == 422
    assert "cursor" in forged.json()["error"]["fields"]
    too_many = api.get("/api/v1/posts?limit=101")
    assert too_many.status_code == 422
    assert "limit" in too_many.json()["error"]["fields"]
    other_list = api.get("/api/v1/tags?limit=1")
    assert other_list.status_code == 200


def test_filters(api_as):
    api = api_as("editor")
    make_posts(6, api.user)
    api.post("/api/v1/posts", {"title": "Draft about Mononoke", "body": "forest"})
    slugs = lambda query: [  # noqa: E731
        p["slug"] for p in api.get("/api/v1/posts" + query).json()["items"]
    ]
    assert slugs("?status=draft") == ["draft-about-mononoke"]
    assert slugs("?tag=t1") == ["listed-1", "listed-4"]
    assert slugs("?search=mononoke") == ["draft-about-mononoke"]
    assert slugs(f"?author={api.user.username}&status=published&limit=2") == [
        "listed-0",
        "listed-1",
    ]
    assert slugs("?author=nobody") == []


def test_list_query_count_does_not_grow_with_the_page(api_as):
    api = api_as("editor")
    make_posts(50, api.user)
    api.get("/api/v1/posts?limit=1")  # warm caches (role, settings)
    with CaptureQueriesContext(connection) as five:
        assert len(api.get("/api/v1/posts?limit=5").json()["items"]) == 5
    with CaptureQueriesContext(connection) as fifty:
        assert len(api.get("/api/v1/posts?limit=50").json()["items"]) == 50
    assert len(five) == len(fifty)


def test_contributors_read_others_live_posts_only(api_as):
    editor = api_as("editor")
    secret = editor.post("/api/v1/posts", {"title": "Editor's draft"}).json()
    public = editor.post(
        "/api/v1/posts", {"title": "Editor's post", "status": "published"}
    ).json()
    protected = editor.post(
        "/api/v1/posts",
        {
            "title": "Behind a password",
            "status": "published",
            "visibility": "password",
            "password": "kon",
        },
    ).json()
    contributor = api_as("contributor")
    listed = contributor.get("/api/v1/posts").json()["items"]
    assert [p["id"] for p in listed] == [public["id"]]
    for hidden in (secret, protected):
        assert contributor.get(f"/api/v1/posts/{hidden['id']}").status_code == 404
    assert len(editor.get("/api/v1/posts").json()["items"]) == 3


def test_a_post_carries_categories_series_and_works(api_as):
    from afterword.catalog.models import Work
    from afterword.series.models import Series

    api = api_as("editor")
    category = api.post("/api/v1/categories", {"name": "Reviews"}).json()
    work = Work.objects.create(title="Paprika", slug="paprika", year=2006)
    series = Series.objects.create(title="Kon", slug="kon")
    made = api.post(
        "/api/v1/posts",
        {
            "title": "Paprika",
            "categories": [category["slug"]],
            "series": {"series": series.pk, "position": 1},
            "works": [{"work": work.pk, "primary": True, "rating": "4.5"}],
        },
    )
    assert made.status_code == 201, made.content
    post = made.json()
    assert post["categories"][0]["slug"] == "reviews"
    assert post["series"] == {"series": series.pk, "position": 1}
    assert post["works"] == [
        {
            "work": work.pk,
            "title": "Paprika",
            "primary": True,
            "rating": 4.5,
            "contains_spoilers": False,
        }
    ]
    cleared = api.patch(
        f"/api/v1/posts/{post['id']}", {"works": [], "series": None, "categories": []}
    ).json()
    assert (cleared["works"], cleared["series"], cleared["categories"]) == (
        [],
        None,
        [],
    )
    unknown = api.patch(f"/api/v1/posts/{post['id']}", {"categories": ["nope"]})
    assert unknown.status_code == 422
    assert "categories" in unknown.json()["error"]["fields"]


def test_pages_are_their_own_list(api_as):
    api = api_as("editor")
    api.post("/api/v1/pages", {"title": "About", "status": "published"})
    api.post("/api/v1/posts", {"title": "A post", "status": "published"})
    pages = api.get("/api/v1/pages").json()["items"]
    assert [(p["kind"], p["slug"]) for p in pages] == [("page", "about")]
    assert pages[0]["url"] == "/about/"
    refused = api.post("/api/v1/pages", {"title": "x", "tags": ["no"]})
    assert refused.status_code == 422


def test_the_trash_hides_a_post_and_restore_brings_it_back(api_as):
    author = api_as("author")
    made = author.post("/api/v1/posts", {"title": "Regrets", "status": "published"})
    url = f"/api/v1/posts/{made.json()['id']}"
    trashed = author.post(f"{url}/trash")
    assert trashed.status_code == 200, trashed.content
    assert trashed.json()["status"] == "trash"
    assert not Post.objects.get().is_live()
    assert author.get("/api/v1/posts?status=trash").json()["items"][0]["slug"] == (
        "regrets"
    )
    refused = author.patch(url, {"title": "Edited in the trash"})
    assert refused.status_code == 409
    assert Post.objects.get().title == "Regrets"
    drafts_only = api_as("author", scopes_={scopes.READ, scopes.DRAFT}, username="x")
    other = drafts_only.post("/api/v1/posts", {"title": "Mine"}).json()
    assert drafts_only.post(f"/api/v1/posts/{other['id']}/trash").status_code == 200
    restored = author.post(f"{url}/restore", headers={"If-Match": trashed["ETag"]})
    assert restored.status_code == 200
    assert restored.json()["status"] == "published"
    assert Post.objects.get(slug="regrets").is_live()
