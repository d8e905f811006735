"""Sending: a public post that goes live or changes tells each site it links
to (and each it stopped linking to), found through the real discovery."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from afterword.posts import actions as post_actions
from afterword.posts.models import Post
from afterword.webmention.models import SentWebmention

from .conftest import post_url, serve

pytestmark = pytest.mark.django_db(transaction=True)


class OtherBlog:
    """A site with pages advertising an endpoint whose URL has a query."""

    def __init__(self, peer) -> None:
        self.peer = peer
        peer.answer("/wm", b"Accepted", 202)
        for name in ("first", "second", "third"):
            serve(peer, f"/{name}", '<link rel="webmention" href="/wm?token=k1">')
        serve(peer, "/silent", "<p>No endpoint here.</p>")

    def url(self, name: str) -> str:
        return f"{self.peer.url}/{name}"

    def sent(self) -> list[dict]:
        return [
            {k: v[0] for k, v in parse_qs(r.body.decode()).items()}
            | {"query": r.path.partition("?")[2]}
            for r in self.peer.received
            if r.method == "POST"
        ]


@pytest.fixture
def blog(other_site):
    return OtherBlog(other_site)


def body_linking(*urls: str) -> str:
    return "\n\n".join(f"See [this]({url})." for url in urls)


def test_publishing_sends_to_every_linked_page_with_an_endpoint(
    blog, post_factory, run_tasks
):
    post = post_factory(
        body=body_linking(blog.url("first"), blog.url("second"), blog.url("silent"))
        + "\n\nAnd [our own page](http://127.0.0.1:8000/about/)."
    )
    assert blog.sent() == []  # never inside the saving request
    run_tasks()
    source = post_url(post)
    assert sorted(blog.sent(), key=lambda s: s["target"]) == [
        {"source": source, "target": blog.url("first"), "query": "token=k1"},
        {"source": source, "target": blog.url("second"), "query": "token=k1"},
    ]
    rows = {row.target: row for row in SentWebmention.objects.filter(post=post)}
    assert set(rows) == {blog.url("first"), blog.url("second"), blog.url("silent")}
    assert rows[blog.url("first")].outcome == "sent"
    assert rows[blog.url("first")].last_status == 202
    assert rows[blog.url("first")].endpoint == f"{blog.peer.url}/wm?token=k1"
    assert rows[blog.url("silent")].outcome == "no-endpoint"
    assert rows[blog.url("silent")].last_status is None


def test_an_unchanged_post_is_not_sent_again(blog, post_factory, run_tasks):
    post = post_factory(body=body_linking(blog.url("first")))
    run_tasks()
    post.title = "A new title, same body"
    post_actions.save_post(post)
    run_tasks()
    assert len(blog.sent()) == 1


def test_an_edit_sends_to_new_links_and_to_removed_ones(blog, post_factory, run_tasks):
    post = post_factory(body=body_linking(blog.url("first"), blog.url("second")))
    run_tasks()
    del blog.peer.received[:]
    post.body = body_linking(blog.url("second"), blog.url("third"))
    post_actions.save_post(post)
    run_tasks()
    targets = sorted(s["target"] for s in blog.sent())
    assert targets == [blog.url("first"), blog.url("second"), blog.url("third")]
    removed = SentWebmention.objects.get(post=post, target=blog.url("first"))
    assert removed.linked is False
    # Told once: the next edit does not tell the removed link again.
    del blog.peer.received[:]
    post.body += "\n\nOne more line."
    post_actions.save_post(post)
    run_tasks()
    assert sorted(s["target"] for s in blog.sent()) == [
        blog.url("second"),
        blog.url("third"),
    ]


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Post.Status.DRAFT},
        {"visibility": Post.Visibility.PRIVATE},
        {"visibility": Post.Visibility.UNLISTED},
        {"visibility": Post.Visibility.PASSWORD, "password": "sesame"},
    ],
)
def test_posts_readers_cannot_see_send_nothing(blog, post_factory, run_tasks, hidden):
    post = post_factory(body=body_linking(blog.url("first")), **hidden)
    post.body += "\n\nEdited."
    post_actions.save_post(post)
    run_tasks()
    assert blog.peer.received == []
    assert not SentWebmention.objects.exists()


def test_a_failing_endpoint_is_recorded(other_site, post_factory, run_tasks):
    serve(other_site, "/page", '<link rel="webmention" href="/broken">')
    other_site.answer("/broken", b"no", 500)
    post = post_factory(body=body_linking(f"{other_site.url}/page"))
    run_tasks()
    row = SentWebmention.objects.get(post=post)
    assert (row.outcome, row.last_status) == ("failed", 500)
