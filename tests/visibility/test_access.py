"""Who reads a post of each visibility at its address (``posts.visibility``)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError

from afterword.posts.models import Post
from afterword.posts.visibility import UNLOCK_COOKIE
from tests import factories

from .conftest import PASSWORD, SECRET

pytestmark = pytest.mark.django_db


def test_private_post_is_a_404_for_readers_and_other_authors(
    client, make, other_author
):
    post = make("private")
    assert client.get(post.get_absolute_url()).status_code == 404
    client.force_login(other_author)
    assert client.get(post.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", ["author", "editor"])
def test_private_post_opens_for_its_author_and_editors(client, make, request, who):
    post = make("private")
    client.force_login(request.getfixturevalue(who))
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    assert SECRET in text
    assert '<meta name="robots" content="noindex">' in text
    assert "no-store" in response["Cache-Control"]


def test_private_page_is_a_404_for_readers_and_authors(client, author, editor):
    page = factories.PostFactory.build(
        kind=Post.Kind.PAGE, slug="backstage", author=editor, visibility="private"
    )
    factories.save(page)
    assert client.get("/backstage/").status_code == 404
    # Authors do not edit pages (accounts.roles), so they do not see this one.
    client.force_login(author)
    assert client.get("/backstage/").status_code == 404
    client.force_login(editor)
    assert client.get("/backstage/").status_code == 200


def test_unlisted_post_opens_for_anyone_and_says_noindex(client, make):
    post = make("unlisted")
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    assert SECRET in text
    assert '<meta name="robots" content="noindex">' in text


def test_public_post_is_indexable(client, make):
    text = client.get(make("public").get_absolute_url()).content.decode()
    assert 'name="robots"' not in text


def unlock(client, post, password):
    return client.post(post.get_absolute_url(), {"post_password": password})


def test_protected_post_shows_a_form_until_the_right_password(client, make):
    post = make("password")
    first = client.get(post.get_absolute_url())
    text = first.content.decode()
    assert first.status_code == 200
    assert 'name="post_password"' in text
    assert SECRET not in text
    assert "The password harbour" in text

    wrong = unlock(client, post, "guess")
    assert wrong.status_code == 200
    assert "That password is not right" in wrong.content.decode()
    assert SECRET not in wrong.content.decode()
    assert UNLOCK_COOKIE not in wrong.cookies

    right = unlock(client, post, PASSWORD)
    assert right.status_code == 303
    assert right["Location"] == post.get_absolute_url()
    assert right.cookies[UNLOCK_COOKIE]["httponly"]

    opened = client.get(post.get_absolute_url())
    assert SECRET in opened.content.decode()
    assert 'name="post_password"' not in opened.content.decode()
    assert "no-store" in opened["Cache-Control"]


def test_the_key_of_one_post_does_not_open_another(client, make):
    first = make("password", slug="first")
    second = make("password", slug="second")
    unlock(client, first, PASSWORD)
    assert SECRET in client.get(first.get_absolute_url()).content.decode()
    assert SECRET not in client.get(second.get_absolute_url()).content.decode()


def test_a_forged_key_opens_nothing(client, make):
    post = make("password")
    client.cookies[UNLOCK_COOKIE] = f"{post.pk}-{'0' * 32}"
    assert SECRET not in client.get(post.get_absolute_url()).content.decode()


def test_changing_the_password_locks_readers_out_again(client, make, author):
    post = make("password")
    unlock(client, post, PASSWORD)
    assert SECRET in client.get(post.get_absolute_url()).content.decode()
    post.password = "a new password"
    factories.save(post)
    text = client.get(post.get_absolute_url()).content.decode()
    assert SECRET not in text
    assert 'name="post_password"' in text
    assert unlock(client, post, PASSWORD).status_code == 200
    assert unlock(client, post, "a new password").status_code == 303


def test_protected_text_stays_out_of_the_head_and_json_ld(client, make):
    post = make("password", excerpt="An excerpt that tells all about Zanzibar.")
    text = client.get(post.get_absolute_url()).content.decode()
    head = text.split("</head>")[0]
    assert "Zanzibar" not in head
    data = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', head)
    assert json.loads(data.group(1))["description"] == (
        "This post is password protected."
    )


def test_protected_post_keeps_its_discussion_for_readers_with_the_password(
    client, make
):
    post = make("password")
    text = client.get(post.get_absolute_url()).content.decode()
    assert 'id="comments"' not in text
    assert client.get(f"/comments/token/{post.pk}/").status_code == 404
    refused = client.post(
        f"/comments/post/{post.pk}/", {"body": "Hello", "name": "Ann"}
    )
    assert refused.status_code == 404

    unlock(client, post, PASSWORD)
    text = client.get(post.get_absolute_url()).content.decode()
    assert 'id="comments"' in text
    assert client.get(f"/comments/token/{post.pk}/").status_code == 200
    # Feeds cannot ask for a password: never a protected post's comments.
    assert client.get(f"/comments/feed/{post.pk}/").status_code == 404


def test_private_post_answers_no_comment_address(client, make, author):
    post = make("private")
    client.force_login(author)
    assert client.get(f"/comments/token/{post.pk}/").status_code == 404
    assert client.get(f"/comments/feed/{post.pk}/").status_code == 404


def test_editors_read_a_protected_post_without_the_form(client, make, editor):
    post = make("password")
    client.force_login(editor)
    assert SECRET in client.get(post.get_absolute_url()).content.decode()


def test_saving_a_protected_post_without_a_password_is_refused(author):
    post = factories.PostFactory.build(author=author, visibility="password")
    with pytest.raises(ValidationError) as refused:
        factories.save(post)
    assert "needs a password" in str(refused.value)
    assert not Post.objects.filter(slug=post.slug).exists()


def test_admin_form_offers_visibility_and_asks_for_the_password(client, author):
    client.force_login(author)
    form = client.get("/admin/posts/post/add/").content.decode()
    assert 'name="visibility"' in form
    assert 'name="password"' in form
    response = client.post(
        "/admin/posts/post/add/",
        {
            "title": "Behind a door",
            "slug": "behind-a-door",
            "body": "Hidden words.",
            "excerpt": "",
            "status": "published",
            "visibility": "password",
            "password": "",
            "author": author.pk,
            "comments_open": "on",
            "revision_note": "",
        },
    )
    assert response.status_code == 200
    assert "needs a password" in response.content.decode()
    assert not Post.objects.filter(slug="behind-a-door").exists()


def test_guessing_stops_after_ten_wrong_passwords(client, make):
    post = make("password")
    for _ in range(10):
        assert unlock(client, post, "guess").status_code == 200
    refused = unlock(client, post, PASSWORD)
    assert refused.status_code == 429
    assert "Too many wrong passwords" in refused.content.decode()
    assert UNLOCK_COOKIE not in refused.cookies
    # Another post's form is not affected.
    other = make("password", slug="another")
    assert unlock(client, other, PASSWORD).status_code == 303


def test_a_public_post_takes_no_form(client, make):
    post = make("public")
    assert (
        client.post(post.get_absolute_url(), {"post_password": "x"}).status_code == 405
    )
