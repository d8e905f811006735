"""The post page with its fragments cached: fresh after every change, never
personal, and cheap (tests of the tag itself: tests/pagecache/test_fragment_tag.py).
"""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from afterword.catalog.actions import link_post_to_work, save_catalog_object
from afterword.catalog.models import Work
from afterword.discussion import actions as discussion
from afterword.discussion.models import Comment
from afterword.posts.actions import save_post
from afterword.posts.models import Post
from afterword.series import actions as series_actions
from afterword.series.models import Series, SeriesPart
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragments_on(settings):
    settings.AFTERWORD_FRAGMENT_CACHE = True


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a service and its on-commit signals, as a request would."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def review(post_factory, writer):
    return post_factory(
        author=writer, title="Perfect Blue", slug="perfect-blue", body="First take."
    )


def page(client, post) -> str:
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_warm_post_page_costs_one_query(client, review):
    client.get(review.get_absolute_url())
    with CaptureQueriesContext(connection) as captured:
        html = page(client, review)
    assert len(captured) == 1
    assert '<h1 class="post-title p-name">Perfect Blue</h1>' in html


def test_the_page_is_the_same_with_and_without_fragments(client, review, settings):
    def normalised(html: str) -> str:
        html = re.sub(r'nonce="[^"]*"', "", html)
        return re.sub(r'name="token" value="[^"]*"', "", html)

    client.get(review.get_absolute_url())
    cached = normalised(page(client, review))
    settings.AFTERWORD_FRAGMENT_CACHE = False
    assert normalised(page(client, review)) == cached


def test_each_response_carries_its_own_nonce_in_cached_fragments(client, review):
    for _ in range(2):
        response = client.get(review.get_absolute_url())
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
        html = response.content.decode()
        nonces = set(re.findall(r'nonce="([^"]*)"', html))
        assert nonces == {nonce}
        assert '<script type="application/ld+json" nonce=' in html


def test_editing_a_post_shows_at_once(client, review, commit):
    assert "First take." in page(client, review)
    review.title = "Perfect Blue, revisited"
    review.body = "Second take."
    commit(save_post, review)
    html = page(client, review)
    assert "Second take." in html and "First take." not in html
    assert "<title>Perfect Blue, revisited" in html


def test_publishing_a_post_updates_its_neighbours_links(
    client, review, post_factory, writer
):
    assert 'rel="next"' not in page(client, review)
    newer = post_factory(author=writer, title="Tokyo Godfathers", slug="tokyo")
    html = page(client, review)
    assert f'href="{newer.get_absolute_url()}" rel="next"' in html


def test_a_scheduled_post_appears_in_the_links_at_its_time(
    client, review, post_factory, writer
):
    # Whole seconds ahead: the content version records the next publish time.
    when = timezone.now().replace(microsecond=0) + datetime.timedelta(seconds=2)
    scheduled = post_factory(
        author=writer,
        title="Millennium Actress",
        slug="millennium-actress",
        status=Post.Status.SCHEDULED,
        published_at=when,
    )
    assert "Millennium Actress" not in page(client, review)
    time.sleep(max(0.0, (when - timezone.now()).total_seconds()) + 0.1)
    assert f'href="{scheduled.get_absolute_url()}" rel="next"' in page(client, review)


def test_an_approved_comment_appears_for_everyone(client, review, commit):
    comment = Comment.objects.create(
        post=review,
        author_name="Mima Fan",
        author_email="mima@example.test",
        body="Held at first.",
        body_html="<p>Held at first.</p>",
        status=Comment.Status.PENDING,
    )
    assert "Held at first." not in page(client, review)
    commit(discussion.approve, comment)
    assert "Held at first." in page(client, review)


def test_a_held_comment_is_shown_to_its_author_only(client, review, settings):
    from django.test import Client

    from tests.discussion.conftest import guest_data

    stranger = Client()
    page(stranger, review)  # the shared parts are cached now
    response = client.post(
        f"/comments/post/{review.pk}/", guest_data(review, body="Mine, held.")
    )
    assert response.status_code in (200, 302, 303)
    assert "Mine, held." in page(client, review)
    assert "awaiting moderation" in page(client, review)
    assert "Mine, held." not in page(stranger, review)


def test_a_logged_in_reader_sees_their_own_identity(client, review):
    reader = factories.UserFactory(username="reader", display_name="Satoshi K.")
    page(client, review)  # cached for anonymous readers first
    client.force_login(reader)
    html = page(client, review)
    assert "You are commenting as Satoshi K." in html
    assert 'id="comment-name"' not in html
    client.logout()
    html = page(client, review)
    assert "Satoshi K." not in html
    assert 'id="comment-name"' in html


def test_publishing_a_series_part_updates_the_other_parts(
    client, writer, post_factory, commit
):
    series = commit(series_actions.save_series, Series(title="Memories", slug="m"))
    one = post_factory(author=writer, title="Magnetic Rose", slug="magnetic-rose")
    two = post_factory(
        author=writer,
        title="Stink Bomb",
        slug="stink-bomb",
        status=Post.Status.DRAFT,
        published_at=None,
    )
    commit(series_actions.save_part, SeriesPart(series=series, position=1, post=one))
    commit(series_actions.save_part, SeriesPart(series=series, position=2, post=two))
    assert two.get_absolute_url() not in page(client, one)

    two.status = Post.Status.PUBLISHED
    two.published_at = timezone.now()
    commit(save_post, two)
    assert f'href="{two.get_absolute_url()}"' in page(client, one)


def test_linking_a_post_to_a_work_shows_in_its_article(client, review, commit):
    work = commit(
        save_catalog_object,
        Work(title="Perfect Blue", slug="perfect-blue-1997", kind="anime_film"),
    )
    assert work.get_absolute_url() not in page(client, review)
    commit(link_post_to_work, review, work, primary=True, rating="4.5")
    assert work.get_absolute_url() in page(client, review)


def test_a_rendering_without_a_nonce_is_never_kept(client, review):
    """The static export renders pages with an empty nonce; readers must not
    get those fragments."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from afterword.posts.views import PostView

    request = RequestFactory().get(review.get_absolute_url())
    request.csp_nonce = ""
    request.user = AnonymousUser()
    when = timezone.localtime(review.published_at)
    response = PostView.as_view()(
        request, year=when.year, month=f"{when.month:02d}", slug=review.slug
    )
    assert 'nonce=""' in response.render().content.decode()

    response = client.get(review.get_absolute_url())
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
    assert set(re.findall(r'nonce="([^"]*)"', response.content.decode())) == {nonce}
