"""Following by email: double opt-in, preferences, one-click unsubscribe."""

from __future__ import annotations

import csv as csv_module
import re
import time
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from afterword.outbox.models import OutgoingEmail
from afterword.subscriptions import services, tokens
from afterword.subscriptions.models import Follow, Subscriber

from .conftest import link_in

pytestmark = pytest.mark.django_db

# Tests that run the task worker use real transactions: the worker calls
# close_old_connections(), which on PostgreSQL closes a connection inside a
# test's transaction.


def path_of(url: str) -> str:
    return urlsplit(url).path


@pytest.mark.django_db(transaction=True)
def test_follow_form_stores_an_unconfirmed_follow_and_emails_a_link(
    follow_form, smtp_server, run_tasks, client
):
    response = follow_form("reader@example.test")

    assert response.status_code == 200
    assert "we have sent a confirmation link to reader@example.test" in (
        response.content.decode()
    )
    follow = Follow.objects.get(subscriber__email="reader@example.test")
    assert follow.target == "site"
    assert follow.confirmed_at is None
    assert smtp_server.messages == []

    run_tasks()
    [message] = smtp_server.messages
    assert message["To"] == "reader@example.test"
    assert message["Subject"] == "Please confirm: follow Afterword"
    confirm = link_in(message, "/follow/confirm/")

    page = client.get(path_of(confirm))
    assert page.status_code == 200
    assert "Yes, follow" in page.content.decode()
    follow.refresh_from_db()
    assert follow.confirmed_at is None

    done = client.post(path_of(confirm))
    assert done.status_code == 200
    assert "reader@example.test now follows everything on Afterword" in (
        done.content.decode()
    )
    follow.refresh_from_db()
    assert follow.confirmed_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_mail_scanner_opening_the_confirmation_link_confirms_nothing(
    follow_form, smtp_server, run_tasks, client
):
    """An attacker types someone's address into the follow box; the victim's
    mail scanner opens every link of the email it gets (GET, HEAD, again).
    Nothing may be confirmed until a person presses the page's button."""
    follow_form("victim@example.test", "site")
    run_tasks()
    [message] = smtp_server.to("victim@example.test")
    confirm = path_of(link_in(message, "/follow/confirm/"))

    answers = [client.get(confirm), client.head(confirm), client.get(confirm)]

    follow = Follow.objects.get(subscriber__email="victim@example.test")
    assert follow.confirmed_at is None
    assert services.active_follows().count() == 0
    assert [a.status_code for a in answers] == [200, 200, 200]
    html = answers[0].content.decode()
    assert f'<form method="post" action="{confirm}">' in html
    assert "victim@example.test now follows" not in html


@pytest.mark.django_db(transaction=True)
def test_following_again_while_pending_resends_without_a_second_row(
    follow_form, smtp_server, run_tasks
):
    follow_form("reader@example.test", "site")
    again = follow_form("Reader@EXAMPLE.test", "site")

    assert "has not confirmed yet; we re-sent the confirmation link" in (
        again.content.decode()
    )
    assert Subscriber.objects.count() == 1
    assert Follow.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_address_already_following_gets_a_clear_message_and_no_new_row(
    follow_form, follower, smtp_server, run_tasks
):
    follower("reader@example.test", "site")
    response = follow_form("reader@example.test", "site")

    assert "This address already follows everything on Afterword" in (
        response.content.decode()
    )
    assert Follow.objects.filter(subscriber__email="reader@example.test").count() == 1
    run_tasks()
    [message] = [
        m
        for m in smtp_server.to("reader@example.test")
        if m["Subject"] == "You already follow Afterword"
    ]
    assert "/follow/manage/" in smtp_server.text_of(message)


def test_a_forged_confirmation_link_changes_nothing(follow_form, client):
    follow_form("reader@example.test")
    follow = Follow.objects.get()
    token = tokens.confirm_token(follow)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    response = client.get(reverse("subscriptions:confirm", args=[forged]))

    assert response.status_code == 400
    assert "This confirmation link is not valid" in response.content.decode()
    follow.refresh_from_db()
    assert follow.confirmed_at is None


def test_an_expired_confirmation_link_changes_nothing(follow_form, client, settings):
    follow_form("reader@example.test")
    follow = Follow.objects.get()
    token = tokens.confirm_token(follow)
    settings.AFTERWORD_FOLLOW_CONFIRM_MAX_AGE = 1
    time.sleep(1.2)

    response = client.get(reverse("subscriptions:confirm", args=[token]))

    assert response.status_code == 400
    assert "This confirmation link has expired. Nothing was changed" in (
        response.content.decode()
    )
    follow.refresh_from_db()
    assert follow.confirmed_at is None


