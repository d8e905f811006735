"""The home's forms: the quick draft and the held comments' buttons."""

from __future__ import annotations

import pytest
from django.urls import reverse

from afterword.discussion.models import Comment
from afterword.posts.models import Post, Revision

from .conftest import held

pytestmark = pytest.mark.django_db

HOME = "/desk/"
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def action_url(comment) -> str:
    return reverse("desk:home_comment_action", args=[comment.pk])


def shown_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# Quick draft ---------------------------------------------------------------


def test_quick_draft_saves_a_draft_and_links_to_continue(client, contributor):
    client.force_login(contributor)
    response = client.post(
        reverse("desk:home_quick_draft"),
        {"title": "  千と千尋の神隠し, again  ", "body": "First *thoughts*."},
        follow=True,
    )
    post = Post.objects.get()
    assert post.title == "千と千尋の神隠し, again"
    assert post.slug == "千と千尋の神隠し-again"
    assert post.status == Post.Status.DRAFT
    assert post.author == contributor
    assert post.body == "First *thoughts*."
    assert "<em>thoughts</em>" in post.body_html  # rendered by SavePost
    assert Revision.objects.filter(post=post).count() == 1
    edit = reverse("desk:edit_post", args=[post.pk])
    assert response.redirect_chain == [(reverse("desk:home"), 302)]
    [message] = shown_messages(response)
    assert "saved" in message
    assert f'<a href="{edit}">Continue editing</a>' in response.content.decode()


def test_quick_draft_takes_a_free_address(client, author):
    client.force_login(author)
    for _ in range(3):
        client.post(reverse("desk:home_quick_draft"), {"title": "Notes"})
    assert sorted(Post.objects.values_list("slug", flat=True)) == [
        "notes",
        "notes-2",
        "notes-3",
    ]


def test_quick_draft_without_a_title_keeps_the_text(client, author):
    client.force_login(author)
    response = client.post(
        reverse("desk:home_quick_draft"),
        {"title": "   ", "body": "A paragraph I do not want to lose."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the draft a title." in html
    assert "A paragraph I do not want to lose.</textarea>" in html
    assert 'aria-invalid="true"' in html
    assert "The draft was not saved" in html
    assert not Post.objects.exists()


def test_quick_draft_with_a_nul_character_is_refused_with_a_message(client, author):
    client.force_login(author)
    response = client.post(
        reverse("desk:home_quick_draft"),
        {"title": "Fine title", "body": "Broken \x00 text"},
    )
    # Django's form field refuses the character before the action sees it.
    assert response.status_code == 400
    assert "Fine title" in response.content.decode()
    assert not Post.objects.exists()


def test_quick_draft_is_a_post_only_endpoint(client, author):
    client.force_login(author)
    assert client.get(reverse("desk:home_quick_draft")).status_code == 405


# Held comments -------------------------------------------------------------


@pytest.fixture
def waiting(make_post, editor):
    post = make_post(editor, title="Paprika at twenty")
    return held(post, body="The parade scene!", name="Parade Watcher")


def test_approve_in_place_answers_json(client, editor, waiting):
    client.force_login(editor)
    response = client.post(action_url(waiting), {"action": "approve"}, **FETCH)
    assert response.status_code == 200
    answer = response.json()
    assert answer["ok"] is True
    assert answer["message"] == "Approved Parade Watcher’s comment."
    assert answer["url"].endswith(f"#comment-{waiting.pk}")
    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.APPROVED


def test_spam_in_place(client, editor, waiting):
    client.force_login(editor)
    answer = client.post(action_url(waiting), {"action": "spam"}, **FETCH).json()
    assert answer["message"] == "Marked Parade Watcher’s comment as spam."
    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.SPAM


def test_reply_in_place_publishes_the_reply_and_approves_the_comment(
    client, editor, waiting
):
    client.force_login(editor)
    answer = client.post(
        action_url(waiting), {"action": "reply", "body": "Agreed!"}, **FETCH
    ).json()
    assert answer["ok"] is True
    reply = Comment.objects.get(parent=waiting)
    assert reply.body == "Agreed!"
    assert reply.user == editor
    assert reply.status == Comment.Status.APPROVED
    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.APPROVED


def test_empty_reply_is_refused_and_nothing_changes(client, editor, waiting):
    client.force_login(editor)
    response = client.post(
        action_url(waiting), {"action": "reply", "body": "  "}, **FETCH
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Write a reply before sending it."
    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.PENDING
    assert not Comment.objects.filter(parent=waiting).exists()


def test_a_comment_moderated_meanwhile_is_not_changed_again(client, editor, waiting):
    client.force_login(editor)
    client.post(action_url(waiting), {"action": "spam"}, **FETCH)
    answer = client.post(action_url(waiting), {"action": "approve"}, **FETCH).json()
    assert answer["message"] == "Someone has already moderated this comment."
    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.SPAM


def test_without_javascript_the_home_comes_back_with_a_message(client, editor, waiting):
    client.force_login(editor)
    response = client.post(action_url(waiting), {"action": "approve"}, follow=True)
    assert response.redirect_chain == [(reverse("desk:home") + "#held-comments", 302)]
    html = response.content.decode()
    assert "Approved Parade Watcher’s comment." in html
    assert f'#comment-{waiting.pk}">View it on the post</a>' in html
    assert "The parade scene!" not in html  # no longer held


def test_without_javascript_a_bad_request_is_a_message(client, editor, waiting):
    client.force_login(editor)
    response = client.post(action_url(waiting), {"action": "delete"}, follow=True)
    assert "Choose what to do." in shown_messages(response)
    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.PENDING


def test_writers_who_do_not_moderate_are_refused(client, author, waiting):
    client.force_login(author)
    response = client.post(action_url(waiting), {"action": "approve"}, **FETCH)
    assert response.status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.PENDING


def test_an_unknown_comment_is_not_found(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("desk:home_comment_action", args=[999]), {"action": "approve"}
    )
    assert response.status_code == 404
