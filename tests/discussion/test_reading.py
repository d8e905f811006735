"""Reading comments: one query however many, counts on lists, feeds, avatars."""

import feedparser
import pytest
from django.core.cache import cache
from django.urls import reverse

from afterword.discussion.models import Comment
from afterword.discussion.threads import flatten

from .conftest import approved


def make_thread(post, total):
    """``total`` comments in threads three deep."""
    made = 0
    while made < total:
        top = approved(post, body=f"Top {made}", author_email=f"t{made}@example.test")
        made += 1
        if made < total:
            middle = approved(post, body=f"Reply {made}", parent=top)
            made += 1
            if made < total:
                approved(post, body=f"Deep {made}", parent=middle)
                made += 1


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("warm", [False, True])
def test_post_page_with_300_comments_costs_the_same_queries_as_with_3(
    post_factory, writer, client, settings, warm, django_assert_num_queries
):
    settings.AFTERWORD_PAGE_CACHE = False
    warmup = post_factory(author=writer, slug="warm-up")
    small = post_factory(author=writer, slug="small")
    large = post_factory(author=writer, slug="large")
    make_thread(small, 3)
    make_thread(large, 300)
    client.get(warmup.get_absolute_url())  # per-process lookups (the Site) happen once
    if warm:  # the thread fragments are cached
        client.get(small.get_absolute_url())
        client.get(large.get_absolute_url())
    else:
        cache.clear()

    small_queries = count_queries(client, small.get_absolute_url())
    if not warm:
        cache.clear()
    with django_assert_num_queries(small_queries):
        response = client.get(large.get_absolute_url())

    page = response.content.decode()
    assert page.count('<li id="comment-') == 300
    assert "300 comments" in page


def test_thread_is_rendered_from_one_query(post, django_assert_num_queries):
    from afterword.discussion.threads import render_thread

    make_thread(post, 30)
    cache.clear()
    from afterword.discussion.models import DiscussionSettings

    policy = DiscussionSettings.load()
    with django_assert_num_queries(1):
        result = render_thread(post, is_open=True, policy=policy)
    assert result["count"] == 30
    with django_assert_num_queries(0):
        render_thread(post, is_open=True, policy=policy)


def test_flatten_orders_depth_first_and_closes_lists():
    class C:
        def __init__(self, pk, parent_id=None):
            self.pk, self.parent_id = pk, parent_id

    comments = [C(1), C(2, 1), C(3, 2), C(4), C(5, 1)]

    result = [(c.pk, opens, closes) for c, opens, closes in flatten(comments)]

    assert result == [
        (1, True, 0),
        (2, True, 0),
        (3, False, 1),
        (5, False, 1),
        (4, False, 0),
    ]


def test_list_pages_show_comment_counts_with_one_query(
    post_factory, writer, client, settings
):
    settings.AFTERWORD_PAGE_CACHE = False
    posts = [post_factory(author=writer, slug=f"listed-{n}") for n in range(4)]
    for n, item in enumerate(posts):
        for m in range(n):
            approved(item, body=f"c{m}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        page = client.get("/").content.decode()
    comment_queries = [q for q in captured if "discussion_comment" in q["sql"]]

    assert len(comment_queries) == 1
    assert "3 comments</a>" in page
    assert "2 comments</a>" in page
    assert "1 comment</a>" in page


def test_held_spam_and_trashed_comments_are_hidden(post, client):
    approved(post, body="Visible words.")
    for status in (Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH):
        approved(post, body=f"Hidden {status}", status=status)

    page = client.get(post.get_absolute_url()).content.decode()

    assert "Visible words." in page
    assert "Hidden" not in page
    assert "1 comment" in page


def test_site_and_post_comment_feeds_parse_and_list_approved_comments(post, client):
    approved(post, body="Feed me.", author_name="Satoshi")
    approved(post, body="Not yet.", status=Comment.Status.PENDING)

    for name, kwargs in [
        ("discussion:feed-rss", {}),
        ("discussion:feed-atom", {}),
        ("discussion:post-feed-rss", {"post_id": post.pk}),
        ("discussion:post-feed-atom", {"post_id": post.pk}),
    ]:
        response = client.get(reverse(name, kwargs=kwargs))
        feed = feedparser.parse(response.content)
        assert not feed.bozo, name
        [entry] = feed.entries
        assert entry.title == "Satoshi on “Perfect Blue, revisited”"
        assert "Feed me." in entry.summary
        assert entry.link.endswith(
            f"{post.get_absolute_url()}#comment-{Comment.objects.first().pk}"
        )


def test_identicon_is_a_local_cacheable_svg(client):
    digest, other_digest = "0123456789abcdef" * 2, "fedcba9876543210" * 2
    response = client.get(reverse("discussion:avatar", kwargs={"digest": digest}))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "max-age=31536000" in response["Cache-Control"]
    assert response.content.startswith(b"<svg")
    again = client.get(reverse("discussion:avatar", kwargs={"digest": digest}))
    assert again.content == response.content
    other = client.get(reverse("discussion:avatar", kwargs={"digest": other_digest}))
    assert other.content != response.content


def test_gravatar_is_used_only_when_turned_on(post, client, policy):
    approved(post, body="Hi.", author_email="Someone@Example.test")
    page = client.get(post.get_absolute_url()).content.decode()
    assert "gravatar.com" not in page
    assert "/comments/avatar/" in page

    policy.use_gravatar = True
    policy.save()
    page = client.get(post.get_absolute_url(), {"page": "1"}).content.decode()
    assert "https://www.gravatar.com/avatar/" in page
