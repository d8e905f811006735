"""A post that is not live yet does not exist for the comment addresses.

Drafts and posts scheduled for later must answer every public comment
address (form token, posting, editing) exactly as an id that was never
used: same status, same page, and neither their title nor their address.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from afterword.discussion.models import Comment
from afterword.posts.models import Post
from tests.factories import UserFactory

from .conftest import approved, guest_data

TITLE = "Paprika, the embargoed review"
SLUG = "paprika-embargoed"


@pytest.fixture(params=["draft", "scheduled"])
def hidden_post(request, post_factory, writer):
    """A post readers must not learn about: a draft, or scheduled for tomorrow."""
    if request.param == "draft":
        fields = {"status": Post.Status.DRAFT, "published_at": None}
    else:
        fields = {
            "status": Post.Status.SCHEDULED,
            "published_at": timezone.now() + timedelta(days=1),
        }
    return post_factory(author=writer, title=TITLE, slug=SLUG, **fields)


def unused_id() -> int:
    return (Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 50


def page_text(response) -> str:
    """The body with what differs by request alone taken out: the nonce, the
    CSRF token and the requested address (the 404 page names it)."""
    text = response.content.decode().replace(response.request["PATH_INFO"], "/…/")
    text = re.sub(r'nonce="[^"]*"', 'nonce=""', text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


def assert_same_as_nothing(hidden, nothing):
    """``hidden`` (a draft's or scheduled post's address) answered exactly as
    ``nothing`` (an id never used), and named neither title nor address."""
    assert (hidden.status_code, nothing.status_code) == (404, 404)
    assert page_text(hidden) == page_text(nothing)
    body = hidden.content.decode()
    assert TITLE not in body
    assert SLUG not in body


def test_form_token_of_a_draft_or_scheduled_post_is_a_plain_404(client, hidden_post):
    hidden = client.get(reverse("discussion:token", args=[hidden_post.pk]))
    nothing = client.get(reverse("discussion:token", args=[unused_id()]))

    assert_same_as_nothing(hidden, nothing)


@pytest.mark.parametrize("as_json", [False, True], ids=["form", "json"])
def test_refused_comment_on_a_hidden_post_shows_no_title_and_no_address(
    client, hidden_post, as_json
):
    headers = {"HTTP_ACCEPT": "application/json"} if as_json else {}
    data = guest_data(hidden_post)

    hidden = client.post(
        reverse("discussion:post", args=[hidden_post.pk]), data, **headers
    )
    nothing = client.post(
        reverse("discussion:post", args=[unused_id()]), data, **headers
    )

    assert_same_as_nothing(hidden, nothing)
    assert not Comment.objects.exists()


def test_edit_page_of_a_comment_whose_post_was_unpublished_is_a_plain_404(
    client, post_factory, writer
):
    post = post_factory(author=writer, title=TITLE, slug=SLUG)
    reader = UserFactory(username="reader")
    comment = approved(post, user=reader)
    client.force_login(reader)
    assert client.get(reverse("discussion:edit", args=[comment.pk])).status_code == 200
    Post.objects.filter(pk=post.pk).update(status=Post.Status.DRAFT)

    hidden = client.get(reverse("discussion:edit", args=[comment.pk]))
    nothing = client.get(reverse("discussion:edit", args=[comment.pk + 50]))

    assert_same_as_nothing(hidden, nothing)


def test_a_scheduled_post_answers_once_its_time_has_come(client, post_factory, writer):
    post = post_factory(
        author=writer,
        title=TITLE,
        slug=SLUG,
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() - timedelta(minutes=1),
    )

    response = client.get(reverse("discussion:token", args=[post.pk]))

    assert response.status_code == 200
    assert response.json()["token"]
