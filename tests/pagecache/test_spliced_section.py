"""A post's kept comment section is in the page the page cache stores.

Plain readers get a post's comment section from memory, put into the
rendered page's bytes (``discussion.splice``); the cache and nginx's page
file must hold the whole page, never the mark the section stood behind.
"""

from __future__ import annotations

from afterword.discussion.actions import render_body
from afterword.discussion.models import Comment

SPLICE_MARK = b"\x00afterword-spliced"


def test_the_cached_post_page_holds_its_kept_comment_section(
    client, post_factory, settings
):
    settings.AFTERWORD_FRAGMENT_CACHE = True
    post = post_factory(title="Tokyo Godfathers")
    for number in range(3):
        Comment.objects.create(
            post=post,
            author_name=f"Reader {number}",
            author_email=f"reader{number}@example.test",
            body=f"Seen it {number} times.",
            body_html=render_body(f"Seen it {number} times."),
            status=Comment.Status.APPROVED,
        )
    first = client.get(post.get_absolute_url())
    second = client.get(post.get_absolute_url())
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    for response in (first, second):
        assert SPLICE_MARK not in response.content
        assert int(response["Content-Length"]) == len(response.content)
        for number in range(3):
            assert f"Seen it {number} times.".encode() in response.content
        # The form's script carries the page's own nonce.
        nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
        assert f'nonce="{nonce}"'.encode() in response.content
    assert b"Leave a Reply" in first.content
