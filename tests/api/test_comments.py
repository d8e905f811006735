"""The moderation queue through the API: list, moderate, reply, delete."""

from __future__ import annotations

import pytest

from afterword.credentials import scopes
from afterword.discussion.actions import AddComment
from afterword.discussion.models import Comment

from .conftest import client_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(post_factory, writer_with_role):
    """A held comment on an author's post, and one on an editor's post."""
    author = writer_with_role("author")
    editor = writer_with_role("editor")
    on_authors = post_factory(author=author, title="Author's", slug="authors")
    on_editors = post_factory(author=editor, title="Editor's", slug="editors")

    def comment(post, body):
        return AddComment(
            post,
            name="Reader",
            email="reader@example.test",
            body=body,
            status="pending",
        ).run()

    return {
        "author": author,
        "editor": editor,
        "mine": comment(on_authors, "Great review!"),
        "theirs": comment(on_editors, "I disagree."),
    }


def test_an_author_moderates_the_comments_on_their_own_posts(api_as, held):
    author = client_of(held["author"])
    queue = author.get("/api/v1/comments?status=pending").json()["items"]
    assert [c["id"] for c in queue] == [held["mine"].pk]

    url = f"/api/v1/comments/{held['mine'].pk}"
    tag = author.get(url)["ETag"]
    approved = author.patch(url, {"status": "approved"}, headers={"If-Match": tag})
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    stale = author.patch(url, {"status": "spam"}, headers={"If-Match": tag})
    assert stale.status_code == 412
    assert Comment.objects.get(pk=held["mine"].pk).status == "approved"

    other = author.patch(f"/api/v1/comments/{held['theirs'].pk}", {"status": "spam"})
    assert other.status_code == 404
    assert Comment.objects.get(pk=held["theirs"].pk).status == "pending"


def test_a_reply_approves_its_held_parent(api_as, held):
    editor = client_of(held["editor"])
    reply = editor.post(
        f"/api/v1/comments/{held['theirs'].pk}/replies", {"body": "Fair point."}
    )
    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert body["parent"] == held["theirs"].pk
    assert body["status"] == "approved"
    assert body["is_post_author"] is True
    assert Comment.objects.get(pk=held["theirs"].pk).status == "approved"
    empty = editor.post(f"/api/v1/comments/{held['theirs'].pk}/replies", {"body": ""})
    assert empty.status_code == 422


def test_spam_is_restored_to_the_queue_and_deleted_for_good(api_as, held):
    editor = client_of(held["editor"])
    url = f"/api/v1/comments/{held['mine'].pk}"
    assert editor.patch(url, {"status": "spam"}).json()["status"] == "spam"
    assert editor.get("/api/v1/comments?status=spam").json()["items"][0]["id"] == (
        held["mine"].pk
    )
    assert editor.patch(url, {"status": "pending"}).json()["status"] == "pending"
    assert editor.delete(url).status_code == 204
    assert not Comment.objects.filter(pk=held["mine"].pk).exists()


def test_moderating_needs_the_moderate_scope(api_as, held, writer_with_role):
    client = client_of(held["editor"], {scopes.READ, scopes.DRAFT}, name="drafts")
    refused = client.patch(
        f"/api/v1/comments/{held['theirs'].pk}", {"status": "approved"}
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "insufficient_scope"


def test_a_contributor_sees_only_approved_comments_on_their_posts(api_as, post_factory):
    contributor = api_as("contributor")
    post = post_factory(author=contributor.user, slug="c")
    AddComment(post, name="A", body="Shown").run()
    AddComment(post, name="B", body="Held", status="pending").run()
    listed = contributor.get("/api/v1/comments").json()["items"]
    assert [c["body"] for c in listed] == ["Shown"]
    refused = contributor.patch(
        f"/api/v1/comments/{listed[0]['id']}", {"status": "spam"}
    )
    assert refused.status_code == 403