def test_a_bad_address_is_refused_clearly_and_kept_in_the_form(follow_form):
    response = follow_form("not-an-address")

    html = response.content.decode()
    assert response.status_code == 400
    assert "Please enter a valid email address, like name@example.org." in html
    assert 'value="not-an-address"' in html
    assert Subscriber.objects.count() == 0


def test_a_filled_honeypot_or_missing_token_is_refused(follow_form, client):
    trapped = follow_form("bot@example.test", fax="http://spam.example")
    no_token = client.post(
        reverse("subscriptions:follow"),
        {"email": "bot@example.test", "target": "site"},
    )

    assert trapped.status_code == 400
    assert "a field meant to stay empty was filled in" in trapped.content.decode()
    assert no_token.status_code == 400
    assert "missing its security token" in no_token.content.decode()
    # The form comes back filled in, with a token this time.
    assert re.search(
        r'name="token" value="[^"]+" data-follow-token', no_token.content.decode()
    )
    assert 'value="bot@example.test"' in no_token.content.decode()
    assert Subscriber.objects.count() == 0


def test_a_post_from_another_site_is_refused(follow_form):
    response = follow_form(
        "reader@example.test", headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    assert "This form can only be sent from this site." in response.content.decode()
    assert Subscriber.objects.count() == 0


def test_the_follow_form_view_is_not_cached_and_needs_no_csrf_cookie(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("subscriptions:follow"),
        {"email": "x@example.test", "target": "site", "token": "", "fax": ""},
    )
    # Refused for the missing token, not by Django's CSRF check (403).
    assert response.status_code == 400
    assert "no-store" in response.headers["Cache-Control"]


def test_preferences_page_changes_targets_and_frequency(client, follower, memories):
    series, _one, _two = memories
    subscriber = follower("reader@example.test", "site")
    url = reverse("subscriptions:manage", args=[tokens.manage_token(subscriber)])

    page = client.get(url)
    assert page.status_code == 200
    assert "no-store" in page.headers["Cache-Control"]
    assert (
        '<input type="checkbox" name="targets" value="site" id="id_targets_0" checked>'
        in page.content.decode()
    )

    saved = client.post(
        url, {"targets": [f"series:{series.pk}"], "frequency": "weekly"}
    )

    assert "Saved. We will email you about what is ticked below." in (
        saved.content.decode()
    )
    subscriber.refresh_from_db()
    assert subscriber.frequency == "weekly"
    assert list(subscriber.follows.values_list("target", flat=True)) == [
        f"series:{series.pk}"
    ]


def test_a_forged_preferences_link_shows_a_clear_page(client, follower):
    follower("reader@example.test", "site")
    response = client.get(reverse("subscriptions:manage", args=["forged:token"]))
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()


def test_one_click_unsubscribe_post_needs_no_confirmation(client, follower):
    subscriber = follower("reader@example.test", "site")
    url = reverse("subscriptions:unsubscribe", args=[tokens.manage_token(subscriber)])

    asked = client.get(url)
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is None
    assert "Stop every email" in asked.content.decode()

    response = client.post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None
    assert subscriber.follows.count() == 0


def test_admin_shows_follower_counts_and_exports_them_as_csv(
    admin_client, follower, follow_form, memories
):
    series, _one, _two = memories
    follower("a@example.test", "site", f"series:{series.pk}")
    follower("b@example.test", f"series:{series.pk}")
    follow_form("c@example.test", f"series:{series.pk}")

    page = admin_client.get(reverse("admin:subscriptions_subscriber_changelist"))
    html = page.content.decode()
    assert "Followers per target" in html
    assert "<td>Memories</td>" not in html  # the name links to the series
    assert '<a href="/series/memories/">Memories</a>' in html

    csv = admin_client.get(reverse("admin:subscriptions_subscriber_counts_csv"))
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert csv.content.decode().splitlines() == [
        "target,name,confirmed followers,awaiting confirmation",
        f"series:{series.pk},Memories,2,1",
        "site,Afterword,1,0",
    ]


def test_follower_counts_csv_does_not_let_a_name_run_as_a_formula(
    admin_client, follower
):
    from tests import factories

    tag = factories.TagFactory(name='=HYPERLINK("https://evil.example.test","x")')
    category = factories.CategoryFactory(name="@SUM(1+1)")
    follower("a@example.test", f"tag:{tag.pk}", f"category:{category.pk}")

    response = admin_client.get(reverse("admin:subscriptions_subscriber_counts_csv"))

    rows = list(csv_module.reader(response.content.decode().splitlines()))
    names = sorted(row[1] for row in rows[1:])
    assert names == ['\'=HYPERLINK("https://evil.example.test","x")', "'@SUM(1+1)"]


def test_follower_counts_ignore_unsubscribed_addresses(follower):
    subscriber = follower("a@example.test", "site")
    follower("b@example.test", "site")
    services.unsubscribe(subscriber)
    [count] = services.follower_counts()
    assert (count.target.key, count.confirmed, count.pending) == ("site", 1, 0)


def test_follow_box_offers_what_the_page_is_about_with_its_feeds(
    client, memories, post_factory, writer
):
    from tests import factories

    series, one, _two = memories
    tag = factories.TagFactory(name="Anthology", slug="anthology")
    one.tags.add(tag)

    home = client.get("/").content.decode()
    series_page = client.get(series.get_absolute_url()).content.decode()
    tag_page = client.get(tag.get_absolute_url()).content.decode()

    assert 'name="target" value="site"' in home
    # Cached pages are the same for everyone: no per-render token.
    assert 'name="token" value="" data-follow-token' in home
    assert 'href="/feed/atom/">Atom</a>' in home
    assert f'name="target" value="series:{series.pk}"' in series_page
    assert "Follow Memories" in series_page
    assert 'href="/series/memories/feed/">RSS</a>' in series_page
    assert f'name="target" value="tag:{tag.pk}"' in tag_page
    assert 'href="/tag/anthology/feed/atom/">Atom</a>' in tag_page


def test_form_token_endpoint_gives_a_fresh_usable_token(client, follow_form):
    token = client.get(reverse("subscriptions:token")).json()["token"]
    response = client.post(
        reverse("subscriptions:follow"),
        {"email": "r@example.test", "target": "site", "token": token, "fax": ""},
    )
    assert response.status_code == 200
    assert OutgoingEmail.objects.filter(to="r@example.test").count() == 1


def test_tags_and_categories_of_unpublished_posts_are_not_offered_or_named(
    client, follow_form, follower, post_factory, writer
):
    """The Follow form and the preferences page must not tell a reader the
    name of a tag or category that only a draft or a scheduled post uses."""
    from datetime import timedelta

    from django.utils import timezone

    from afterword.posts.models import Post
    from tests import factories

    secret_tag = factories.TagFactory(name="Paprika sequel", slug="paprika-sequel")
    # A sub-category: the header lists top-level categories as the site's
    # sections, whatever they hold.
    secret_category = factories.CategoryFactory(
        name="Embargoed",
        slug="embargoed",
        parent=factories.CategoryFactory(name="Reviews", slug="reviews"),
    )
    draft = post_factory(author=writer, status=Post.Status.DRAFT, published_at=None)
    draft.tags.add(secret_tag)
    later = post_factory(
        author=writer,
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=3),
    )
    later.categories.add(secret_category)
    subscriber = follower("reader@example.test", "site")

    tried = {
        key: follow_form("curious@example.test", key)
        for key in (
            f"tag:{secret_tag.pk}",
            f"category:{secret_category.pk}",
            "tag:999999",
        )
    }
    manage = client.get(
        reverse("subscriptions:manage", args=[tokens.manage_token(subscriber)])
    )

    assert {key: r.status_code for key, r in tried.items()} == dict.fromkeys(tried, 400)
    bodies = {r.content.decode() for r in tried.values()}
    # The same page for all three, but for the fresh token and nonce.
    assert len({re.sub(r'(value|nonce)="[^"]*"', "", b) for b in bodies}) == 1
    for body in [*bodies, manage.content.decode()]:
        assert "Paprika sequel" not in body
        assert "Embargoed" not in body
    assert not Follow.objects.filter(subscriber__email="curious@example.test")

    # Once a post under them is live, both can be followed.
    draft.status, draft.published_at = Post.Status.PUBLISHED, timezone.now()
    draft.save()
    assert (
        follow_form("curious@example.test", f"tag:{secret_tag.pk}").status_code == 200
    )
