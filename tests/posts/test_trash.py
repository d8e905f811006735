"""The trash: a trashed post shows nowhere and comes back as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from afterword.accounts.actions import SetRole
from afterword.posts import actions
from afterword.posts.models import Post
from afterword.posts.signals import post_went_live
from afterword.search.services import SearchResults
from tests import factories
from tests.support.sitemaps import sitemap_text


def _writer(role: str, username: str):
    account = factories.UserFactory(username=username)
    SetRole(account, role).run()
    account.refresh_from_db()
    return account


def _run(action, capture):
    with capture(execute=True):
        return action.run()


def _search_titles(text: str) -> list[str]:
    results = SearchResults(text)
    return [r.title for r in results[0 : results.count()]]


def test_trashed_post_leaves_every_page_feed_and_search(
    client, post_factory, django_capture_on_commit_callbacks
):
    post = post_factory(title="Zanzibar nights", body="A ferry and a storm.")
    address = post.get_absolute_url()
    assert client.get(address).status_code == 200
    assert _search_titles("zanzibar") == ["Zanzibar nights"]

    _run(actions.TrashPost(post), django_capture_on_commit_callbacks)

    post.refresh_from_db()
    assert post.status == Post.Status.TRASH
    assert post.status_before_trash == Post.Status.PUBLISHED
    assert post.trashed_at is not None
    assert not post.is_live()
    assert post not in Post.objects.live()
    assert client.get(address).status_code == 404
    assert "Zanzibar nights" not in client.get("/").content.decode()
    assert "Zanzibar nights" not in client.get(reverse("feeds:rss")).content.decode()
    assert "Zanzibar" not in sitemap_text(client)
    assert _search_titles("zanzibar") == []


def test_restored_post_is_back_with_its_status_without_a_second_announcement(
    client, post_factory, django_capture_on_commit_callbacks
):
    post = post_factory(title="Harbour lights")
    _run(actions.TrashPost(post), django_capture_on_commit_callbacks)
    heard = []

    def listen(sender, post, **kwargs):
        heard.append(post.pk)

    post_went_live.connect(listen)
    try:
        _run(actions.RestorePost(post), django_capture_on_commit_callbacks)
    finally:
        post_went_live.disconnect(listen)

    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert post.status_before_trash == ""
    assert post.trashed_at is None
    assert client.get(post.get_absolute_url()).status_code == 200
    assert _search_titles("harbour") == ["Harbour lights"]
    assert heard == []


def test_draft_comes_back_a_draft_and_a_passed_schedule_comes_back_published(
    post_factory, django_capture_on_commit_callbacks
):
    draft = post_factory(status=Post.Status.DRAFT, published_at=None)
    later = timezone.now() + timedelta(minutes=30)
    scheduled = post_factory(status=Post.Status.SCHEDULED, published_at=later)
    for post in (draft, scheduled):
        _run(actions.TrashPost(post), django_capture_on_commit_callbacks)
    Post.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - timedelta(minutes=1)
    )
    scheduled.refresh_from_db()

    for post in (draft, scheduled):
        _run(actions.RestorePost(post), django_capture_on_commit_callbacks)
        post.refresh_from_db()
    assert draft.status == Post.Status.DRAFT
    assert scheduled.status == Post.Status.PUBLISHED


def test_trashing_twice_or_restoring_what_is_not_trashed_is_refused(
    post_factory, django_capture_on_commit_callbacks
):
    post = post_factory()
    with pytest.raises(ValidationError):
        actions.RestorePost(post).run()
    _run(actions.TrashPost(post), django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        actions.TrashPost(post).run()


@pytest.mark.django_db
def test_role_rules_are_those_of_deleting(django_capture_on_commit_callbacks):
    contributor = _writer("contributor", "conny")
    author = _writer("author", "ari")
    other = _writer("author", "otto")
    own_draft = factories.save(
        factories.PostFactory.build(
            author=contributor, status=Post.Status.DRAFT, published_at=None
        )
    )
    own_published = factories.save(factories.PostFactory.build(author=contributor))
    authors_post = factories.save(factories.PostFactory.build(author=author))

    # A contributor trashes and restores their own draft, not a published post.
    _run(
        actions.TrashPost(own_draft, user=contributor),
        django_capture_on_commit_callbacks,
    )
    _run(
        actions.RestorePost(own_draft, user=contributor),
        django_capture_on_commit_callbacks,
    )
    with pytest.raises(PermissionDenied):
        actions.TrashPost(own_published, user=contributor).run()

    # An author touches only their own posts, in and out of the trash.
    with pytest.raises(PermissionDenied):
        actions.TrashPost(authors_post, user=other).run()
    _run(
        actions.TrashPost(authors_post, user=author), django_capture_on_commit_callbacks
    )
    with pytest.raises(PermissionDenied):
        actions.RestorePost(authors_post, user=other).run()
    _run(
        actions.RestorePost(authors_post, user=author),
        django_capture_on_commit_callbacks,
    )
    authors_post.refresh_from_db()
    assert authors_post.status == Post.Status.PUBLISHED


def test_admin_form_offers_the_trash_only_for_a_trashed_post(post_factory):
    from afterword.posts.admin_forms import PostAdminForm

    post = post_factory()
    offered = [
        value for value, _ in PostAdminForm(instance=post).fields["status"].choices
    ]
    assert Post.Status.TRASH not in offered
    post.status = Post.Status.TRASH
    offered = [
        value for value, _ in PostAdminForm(instance=post).fields["status"].choices
    ]
    assert Post.Status.TRASH in offered


def test_the_desks_post_list_leaves_the_trash_out(
    client, post_factory, django_capture_on_commit_callbacks
):
    writer = factories.UserFactory(username="desk-writer", is_staff=True)
    SetRole(writer, "editor").run()
    kept = post_factory(title="Still here", author=writer)
    gone = post_factory(title="Binned", author=writer)
    _run(actions.TrashPost(gone), django_capture_on_commit_callbacks)
    client.force_login(writer)
    listing = client.get(reverse("desk:posts")).content.decode()
    assert kept.title in listing
    assert gone.title not in listing
