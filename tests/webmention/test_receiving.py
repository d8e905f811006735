"""Receiving: the endpoint's synchronous checks, then verification by the
task against real source pages on loopback, and the comment rules."""

from __future__ import annotations

import pytest

from afterword.discussion.models import Block, DiscussionSettings
from afterword.posts.models import Post
from afterword.webmention.models import Webmention

from .conftest import post_url, serve

pytestmark = pytest.mark.django_db(transaction=True)

UNKNOWN = "The target is not a post of this site that accepts webmentions."


def send(client, source: str, target: str):
    return client.post("/webmention", {"source": source, "target": target})


def linking_page(target: str, text: str = "Good film.") -> str:
    return (
        f'<article class="h-entry"><p class="e-content">{text} '
        f'<a href="{target}">Notes</a></p></article>'
    )


def test_the_endpoint_is_advertised_on_every_html_page(client, public_post):
    response = client.get(public_post.get_absolute_url())
    assert 'rel="webmention"' in response["Link"]
    assert "<http://127.0.0.1:8000/webmention>" in response["Link"]
    assert b'<link rel="webmention" href="http://127.0.0.1:8000/webmention"' in (
        response.content
    )


def test_accepted_mention_answers_202_and_is_verified_later(
    client, public_post, other_site, run_tasks
):
    target = post_url(public_post)
    source = serve(other_site, "/reply", linking_page(target))
    response = send(client, source, target)
    assert response.status_code == 202
    assert "Accepted" in response.content.decode()
    mention = Webmention.objects.get()
    assert (mention.status, mention.post) == (Webmention.Status.UNVERIFIED, public_post)
    assert other_site.received == []  # nothing fetched inside the request
    run_tasks()
    mention.refresh_from_db()
    assert mention.status == Webmention.Status.PENDING  # a first mention is held
    assert mention.verified_at is not None
    assert [r.path for r in other_site.received] == ["/reply"]
    assert "webmention" in other_site.received[0].headers["User-Agent"]


def test_get_is_not_allowed_and_not_cached(client):
    response = client.get("/webmention")
    assert response.status_code == 405
    assert (
        "no-cache" in response["Cache-Control"]
        or "max-age=0" in response["Cache-Control"]
    )


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("", "{target}", "Both source and target are required."),
        ("not a url", "{target}", "The source is not an http or https URL."),
        ("ftp://example.com/x", "{target}", "The source is not an http or https URL."),
        ("https://example.com/x", "javascript:alert(1)", "The target is not an http"),
        ("{target}", "{target}", "The source and the target are the same URL."),
        (
            "https://example.com/x",
            "https://elsewhere.example/post/",
            "not on this site",
        ),
        ("https://example.com/x", "http://127.0.0.1:8000/no/such/post/", UNKNOWN),
        ("https://example.com/x", "http://127.0.0.1:8000/tag/none/", UNKNOWN),
    ],
)
def test_bad_input_is_refused_with_a_clear_400(
    client, public_post, source, target, message
):
    url = post_url(public_post)
    response = send(client, source.format(target=url), target.format(target=url))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Webmention.objects.exists()


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Post.Status.DRAFT},
        {"visibility": Post.Visibility.PRIVATE},
        {"visibility": Post.Visibility.UNLISTED},
        {"visibility": Post.Visibility.PASSWORD, "password": "open sesame"},
    ],
)
def test_a_post_readers_cannot_see_answers_as_an_unknown_one(
    client, post_factory, hidden
):
    post = post_factory(slug="secret", **hidden)
    unknown = send(
        client, "https://example.com/x", post_url(post).replace("secret", "nothing")
    )
    response = send(client, "https://example.com/x", post_url(post))
    assert response.status_code == unknown.status_code == 400
    assert response.content == unknown.content
    assert not Webmention.objects.exists()


@pytest.mark.parametrize(
    ("answer", "note"),
    [
        ({"status": 404}, "answered 404"),
        ({"status": 500}, "answered 500"),
        ({"big": True}, "larger than the limit"),
        ({"unlinked": True}, "does not link"),
    ],
)
def test_a_source_that_fails_is_not_approved_and_kept_with_the_reason(
    client, public_post, other_site, run_tasks, answer, note
):
    target = post_url(public_post)
    if answer.get("big"):
        html = linking_page(target) + "<p>" + "x" * (1024 * 1024 + 10) + "</p>"
        source = serve(other_site, "/src", html)
    elif answer.get("unlinked"):
        source = serve(other_site, "/src", linking_page("https://example.com/other"))
    else:
        source = serve(other_site, "/src", linking_page(target), answer["status"])
    assert send(client, source, target).status_code == 202
    run_tasks()
    mention = Webmention.objects.get()
    assert mention.status == Webmention.Status.FAILED
    assert note in mention.note
    assert public_post.comments.count() == 0
    assert Post.objects.filter(pk=public_post.pk).exists()


