"""Commenters may edit or delete their own comment for a while; nobody else may."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from afterword.discussion.models import Comment


def test_guest_edits_own_comment_from_the_same_browser(post, submit, client):
    submit(post)
    comment = Comment.objects.get()
    url = reverse("discussion:edit", args=[comment.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"body": "Changed my *mind*."})

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Changed my *mind*."
    assert comment.body_html.strip() == "<p>Changed my <em>mind</em>.</p>"
    assert comment.edited_at is not None


def test_published_guest_comment_offers_editing_only_to_its_browser(
    post, submit, client
):
    from .conftest import known_guest

    known_guest(post, client, body="Known.")
    submit(post)
    comment = Comment.objects.latest("id")
    assert comment.status == Comment.Status.APPROVED
    edit_url = reverse("discussion:edit", args=[comment.pk])

    assert edit_url in client.get(post.get_absolute_url()).content.decode()
    client.cookies.clear()
    assert edit_url not in client.get(post.get_absolute_url()).content.decode()


def test_guest_deletes_own_comment(post, submit, client):
    submit(post)
    comment = Comment.objects.get()

    client.post(reverse("discussion:edit", args=[comment.pk]), {"delete": "1"})

    comment.refresh_from_db()
    assert comment.status == Comment.Status.TRASH


def test_another_browser_cannot_edit(post, submit, client):
    submit(post)
    comment = Comment.objects.get()
    client.cookies.clear()

    response = client.post(
        reverse("discussion:edit", args=[comment.pk]), {"body": "Hijack"}
    )

    assert response.status_code == 403
    assert "can no longer be changed" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "The ending still *gets* me."


def test_editing_closes_after_the_edit_window(post, submit, client):
    submit(post)
    comment = Comment.objects.get()
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(minutes=16)
    )

    response = client.post(
        reverse("discussion:edit", args=[comment.pk]), {"body": "Late"}
    )

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "The ending still *gets* me."


def test_logged_in_reader_edits_own_comment_but_not_others(
    post, client, django_user_model
):
    from .conftest import approved

    reader = django_user_model.objects.create_user("reader", "r@example.test", "pw")
    mine = approved(post, user=reader, body="Mine.")
    theirs = approved(post, body="Theirs.")
    client.force_login(reader)

    client.post(reverse("discussion:edit", args=[mine.pk]), {"body": "Mine, edited."})
    refused = client.post(reverse("discussion:edit", args=[theirs.pk]), {"body": "No."})

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.body == "Mine, edited."
    assert refused.status_code == 403
    assert theirs.body == "Theirs."
