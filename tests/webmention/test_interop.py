"""Against an independent implementation: ronkyuu 0.9 (PyPI), as the other
site. It sends a webmention to our live server (discovering our endpoint
from the post's page), and it receives ours, checking with its own parser
that our post really links to its page."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
import requests
import ronkyuu

from afterword.posts.seo import absolute_url
from afterword.webmention.actions import ApproveWebmention
from afterword.webmention.models import SentWebmention, Webmention
from tests.support.peers import send

from .conftest import serve

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def our_site(live_server, settings):
    settings.SITE_URL = live_server.url
    return live_server


def test_ronkyuu_sends_a_reply_to_our_live_server(
    our_site, post_factory, other_site, run_tasks
):
    post = post_factory(title="Notes on Solaris", slug="notes-on-solaris")
    target = absolute_url(post.get_absolute_url())
    source = serve(
        other_site,
        "/reply",
        f"""<article class="h-entry"><span class="p-author h-card">
<a class="p-name u-url" href="https://kris.example/">Kris Kelvin</a></span>
<a class="u-in-reply-to" href="{target}">Solaris</a>
<p class="e-content">The ocean remembers.</p></article>""",
    )
    status, endpoint = ronkyuu.discoverEndpoint(target)
    assert (status, endpoint) == (200, f"{our_site.url}/webmention")

    answer = ronkyuu.sendWebmention(source, target)
    assert answer.status_code == 202
    assert "Accepted" in answer.text
    run_tasks()
    mention = Webmention.objects.get()
    assert (mention.kind, mention.author_name) == ("reply", "Kris Kelvin")
    ApproveWebmention(mention).run()
    page = requests.get(target, timeout=10).text
    assert "The ocean remembers." in page and "Kris Kelvin" in page


def test_ronkyuu_refusal_cases_reach_it_as_400(our_site, post_factory):
    post = post_factory(slug="private-one", visibility="private")
    target = absolute_url(post.get_absolute_url())
    answer = ronkyuu.sendWebmention(
        "https://example.com/x", target, webmention=f"{our_site.url}/webmention"
    )
    assert answer.status_code == 400
    assert "not a post of this site" in answer.text


def test_our_post_sent_to_a_ronkyuu_receiver_is_verified_by_it(
    our_site, post_factory, other_site, run_tasks
):
    checked = []

    def receive(handler):
        body = other_site.received[-1].body.decode()  # read by the peer already
        form = {k: v[0] for k, v in parse_qs(body).items()}
        # ronkyuu's own verification: fetch the source, find the target in it.
        found = ronkyuu.findMentions(form["source"], form["target"], timeout=10)
        checked.append((form, found["status"], found["refs"]))
        ok = form["target"] in found["refs"]
        send(handler, 202 if ok else 400, b"ok" if ok else b"no link")

    other_site.routes["/endpoint"] = receive
    article = serve(other_site, "/article", '<link rel="webmention" href="/endpoint">')
    post = post_factory(body=f"A reply to [this article]({article}).")
    run_tasks()
    [(form, status, refs)] = checked
    assert form == {"source": absolute_url(post.get_absolute_url()), "target": article}
    assert status == 200 and article in refs
    row = SentWebmention.objects.get(post=post)
    assert (row.outcome, row.last_status) == ("sent", 202)
