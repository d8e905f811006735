"""A live address that changes leaves a 301 behind: posts, pages and terms,
changed the way a writer changes them (the admin's forms)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from afterword.posts.models import Post
from afterword.redirects.models import Redirect
from tests import factories
from tests.support.adminforms import change

pytestmark = pytest.mark.django_db


def _edit(admin_client, post: Post, **values) -> Post:
    name = "page" if post.is_page else "post"
    change(
        admin_client, reverse(f"admin:posts_{name}_change", args=[post.pk]), **values
    )
    return Post.objects.get(pk=post.pk)


def test_slug_changed_after_publishing_leaves_a_permanent_redirect(
    admin_client, client, publish
):
    post = publish(
        title="Perfect Blue",
        slug="perfect-blue",
        published_at=datetime(2024, 5, 3, 12, tzinfo=UTC),
    )
    assert client.get("/2024/05/perfect-blue/").status_code == 200

    moved = _edit(admin_client, post, slug="perfect-blue-1997")

    assert moved.get_absolute_url() == "/2024/05/perfect-blue-1997/"
    response = client.get("/2024/05/perfect-blue/")
    assert response.status_code == 301
    assert response["Location"] == "/2024/05/perfect-blue-1997/"
    assert client.get(response["Location"]).status_code == 200
    # Without the trailing slash, and keeping the query string.
    assert client.get("/2024/05/perfect-blue")["Location"] == (
        "/2024/05/perfect-blue-1997/"
    )
    assert client.get("/2024/05/perfect-blue/?ref=feed")["Location"] == (
        "/2024/05/perfect-blue-1997/?ref=feed"
    )
    [redirect] = Redirect.objects.all()
    assert redirect.source == Redirect.Source.MOVED
    assert redirect.target_post == moved


def test_a_new_date_in_another_month_redirects_the_old_month(
    admin_client, client, publish
):
    post = publish(slug="paprika", published_at=datetime(2024, 5, 3, 12, tzinfo=UTC))

    _edit(admin_client, post, published_at="2024-07-09T08:00:00")

    response = client.get("/2024/05/paprika/")
    assert response.status_code == 301
    assert response["Location"] == "/2024/07/paprika/"


def test_a_draft_renamed_leaves_nothing_behind(admin_client, client, publish):
    draft = publish(slug="notes", status=Post.Status.DRAFT, published_at=None)

    _edit(admin_client, draft, slug="notes-on-kon")

    assert not Redirect.objects.exists()


def test_a_page_renamed_redirects_its_old_address(admin_client, client, publish):
    page = publish(kind=Post.Kind.PAGE, slug="about-me", title="About")

    _edit(admin_client, page, slug="about")

    response = client.get("/about-me/")
    assert response.status_code == 301
    assert response["Location"] == "/about/"


@pytest.mark.parametrize("model", ["tag", "category"])
def test_a_term_renamed_redirects_its_old_address(admin_client, client, model):
    factory = factories.TagFactory if model == "tag" else factories.CategoryFactory
    term = factory(name="Satoshi Kon", slug="kon")

    change(
        admin_client,
        reverse(f"admin:posts_{model}_change", args=[term.pk]),
        slug="satoshi-kon",
    )

    response = client.get(f"/{model}/kon/")
    assert response.status_code == 301
    assert response["Location"] == f"/{model}/satoshi-kon/"
    assert client.get(f"/{model}/kon/?page=2")["Location"] == (
        f"/{model}/satoshi-kon/?page=2"
    )


def test_chains_collapse_into_one_step(admin_client, client, publish):
    post = publish(slug="a", published_at=datetime(2024, 5, 3, 12, tzinfo=UTC))
    tag = factories.TagFactory(name="Film", slug="films")

    _edit(admin_client, post, slug="b")
    _edit(admin_client, post, slug="c")
    for slug in ("movies", "cinema"):
        change(
            admin_client, reverse("admin:posts_tag_change", args=[tag.pk]), slug=slug
        )

    assert client.get("/2024/05/a/")["Location"] == "/2024/05/c/"
    assert client.get("/2024/05/b/")["Location"] == "/2024/05/c/"
    assert client.get("/tag/films/")["Location"] == "/tag/cinema/"
    assert client.get("/tag/movies/")["Location"] == "/tag/cinema/"
    paths = dict(Redirect.objects.values_list("old_path", "target_path"))
    assert paths["/tag/films/"] == paths["/tag/movies/"] == "/tag/cinema/"


def test_moving_back_to_an_old_address_removes_its_redirect(
    admin_client, client, publish
):
    post = publish(slug="a", published_at=datetime(2024, 5, 3, 12, tzinfo=UTC))
    _edit(admin_client, post, slug="b")
    _edit(admin_client, post, slug="a")

    assert client.get("/2024/05/a/").status_code == 200
    assert client.get("/2024/05/b/")["Location"] == "/2024/05/a/"
    assert list(Redirect.objects.values_list("old_path", flat=True)) == ["/2024/05/b/"]


def test_a_new_post_at_a_redirected_address_wins(admin_client, client, publish):
    old = publish(slug="solaris", published_at=datetime(2024, 5, 3, 12, tzinfo=UTC))
    _edit(admin_client, old, slug="solaris-1972")
    assert client.get("/2024/05/solaris/").status_code == 301

    newer = publish(
        slug="solaris",
        title="Solaris (2002)",
        published_at=datetime(2024, 5, 20, 12, tzinfo=UTC),
    )

    response = client.get("/2024/05/solaris/")
    assert response.status_code == 200
    assert newer.title in response.content.decode()
    assert not Redirect.objects.filter(old_path="/2024/05/solaris/").exists()


def test_a_redirect_to_an_unpublished_post_stays_a_404(admin_client, client, publish):
    post = publish(slug="a", published_at=datetime(2024, 5, 3, 12, tzinfo=UTC))
    _edit(admin_client, post, slug="b")
    _edit(admin_client, post, status=Post.Status.DRAFT)

    assert client.get("/2024/05/a/").status_code == 404


def test_deleting_the_post_deletes_its_redirects(admin_client, client, publish):
    post = publish(slug="a", published_at=datetime(2024, 5, 3, 12, tzinfo=UTC))
    _edit(admin_client, post, slug="b")
    admin_client.post(
        reverse("admin:posts_post_delete", args=[post.pk]), {"post": "yes"}
    )

    assert not Redirect.objects.exists()
    assert client.get("/2024/05/a/").status_code == 404
