"""Every button of the comments screen, through its endpoints: in place (the
script's fetch, answered in JSON) and as a plain form (redirected back)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from afterword.discussion.models import Comment

from .conftest import act, comment, person

pytestmark = pytest.mark.django_db
Status = Comment.Status


@pytest.mark.parametrize(
    ("start", "verb", "end", "tab_after"),
    [
        (Status.PENDING, "approve", Status.APPROVED, "approved"),
        (Status.APPROVED, "unapprove", Status.PENDING, "pending"),
        (Status.PENDING, "spam", Status.SPAM, "spam"),
        (Status.APPROVED, "trash", Status.TRASH, "trash"),
        (Status.SPAM, "restore", Status.PENDING, "pending"),
        (Status.TRASH, "restore", Status.PENDING, "pending"),
    ],
)
def test_a_button_moves_the_comment_and_its_row_leaves_the_tab(
    desk, post, start, verb, end, tab_after
):
    target = comment(post, status=start)
    tab = {"pending": "pending", "approved": "approved"}.get(start, start)
    response = act(desk, target, verb, tab=tab)
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.status == end
    answer = response.json()
    assert answer["ok"] is True
    assert answer["rows"] == {str(target.pk): None}  # it left the tab
    assert answer["counts"][tab_after] == 1
    assert answer["counts"][tab] == 0


def test_in_the_all_tab_the_row_is_printed_again_with_its_new_buttons(desk, post):
    target = comment(post)
    answer = act(desk, target, "approve", tab="all").json()
    row = answer["rows"][str(target.pk)]
    assert f'id="comment-row-{target.pk}"' in row
    assert 'value="unapprove"' in row
    assert 'value="approve"' not in row
    assert answer["message"] == "1 comment approved."


def test_an_approved_comment_shows_on_its_post(desk, client, post):
    target = comment(post, body="Seen by readers after approval.")
    act(desk, target, "approve")
    page = client.get(post.get_absolute_url())
    assert b"Seen by readers after approval." in page.content


def test_delete_permanently_removes_the_comment(desk, post):
    target = comment(post, status=Status.TRASH)
    response = act(desk, target, "delete", tab="trash")
    assert response.json()["rows"] == {str(target.pk): None}
    assert not Comment.objects.filter(pk=target.pk).exists()


def test_without_script_the_form_redirects_back_with_a_message(desk, post):
    target = comment(post)
    response = act(desk, target, "spam", fetch=False)
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:comments")
    target.refresh_from_db()
    assert target.status == Status.SPAM
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "1 comment marked as spam."
    ]


def test_a_redirect_never_leaves_the_site(desk, post):
    target = comment(post)
    response = desk.post(
        reverse("desk:comment_act", args=[target.pk]),
        {"action": "approve", "next": "https://elsewhere.example/"},
    )
    assert response["Location"] == reverse("desk:comments")


def test_bad_requests_are_messages_not_errors(desk, post):
    target = comment(post)
    url = reverse("desk:comment_act", args=[target.pk])
    fetch = {"HTTP_X_REQUESTED_WITH": "fetch"}
    unknown = desk.post(url, {"action": "explode"}, **fetch)
    assert unknown.status_code == 400
    assert "not something a comment can have done" in unknown.json()["message"]
    missing = desk.post(
        reverse("desk:comment_act", args=[987654]), {"action": "approve"}, **fetch
    )
    assert missing.status_code == 404
    assert "no longer exists" in missing.json()["message"]
    not_restorable = act(desk, target, "restore")
    assert not_restorable.status_code == 400
    assert "Only spam or trashed comments" in not_restorable.json()["message"]
    assert desk.get(url).status_code == 405
    # The same refusals without a script: back to the list with the message.
    plain = desk.post(reverse("desk:comment_act", args=[987654]), {"action": "spam"})
    assert plain.status_code == 302
    assert "no longer exists" in str(list(get_messages(plain.wsgi_request))[0])


def test_a_comment_deleted_meanwhile_is_reported_not_a_server_error(desk, post):
    target = comment(post, status=Status.TRASH)
    assert act(desk, target, "delete", tab="trash").status_code == 200
    again = act(desk, target, "delete", tab="trash")
    assert again.status_code == 404
    assert "no longer exists" in again.json()["message"]


def test_clicking_twice_changes_it_once(desk, post):
    target = comment(post)
    act(desk, target, "approve")
    answer = act(desk, target, "approve", tab="approved").json()
    assert answer["message"] == "Nothing to do: it already was."


def test_a_reply_is_published_as_the_writer_and_approves_the_held_comment(
    desk, client, post, editor
):
    held = comment(post, body="Is there a sequel?")
    response = desk.post(
        reverse("desk:comment_reply", args=[held.pk]),
        {"body": "Not yet, *sadly*.", "tab": "pending"},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["message"] == "Your reply is published."
    held.refresh_from_db()
    assert held.status == Status.APPROVED
    written = Comment.objects.get(parent=held)
    assert written.user == editor and written.status == Status.APPROVED
    assert answer["reply_url"] == written.get_absolute_url()
    assert answer["rows"] == {str(held.pk): None}  # approved: out of Pending
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Is there a sequel?" in page
    assert "Not yet, <em>sadly</em>." in page


def test_an_empty_reply_is_refused_and_nothing_changes(desk, post):
    held = comment(post)
    response = desk.post(
        reverse("desk:comment_reply", args=[held.pk]),
        {"body": "   "},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Write something to reply with."
    held.refresh_from_db()
    assert held.status == Status.PENDING
    assert Comment.objects.count() == 1
    gone = desk.post(reverse("desk:comment_reply", args=[424242]), {"body": "Hi"})
    assert gone.status_code == 302


def bulk(client, verb, ids, *, fetch=True, tab="pending"):
    headers = {"HTTP_X_REQUESTED_WITH": "fetch"} if fetch else {}
    return client.post(
        reverse("desk:comments_bulk"),
        {"action": verb, "ids": [str(i) for i in ids], "tab": tab},
        **headers,
    )


@pytest.mark.parametrize(
    ("start", "verb", "end"),
    [
        (Status.PENDING, "approve", Status.APPROVED),
        (Status.APPROVED, "unapprove", Status.PENDING),
        (Status.PENDING, "spam", Status.SPAM),
        (Status.PENDING, "trash", Status.TRASH),
        (Status.SPAM, "restore", Status.PENDING),
    ],
)
def test_apply_to_selected_runs_the_action_on_each(desk, post, start, verb, end):
    chosen = [comment(post, status=start, body=f"#{n}") for n in range(3)]
    left = comment(post, status=start, body="not chosen")
    answer = bulk(desk, verb, [c.pk for c in chosen], tab="all").json()
    assert answer["ok"]
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in chosen] == [end] * 3
    assert statuses[left.pk] == start
    assert set(answer["rows"]) == {str(c.pk) for c in chosen}


def test_bulk_delete_and_the_no_script_form(desk, post):
    chosen = [comment(post, status=Status.SPAM, body=f"#{n}") for n in range(2)]
    response = bulk(desk, "delete", [c.pk for c in chosen], fetch=False, tab="spam")
    assert response.status_code == 302
    assert not Comment.objects.exists()
    assert str(list(get_messages(response.wsgi_request))[0]) == (
        "2 comments deleted for good."
    )


def test_bulk_with_no_selection_or_vanished_comments_says_so(desk, post):
    none = bulk(desk, "approve", [])
    assert none.status_code == 400
    assert none.json()["message"] == "Select at least one comment first."
    plain = bulk(desk, "approve", [], fetch=False)
    assert plain.status_code == 302
    assert "Select at least one" in str(list(get_messages(plain.wsgi_request))[0])
    target = comment(post)
    answer = bulk(desk, "approve", [target.pk, 555555]).json()
    assert answer["message"] == "1 comment approved. 1 was already deleted."
    assert answer["rows"]["555555"] is None
    bad = desk.post(
        reverse("desk:comments_bulk"),
        {"action": "", "ids": ["x"]},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert bad.status_code == 400


def test_an_author_moderates_their_own_posts_comments_only(
    client, post_factory, author, post
):
    own_post = post_factory(author=author, title="Mine", slug="mine")
    mine = comment(own_post, body="On the author's post.")
    theirs = comment(post, body="On the editor's post.")
    client.force_login(author)
    assert act(client, mine, "approve").status_code == 200
    refused = act(client, theirs, "approve")
    assert refused.status_code == 403
    assert "not allowed" in refused.json()["message"]
    assert act(client, theirs, "spam", fetch=False).status_code == 403
    reply = client.post(
        reverse("desk:comment_reply", args=[theirs.pk]),
        {"body": "Sneaky"},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert reply.status_code == 403
    answer = bulk(client, "trash", [mine.pk, theirs.pk], tab="all").json()
    assert answer["message"].startswith("1 comment moved to the trash.")
    assert "not allowed" in answer["message"]
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {mine.pk: Status.TRASH, theirs.pk: Status.PENDING}


def test_a_contributor_cannot_press_any_button(client, post):
    target = comment(post)
    client.force_login(person("connie", "contributor"))
    assert act(client, target, "approve").status_code == 403
    assert bulk(client, "approve", [target.pk]).status_code == 403
    target.refresh_from_db()
    assert target.status == Status.PENDING
