"""Tags and categories changed in the admin: merged and deleted through their
actions, with every post showing them following at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from afterword.posts.actions import save_post
from afterword.posts.models import Post, Tag
from afterword.search.services import search
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.AFTERWORD_PAGE_CACHE = True
    settings.AFTERWORD_FRAGMENT_CACHE = True


def _post(commit, writer, title, *tags) -> Post:
    with commit(execute=True):
        post = save_post(factories.PostFactory.build(author=writer, title=title))
        post.tags.add(*tags)
    return post


def _found(text: str) -> list[str]:
    return [result.title for result in search(text)[:20]]


def test_merging_tags_moves_their_posts_and_retires_the_others(
    admin_client, admin_user, client, cached, django_capture_on_commit_callbacks
):
    commit = django_capture_on_commit_callbacks
    kon = factories.TagFactory(name="Kon", slug="kon")
    satoshi = factories.TagFactory(name="Satoshi Kon", slug="satoshi-kon")
    both = _post(commit, admin_user, "Paprika", kon, satoshi)
    one = _post(commit, admin_user, "Paranoia Agent", kon)
    assert "Paranoia Agent" in client.get("/tag/kon/").content.decode()

    with commit(execute=True):
        response = admin_client.post(
            reverse("admin:posts_tag_changelist"),
            {
                "action": "merge_into_first",
                "_selected_action": [kon.pk, satoshi.pk],
            },
            follow=True,
        )

    assert "Merged “Satoshi Kon” into “Kon”." in response.content.decode()
    assert list(Tag.objects.values_list("slug", flat=True)) == ["kon"]
    assert sorted(kon.posts.values_list("title", flat=True)) == sorted(
        [both.title, one.title]
    )
    assert client.get("/tag/satoshi-kon/").status_code == 404
    assert "Satoshi Kon" not in client.get(both.get_absolute_url()).content.decode()
    assert _found("satoshi") == []


def test_deleting_a_tag_in_the_admin_takes_it_off_every_post(
    admin_client, admin_user, client, cached, django_capture_on_commit_callbacks
):
    commit = django_capture_on_commit_callbacks
    cyberpunk = factories.TagFactory(name="Cyberpunk", slug="cyberpunk")
    post = _post(commit, admin_user, "Akira", cyberpunk)
    assert ">Cyberpunk<" in client.get(post.get_absolute_url()).content.decode()
    assert _found("cyberpunk") == ["Akira"]

    with commit(execute=True):
        admin_client.post(
            reverse("admin:posts_tag_delete", args=[cyberpunk.pk]), {"post": "yes"}
        )

    assert not Tag.objects.exists()
    assert ">Cyberpunk<" not in client.get(post.get_absolute_url()).content.decode()
    assert _found("cyberpunk") == []
