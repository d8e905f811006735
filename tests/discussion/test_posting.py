"""Posting comments as a guest: moderation rules, cookies, redirects."""

import pytest
from django.urls import reverse

from afterword.discussion import cookies
from afterword.discussion.models import Comment

from .conftest import approved, known_guest


def test_first_guest_comment_is_held_and_shown_only_to_its_author(post, submit, client):
    response = submit(post)

    assert response.status_code == 303
    comment = Comment.objects.get()
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_note == "first comment"
    assert comment.body_html.strip() == "<p>The ending still <em>gets</em> me.</p>"
    assert cookies.COMMENTER_COOKIE in response.cookies

    page = client.get(post.get_absolute_url()).content.decode()
    assert "The ending still" in page
    assert "Your comment is awaiting moderation." in page

    client.cookies.clear()
    page = client.get(post.get_absolute_url()).content.decode()
    assert "The ending still" not in page
    assert "awaiting moderation" not in page


def test_commenter_with_an_approved_comment_is_approved_from_then_on(
    post, submit, client
):
    known_guest(post, client, body="Earlier words.")

    submit(post)

    comment = Comment.objects.latest("id")
    assert comment.status == Comment.Status.APPROVED
    client.cookies.clear()
    page = client.get(post.get_absolute_url()).content.decode()
    assert "The ending still <em>gets</em> me." in page
    assert "2 comments" in page


def test_comment_with_too_many_links_is_held(post, submit, policy, client):
    known_guest(post, client, body="Known.")
    body = "See https://a.example https://b.example https://c.example"

    submit(post, body=body)

    comment = Comment.objects.latest("id")
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_note == "3 links"


@pytest.mark.parametrize(
    ("field", "setting", "entry", "overrides"),
    [
        ("blocked_words", "word", "casino", {"body": "Best CASINO bonus"}),
        ("blocked_emails", "email", "mima@example.test", {}),
        (
            "blocked_domains",
            "domain",
            "spam.example",
            {"url": "https://www.spam.example/x"},
        ),
        ("blocked_ips", "blocked ip", "127.0.0.0/8", {}),
    ],
)
def test_block_lists_send_comments_to_spam(
    post, submit, policy, field, setting, entry, overrides
):
    setattr(policy, field, entry)
    policy.save()

    response = submit(post, **overrides)

    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert setting in comment.moderation_note.lower()


def test_remember_details_sets_a_cookie_the_page_never_reads(post, submit, client):
    response = submit(post, remember="1")

    assert "mima%40example.test" in response.cookies[cookies.REMEMBER_COOKIE].value
    client.cookies.pop(cookies.COMMENTER_COOKIE)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "mima@example.test" not in page


def test_reply_is_threaded_under_its_parent(post, submit, client):
    parent = approved(post, body="Top level.")
    known_guest(post, client, body="Known.")

    submit(post, parent=str(parent.pk), body="A reply.")

    reply = Comment.objects.get(body="A reply.")
    assert reply.parent_id == parent.pk
    assert reply.depth == 1
    page = client.get(post.get_absolute_url()).content.decode()
    parent_at = page.index(f'id="comment-{parent.pk}"')
    children_at = page.index('<ol class="children">', parent_at)
    assert parent_at < children_at < page.index(f'id="comment-{reply.pk}"')


def test_replies_past_the_depth_limit_join_the_deepest_level(
    post, submit, policy, client
):
    policy.max_depth = 2
    policy.save()
    top = approved(post, body="Top.")
    second = approved(post, body="Second.", parent=top)
    known_guest(post, client, body="Known.")

    submit(post, parent=str(second.pk), body="Third.")

    third = Comment.objects.get(body="Third.")
    assert third.parent_id == top.pk
    assert third.depth == 1


def test_json_post_answers_with_the_rendered_comment(post, submit):
    response = submit(post, json=True)

    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True
    assert data["held"] is True
    assert data["message"] == "Thank you! Your comment is awaiting moderation."
    assert f'id="comment-{data["id"]}"' in data["html"]
    assert "Your comment is awaiting moderation." in data["html"]


def test_form_token_endpoint_is_never_cached(post, client):
    response = client.get(reverse("discussion:token", args=[post.pk]))

    assert response.status_code == 200
    assert (
        "no-cache" in response["Cache-Control"]
        or "max-age=0" in response["Cache-Control"]
    )
    assert response.json()["token"]


def test_post_author_comment_is_marked(post, writer, client):
    client.force_login(writer)
    from .conftest import guest_data

    client.post(
        reverse("discussion:post", args=[post.pk]), guest_data(post, name="", email="")
    )

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    assert comment.is_post_author is True
    page = client.get(post.get_absolute_url()).content.decode()
    assert "by-post-author" in page
    assert "Author</span>" in page