def test_an_unreachable_source_is_not_approved(client, public_post, peers, run_tasks):
    gone = peers()
    source = f"{gone.url}/src"
    gone.stop()
    assert send(client, source, post_url(public_post)).status_code == 202
    run_tasks()
    assert Webmention.objects.get().status == Webmention.Status.FAILED


def test_the_source_linking_through_an_image_counts(
    client, public_post, other_site, run_tasks
):
    target = post_url(public_post)
    source = serve(other_site, "/src", f'<p>Look <img src="{target}" alt=""></p>')
    send(client, source, target)
    run_tasks()
    assert Webmention.objects.get().status == Webmention.Status.PENDING


def test_a_source_gone_410_deletes_the_mention(
    client, public_post, other_site, run_tasks
):
    target = post_url(public_post)
    source = serve(other_site, "/src", linking_page(target))
    send(client, source, target)
    run_tasks()
    assert Webmention.objects.count() == 1
    serve(other_site, "/src", "gone", status=410)
    assert send(client, source, target).status_code == 202
    run_tasks()
    assert not Webmention.objects.exists()


def test_a_source_that_stops_linking_deletes_the_mention(
    client, public_post, other_site, run_tasks
):
    target = post_url(public_post)
    source = serve(other_site, "/src", linking_page(target))
    send(client, source, target)
    run_tasks()
    Webmention.objects.update(status=Webmention.Status.APPROVED)
    serve(other_site, "/src", linking_page("https://example.com/else"))
    send(client, source, target)
    run_tasks()
    assert not Webmention.objects.exists()


def test_a_mention_sent_again_updates_the_same_row(
    client, public_post, other_site, run_tasks
):
    target = post_url(public_post)
    source = serve(other_site, "/src", linking_page(target, "First words."))
    send(client, source, target)
    run_tasks()
    serve(other_site, "/src", linking_page(target, "Second words."))
    send(client, source, target)
    run_tasks()
    mention = Webmention.objects.get()
    assert "Second words." in mention.content
    assert mention.status == Webmention.Status.PENDING


def test_a_temporary_failure_does_not_undo_an_approved_mention(
    client, public_post, other_site, run_tasks
):
    target = post_url(public_post)
    source = serve(other_site, "/src", linking_page(target))
    send(client, source, target)
    run_tasks()
    Webmention.objects.update(status=Webmention.Status.APPROVED)
    serve(other_site, "/src", "oops", status=503)
    send(client, source, target)
    run_tasks()
    mention = Webmention.objects.get()
    assert mention.status == Webmention.Status.APPROVED
    assert "503" in mention.note


def test_a_blocked_domain_in_the_settings_goes_to_spam(
    client, public_post, peers, run_tasks
):
    peer = peers("127.0.0.2")
    DiscussionSettings(blocked_domains="127.0.0.2").save()
    target = post_url(public_post)
    source = serve(peer, "/src", linking_page(target))
    send(client, source, target)
    run_tasks()
    mention = Webmention.objects.get()
    assert mention.status == Webmention.Status.SPAM
    assert mention.note == "blocked domain: 127.0.0.2"


def test_a_domain_block_from_the_comments_screen_sends_subdomains_to_spam(
    client, public_post, run_tasks
):
    Block.objects.create(kind=Block.Kind.DOMAIN, value="localhost")
    from afterword.webmention import moderation

    assert moderation.blocked_domain("blog.localhost", DiscussionSettings.load())
    assert moderation.blocked_domain("localhost", DiscussionSettings.load())
    assert moderation.blocked_domain("notlocalhost", DiscussionSettings.load()) is None


def test_a_site_with_an_approved_mention_is_approved_next_time(
    client, post_factory, other_site, run_tasks
):
    first, second = post_factory(slug="first"), post_factory(slug="second")
    one = serve(other_site, "/one", linking_page(post_url(first)))
    send(client, one, post_url(first))
    run_tasks()
    Webmention.objects.update(status=Webmention.Status.APPROVED)
    two = serve(other_site, "/two", linking_page(post_url(second)))
    send(client, two, post_url(second))
    run_tasks()
    assert Webmention.objects.get(source=two).status == Webmention.Status.APPROVED


def test_without_hold_first_comment_a_mention_is_approved(
    client, public_post, other_site, run_tasks
):
    DiscussionSettings(hold_first_comment=False).save()
    target = post_url(public_post)
    source = serve(other_site, "/src", linking_page(target))
    send(client, source, target)
    run_tasks()
    assert Webmention.objects.get().status == Webmention.Status.APPROVED


def test_an_author_address_on_a_blocked_domain_goes_to_spam(
    client, public_post, other_site, run_tasks
):
    Block.objects.create(kind=Block.Kind.DOMAIN, value="spammer.example")
    target = post_url(public_post)
    source = serve(
        other_site,
        "/src",
        f'<div class="h-entry"><a class="p-author h-card" href="https://www.spammer.example/">'
        f'Cheap pills</a> <a href="{target}">x</a></div>',
    )
    send(client, source, target)
    run_tasks()
    mention = Webmention.objects.get()
    assert mention.status == Webmention.Status.SPAM
    assert mention.note == "blocked domain: spammer.example"
