"""Mentions under a post: real mf2 pages on loopback, verified by the task,
approved, and read on the post's page; one query however many there are."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from afterword.webmention.actions import ApproveWebmention
from afterword.webmention.models import Webmention

from .conftest import post_url, serve

pytestmark = pytest.mark.django_db(transaction=True)


def entry(prop: str, target: str, author: str, extra: str = "") -> str:
    return f"""
<article class="h-entry">
  <span class="p-author h-card"><img class="u-photo" src="{author}/me.jpg" alt="">
    <a class="u-url p-name" href="{author}/">{author.rsplit("/", 1)[-1]}</a></span>
  <a class="{prop}" href="{target}">the post</a>
  <time class="dt-published" datetime="2026-11-05T10:00:00+00:00">5 Nov</time>
  {extra}
</article>"""


def mf2_pages(site, target):
    reply = serve(
        site,
        "/reply",
        f"""<article class="h-entry">
  <div class="p-author h-card">
  <a class="u-url p-name" href="https://ada.example/">Ada Lovelace</a>
  <img class="u-photo" src="https://ada.example/ada.jpg" alt=""></div>
  <p>In reply to <a class="u-in-reply-to" href="{target}">Notes on Stalker</a></p>
  <div class="e-content">The zone is a <b>mirror</b>. <script>alert(1)</script></div>
  <a class="u-url" href="{site.url}/reply">
  <time class="dt-published" datetime="2026-11-05T10:00:00+00:00">5 Nov</time></a>
</article>""",
    )
    like = serve(site, "/like", entry("u-like-of", target, "https://bob.example/Bob"))
    repost = serve(
        site, "/repost", entry("u-repost-of", target, "https://cy.example/Cy")
    )
    mention = serve(
        site,
        "/mention",
        f"""<div class="h-card"><a class="p-name u-url" href="https://dee.example/">Dee</a></div>
<article class="h-entry"><h1 class="p-name">A week of Tarkovsky</h1>
<div class="e-content">See <a href="{target}">these notes</a>.</div></article>""",
    )
    return reply, like, repost, mention


def test_reply_like_repost_and_mention_show_under_the_post(
    client, public_post, other_site, run_tasks
):
    target = post_url(public_post)
    for source in mf2_pages(other_site, target):
        assert (
            client.post("/webmention", {"source": source, "target": target}).status_code
            == 202
        )
    run_tasks()
    kinds = dict(Webmention.objects.values_list("source", "kind"))
    assert sorted(kinds.values()) == ["like", "mention", "reply", "repost"]
    page = client.get(public_post.get_absolute_url()).content.decode()
    assert "Mentions" not in page  # held: nothing shows yet

    for mention in Webmention.objects.all():
        ApproveWebmention(mention).run()
    page = client.get(public_post.get_absolute_url()).content.decode()
    section = page[page.index('id="mentions"') :]
    reply = Webmention.objects.get(kind="reply")
    assert reply.author_name == "Ada Lovelace"
    assert reply.author_url == "https://ada.example/"
    assert reply.author_photo == "https://ada.example/ada.jpg"
    assert reply.content.startswith("The zone is a mirror.")
    assert (
        '<a class="p-author h-card" href="https://ada.example/" rel="nofollow ugc">'
        "Ada Lovelace</a>" in section
    )
    assert "The zone is a mirror." in section
    assert "<b>mirror</b>" not in section and "<script>alert(1)" not in section
    assert 'datetime="2026-11-05T10:00:00+00:00">5 November 2026</time>' in section
    assert (
        "1 like" in section
        and '<a href="https://bob.example/Bob/" rel="nofollow ugc">Bob</a>' in section
    )
    assert "1 repost" in section and "https://cy.example/Cy/" in section
    assert "Linked from" in section and f'href="{other_site.url}/mention"' in section
    assert "A week of Tarkovsky" in section and "Dee" in section
    # No remote image: the initial stands in for the photo (strict CSP).
    assert "ada.jpg" not in section
    assert re.search(r'class="mention-initial"[^>]*>A<', section)


def make_mentions(post, n: int, start: int = 0) -> None:
    kinds = ["reply", "like", "repost", "mention"]
    Webmention.objects.bulk_create(
        [
            Webmention(
                post=post,
                source=f"https://site{i}.example/p",
                target=post_url(post),
                source_domain=f"site{i}.example",
                kind=kinds[i % 4],
                status=Webmention.Status.APPROVED,
                author_name=f"Person {i}",
                author_url=f"https://site{i}.example/",
                content=f"Words {i}",
            )
            for i in range(start, start + n)
        ]
    )


def count_queries(client, post) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


def test_the_post_page_does_not_make_a_query_per_mention(client, public_post):
    make_mentions(public_post, 1)
    client.get(public_post.get_absolute_url())  # settle per-process caches
    with_one = count_queries(client, public_post)
    make_mentions(public_post, 19, start=1)
    assert count_queries(client, public_post) == with_one
    page = client.get(public_post.get_absolute_url()).content.decode()
    assert "Person 19" in page and "5 replies" in page and "5 likes" in page


def test_approving_a_mention_changes_the_cached_page(client, public_post, settings):
    settings.AFTERWORD_PAGE_CACHE = True
    settings.AFTERWORD_FRAGMENT_CACHE = True
    make_mentions(public_post, 1)
    Webmention.objects.update(status=Webmention.Status.PENDING)
    first = client.get(public_post.get_absolute_url()).content.decode()
    assert "Person 0" not in first
    ApproveWebmention(Webmention.objects.get()).run()
    again = client.get(public_post.get_absolute_url()).content.decode()
    assert "Person 0" in again
