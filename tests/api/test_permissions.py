"""Every endpoint, as each role and as a read-only credential.

Each case builds one small site, then sends its request once per role, each
inside a transaction rolled back afterwards, so every role meets the same
rows. The table must name every operation of the OpenAPI schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from afterword.accounts.actions import SetRole
from afterword.api.v1 import api as ninja_api
from afterword.catalog.actions import SaveCatalogObject
from afterword.catalog.models import Credit, Person, Role, Work
from afterword.credentials import scopes
from afterword.discussion.actions import AddComment
from afterword.media.actions import UploadImage
from afterword.posts.actions import SavePost, SaveTerm, TrashPost
from afterword.posts.models import Category, Post, Tag
from afterword.series.actions import SavePart, SaveSeries
from afterword.series.models import Series, SeriesPart
from afterword.subscriptions.models import Subscriber
from tests import factories
from tests.media.images import image_bytes

from .conftest import client_of

pytestmark = pytest.mark.django_db

WHO = ("contributor", "author", "editor", "administrator", "read-only")


def everyone(status):
    return dict.fromkeys(WHO, status)


def writes(c, a, e, ad=None):
    """Statuses for contributor, author, editor, administrator (editor's by
    default); a read-only credential is always refused for its scope."""
    return {
        "contributor": c,
        "author": a,
        "editor": e,
        "administrator": e if ad is None else ad,
        "read-only": 403,
    }


@dataclass
class Case:
    operation: str
    method: str
    path: str
    expected: dict
    body: dict | None = None
    multipart: bool = False
    name: str = ""
    extra: dict = field(default_factory=dict)

    def __str__(self):
        return self.name or self.operation


CASES = [
    Case("list_posts", "GET", "/posts", everyone(200)),
    Case("get_post", "GET", "/posts/{post}", everyone(200)),
    Case(
        "create_post",
        "POST",
        "/posts",
        writes(403, 201, 201),
        {"title": "Out now", "status": "published"},
        name="create_post (published: contributors cannot)",
    ),
    Case(
        "create_post",
        "POST",
        "/posts",
        writes(201, 201, 201),
        {"title": "A draft"},
        name="create_post (draft)",
    ),
    Case(
        "update_post",
        "PATCH",
        "/posts/{post}",
        writes(403, 403, 200),
        {"title": "Edited by someone else"},
        name="update_post (another author's)",
    ),
    Case(
        "update_post",
        "PATCH",
        "/posts/{own}",
        writes(403, 200, 200),
        {"status": "published"},
        name="update_post (publishing one's own draft)",
    ),
    Case("delete_post", "DELETE", "/posts/{post}", writes(403, 403, 204)),
    Case("trash_post", "POST", "/posts/{post}/trash", writes(403, 403, 200)),
    Case(
        "restore_post",
        "POST",
        "/posts/{own}/restore",
        writes(403, 200, 200),
        name="restore_post (one's own, trashed once out)",
    ),
    Case("list_pages", "GET", "/pages", everyone(200)),
    Case("get_page", "GET", "/pages/{page}", everyone(200)),
    Case("create_page", "POST", "/pages", writes(403, 403, 201), {"title": "About"}),
    Case("update_page", "PATCH", "/pages/{page}", writes(403, 403, 200), {"body": "x"}),
    Case("delete_page", "DELETE", "/pages/{page}", writes(403, 403, 204)),
    Case("trash_page", "POST", "/pages/{page}/trash", writes(403, 403, 200)),
    Case(
        "restore_page",
        "POST",
        "/pages/{trashed_page}/restore",
        # Another writer's trashed page is not theirs to see.
        writes(404, 404, 200),
    ),
    Case("list_images", "GET", "/media", everyone(200)),
    Case("get_image", "GET", "/media/{image}", everyone(200)),
    Case("upload_image", "POST", "/media", writes(403, 201, 201), multipart=True),
    Case(
        "update_image",
        "PATCH",
        "/media/{image}",
        writes(403, 200, 200),
        {"alt_text": "Two people on a bench"},
    ),
    Case("delete_image", "DELETE", "/media/{image}", writes(403, 403, 204)),
    Case("list_tags", "GET", "/tags", everyone(200)),
    Case("get_tag", "GET", "/tags/{tag}", everyone(200)),
    Case("create_tag", "POST", "/tags", writes(201, 201, 201), {"name": "Mecha"}),
    Case("update_tag", "PATCH", "/tags/{tag}", writes(403, 403, 200), {"name": "X"}),
    Case("delete_tag", "DELETE", "/tags/{tag}", writes(403, 403, 204)),
    Case("list_categories", "GET", "/categories", everyone(200)),
    Case("get_category", "GET", "/categories/{category}", everyone(200)),
    Case(
        "create_category", "POST", "/categories", writes(403, 403, 201), {"name": "N"}
    ),
    Case(
        "update_category",
        "PATCH",
        "/categories/{category}",
        writes(403, 403, 200),
        {"description": "Longer pieces."},
    ),
    Case("delete_category", "DELETE", "/categories/{category}", writes(403, 403, 204)),
    Case("list_comments", "GET", "/comments", everyone(200)),
    Case(
        "get_comment",
        "GET",
        "/comments/{comment}",
        {**everyone(200), "contributor": 404, "author": 404},
    ),
    Case(
        "update_comment",
        "PATCH",
        "/comments/{comment}",
        writes(404, 404, 200),
        {"status": "approved"},
    ),
    Case("delete_comment", "DELETE", "/comments/{comment}", writes(404, 404, 204)),
    Case(
        "reply_to_comment",
        "POST",
        "/comments/{comment}/replies",
        writes(404, 404, 201),
        {"body": "Thank you."},
    ),
    Case("list_works", "GET", "/works", everyone(200)),
    Case("get_work", "GET", "/works/{work}", everyone(200)),
    Case(
        "create_work", "POST", "/works", writes(403, 201, 201), {"title": "Kagemusha"}
    ),
    Case(
        "update_work", "PATCH", "/works/{work}", writes(403, 403, 200), {"year": 1985}
    ),
    Case("delete_work", "DELETE", "/works/{work}", writes(403, 403, 204)),
    Case("list_people", "GET", "/people", everyone(200)),
    Case("get_person", "GET", "/people/{person}", everyone(200)),
    Case("create_person", "POST", "/people", writes(403, 201, 201), {"name": "Mifune"}),
    Case(
        "update_person",
        "PATCH",
        "/people/{person}",
        writes(403, 403, 200),
        {"bio": "x"},
    ),
    Case("delete_person", "DELETE", "/people/{person}", writes(403, 403, 204)),
    Case("list_credits", "GET", "/works/{work}/credits", everyone(200)),
    Case("get_credit", "GET", "/credits/{credit}", everyone(200)),
    Case(
        "create_credit",
        "POST",
        "/works/{work}/credits",
        writes(403, 403, 201),
        {"person": "{person}", "role": "music"},
    ),
    Case(
        "update_credit",
        "PATCH",
        "/credits/{credit}",
        writes(403, 403, 200),
        {"character_name": "Lady Kaede"},
    ),
    Case("delete_credit", "DELETE", "/credits/{credit}", writes(403, 403, 204)),
    Case("list_series", "GET", "/series", everyone(200)),
    Case("get_series", "GET", "/series/{series}", everyone(200)),
    Case("create_series", "POST", "/series", writes(403, 201, 201), {"title": "Kon"}),
    Case(
        "update_series",
        "PATCH",
        "/series/{series}",
        writes(403, 200, 200),
        {"description": "More."},
    ),
    Case("delete_series", "DELETE", "/series/{series}", writes(403, 403, 204)),
    Case("list_parts", "GET", "/series/{series}/parts", everyone(200)),
    Case("get_part", "GET", "/series/{series}/parts/{part}", everyone(200)),
    Case(
        "create_part",
        "POST",
        "/series/{series}/parts",
        writes(403, 201, 201),
        {"planned_title": "Part two", "position": 2},
    ),
    Case(
        "update_part",
        "PATCH",
        "/series/{series}/parts/{part}",
        writes(403, 200, 200),
        {"position": 5},
    ),
    Case(
        "delete_part", "DELETE", "/series/{series}/parts/{part}", writes(403, 403, 204)
    ),
    Case(
        "follower_counts",
        "GET",
        "/followers/counts",
        {**everyone(200), "contributor": 403, "author": 403},
    ),
    Case(
        "list_followers",
        "GET",
        "/followers",
        {**everyone(403), "administrator": 200, "read-only": 200},
    ),
]


def test_the_table_names_every_operation():
    schema = ninja_api.get_openapi_schema(path_prefix="/api/v1/")
    operations = {
        op["operationId"] for item in schema["paths"].values() for op in item.values()
    }
    assert operations == {case.operation for case in CASES}


@pytest.fixture
def site(db, post_factory, media_root):
    """Writers of each role, and one of every row, owned by someone else."""
    clients = {}
    for role in ("contributor", "author", "editor", "administrator"):
        account = factories.UserFactory(username=f"table-{role}")
        SetRole(account, role).run()
        clients[role] = client_of(account)
    clients["read-only"] = client_of(
        clients["administrator"].user, {scopes.READ}, name="read-only"
    )
    other = factories.UserFactory(username="other-author")
    SetRole(other, "author").run()
    post = post_factory(author=other, title="Theirs", slug="theirs")
    page = post_factory(
        author=other, title="Their page", slug="their-page", kind="page"
    )
    trashed_page = post_factory(
        author=other, title="Old page", slug="old-page", kind="page"
    )
    TrashPost(trashed_page).run()
    comment = AddComment(
        post, name="Reader", email="r@example.test", body="Hi", status="pending"
    ).run()
    image = UploadImage(
        SimpleUploadedFile("s.png", image_bytes(size=(40, 30))), alt_text="A still"
    ).run()
    tag = SaveTerm(Tag(name="Anime", slug="anime")).run()
    category = SaveTerm(Category(name="Reviews", slug="reviews")).run()
    work = SaveCatalogObject(Work(title="Ran", slug="ran")).run()
    person = SaveCatalogObject(Person(name="Akira Kurosawa", slug="kurosawa")).run()
    credit = SaveCatalogObject(
        Credit(work=work, person=person, role=Role.objects.get(slug="director"))
    ).run()
    series = SaveSeries(Series(title="Kurosawa", slug="kurosawa")).run()
    part = SavePart(SeriesPart(series=series, planned_title="Ran", position=1)).run()
    Subscriber.objects.create(email="f@example.test", confirmed_at=timezone.now())
    return {
        "clients": clients,
        "ids": {
            "post": post.pk,
            "page": page.pk,
            "trashed_page": trashed_page.pk,
            "comment": comment.pk,
            "image": image.pk,
            "tag": tag.pk,
            "category": category.pk,
            "work": work.pk,
            "person": person.pk,
            "credit": credit.pk,
            "series": series.pk,
            "part": part.pk,
        },
    }


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def send(client, case: Case, ids: dict, role: str):
    path = "/api/v1" + case.path.format(**ids)
    if case.multipart:
        upload = SimpleUploadedFile(f"{role}.png", image_bytes(size=(30, 20)))
        return client.post(path, {"file": upload}, content_type="multipart/form-data")
    body = None
    if case.body is not None:
        body = {
            key: int(value.format(**ids)) if value == "{person}" else value
            for key, value in case.body.items()
        }
    return client.request(case.method, path, body)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_who_may_do_what(site, case):
    ids = dict(site["ids"])
    # Each writer's own draft, for the case that publishes one.
    owned = {}
    for role, client in site["clients"].items():
        if role != "read-only":
            owned[role] = factories.save(
                factories.PostFactory.build(
                    author=client.user,
                    slug=f"own-{role}",
                    status=Post.Status.DRAFT,
                    published_at=None,
                )
            ).pk
    owned["read-only"] = owned["administrator"]
    if case.operation == "restore_post":
        # Their own post, published and then trashed: bringing it back puts
        # it before readers again, which a contributor's role never does.
        for pk in owned.values():
            post = Post.objects.get(pk=pk)
            if post.status == Post.Status.DRAFT:
                post.status = Post.Status.PUBLISHED
                SavePost(post).run()
                TrashPost(post).run()
    got = {}
    for role in WHO:
        with transaction.atomic():
            response = send(
                site["clients"][role], case, {**ids, "own": owned[role]}, role
            )
            transaction.set_rollback(True)
        got[role] = response.status_code
        if response.status_code >= 400:
            assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert got == case.expected
