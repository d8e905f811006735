"""Private preview links: made and revoked from the desk, opened signed out."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from afterword.accounts.actions import SetRole
from afterword.desk.models import PreviewLink
from afterword.posts.models import Post
from tests import factories

DRAFT_TEXT = "The lighthouse scene still needs a proper ending."
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory


def with_role(username: str, role: str):
    user = factories.UserFactory(username=username)
    SetRole(user, role).run()
    return user


def draft_of(user, slug="lighthouse-draft") -> Post:
    return factories.save(
        factories.PostFactory.build(
            title="The lighthouse, a draft",
            slug=slug,
            author=user,
            body=DRAFT_TEXT,
            status=Post.Status.DRAFT,
            published_at=None,
        )
    )


def previews_url(post) -> str:
    return reverse("desk:previews", kwargs={"post_id": post.pk})


def create_url(post) -> str:
    return reverse("desk:preview_create", kwargs={"post_id": post.pk})


def link_path(link: PreviewLink) -> str:
    return reverse("preview:show", kwargs={"token": link.token})


# -- through the client ---------------------------------------------------------
@pytest.mark.django_db
def test_contributor_shares_their_own_draft_but_not_anothers_post(client):
    contributor = with_role("cora", "contributor")
    other = with_role("aldo", "author")
    own = draft_of(contributor)
    theirs = draft_of(other, slug="not-hers")
    client.force_login(contributor)

    made = client.post(create_url(own), {"note": "for my editor", "hours": "24"})
    assert made.status_code == 302
    link = PreviewLink.objects.get(post=own)
    assert link.note == "for my editor"
    assert link.created_by == contributor
    lifetime = link.expires_at - link.created_at
    assert lifetime == timedelta(hours=24)

    assert client.post(create_url(theirs), {"hours": "24"}).status_code == 403
    assert client.get(previews_url(theirs)).status_code == 403
    assert not PreviewLink.objects.filter(post=theirs).exists()


@pytest.mark.django_db
def test_a_link_shows_the_draft_signed_out_and_is_never_cached(settings):
    settings.AFTERWORD_PAGE_CACHE = True
    caches["default"].clear()
    writer = with_role("wanda", "author")
    post = draft_of(writer)
    client = Client()
    client.force_login(writer)
    client.post(create_url(post), {"hours": "1"})
    link = PreviewLink.objects.get(post=post)

    reader = Client()
    for _ in range(2):
        response = reader.get(link_path(link))
        assert response.status_code == 200
        text = response.content.decode()
        assert DRAFT_TEXT in text
        assert "Preview — not published" in text
        assert '<meta name="robots" content="noindex">' in text
        assert response["Cache-Control"] == "private, no-store"
        assert "X-Page-Cache" not in response
    # The draft's own address still answers nothing.
    assert reader.get(post.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_expired_and_revoked_links_answer_404_with_an_explanation(client):
    writer = with_role("wanda", "author")
    post = draft_of(writer)
    client.force_login(writer)
    client.post(create_url(post), {"hours": "1"})
    client.post(create_url(post), {"hours": "720"})
    short, long = PreviewLink.objects.order_by("expires_at")
    # An hour and a minute later, the short link is over.
    PreviewLink.objects.filter(pk=short.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    revoke = reverse(
        "desk:preview_revoke", kwargs={"post_id": post.pk, "link_id": long.pk}
    )
    assert client.post(revoke).status_code == 302

    reader = Client()
    for link in (short, long):
        response = reader.get(link_path(link))
        assert response.status_code == 404
        assert "This preview link does not work" in response.content.decode()
        assert DRAFT_TEXT not in response.content.decode()
    assert reader.get("/preview/no-such-token/").status_code == 404

    screen = client.get(previews_url(post)).content.decode()
    assert "Expired" in screen
    assert "Revoked" in screen


@pytest.mark.django_db
@pytest.mark.parametrize("hours", ["0", "721", "many", "-5"])
def test_a_lifetime_outside_an_hour_to_30_days_is_refused_clearly(client, hours):
    writer = with_role("wanda", "author")
    post = draft_of(writer)
    client.force_login(writer)
    response = client.post(create_url(post), {"hours": hours, "note": "kept"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "A link lasts from one hour to 30 days." in text
    assert 'value="kept"' in text
    assert not PreviewLink.objects.exists()


@pytest.mark.django_db
def test_the_editor_gets_json_when_it_asks_with_fetch(client):
    writer = with_role("wanda", "author")
    post = draft_of(writer)
    client.force_login(writer)
    fetch = {"X-Requested-With": "fetch"}
    made = client.post(create_url(post), {"note": "n"}, headers=fetch)
    assert made.status_code == 201
    link = made.json()["link"]
    assert link["state"] == "active"
    assert urlsplit(link["url"]).path == f"/preview/{PreviewLink.objects.get().token}/"
    default = PreviewLink.objects.get()
    assert default.expires_at - default.created_at == timedelta(days=7)

    listed = client.get(previews_url(post), headers=fetch).json()["links"]
    assert [entry["id"] for entry in listed] == [link["id"]]
    revoked = client.post(link["revoke_url"], headers=fetch).json()["link"]
    assert revoked["state"] == "revoked"
    refused = client.post(create_url(post), {"hours": "0"}, headers=fetch)
    assert refused.status_code == 400
    assert "lifetime" in refused.json()["errors"]


@pytest.mark.django_db
def test_readers_and_signed_out_visitors_cannot_reach_the_screen(client):
    writer = with_role("wanda", "author")
    post = draft_of(writer)
    assert client.get(previews_url(post)).status_code == 302
    client.force_login(factories.UserFactory(username="rita"))
    assert client.get(previews_url(post)).status_code == 403
    assert client.post(create_url(post)).status_code == 403


# -- in a browser -----------------------------------------------------------------
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_writer_shares_a_draft_and_revokes_it_in_a_browser(
    browser, live_server, settings
):
    from playwright.sync_api import expect

    settings.SITE_URL = live_server.url
    writer = with_role("wanda", "author")
    post = draft_of(writer)

    desk = browser.new_context()
    page = desk.new_page()
    page.set_default_timeout(10_000)
    reader_context = browser.new_context()
    reader = reader_context.new_page()
    reader.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/admin/login/?next={previews_url(post)}")
        page.fill("#id_username", "wanda")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        expect(page.get_by_role("heading", name="Preview links")).to_be_visible()
        expect(page.get_by_text("No preview links yet.")).to_be_visible()

        page.get_by_label("Note (who it is for)").fill("For Sam, who proofreads")
        page.get_by_label("Works for").select_option(label="1 day")
        page.get_by_role("button", name="Make a preview link").click()
        expect(page.get_by_text("Preview link made.")).to_be_visible()
        expect(page.get_by_text("For Sam, who proofreads")).to_be_visible()
        address = page.locator("input.preview-url").input_value()
        assert address.startswith(f"{live_server.url}/preview/")

        opened = reader.goto(address)
        assert opened.status == 200
        expect(reader.get_by_text("Preview — not published")).to_be_visible()
        expect(reader.get_by_text(DRAFT_TEXT)).to_be_visible()
        expect(
            reader.get_by_role("heading", name="The lighthouse, a draft")
        ).to_be_visible()

        page.get_by_role("button", name="Revoke").click()
        expect(page.get_by_text("Preview link revoked")).to_be_visible()
        expect(page.get_by_text("Revoked", exact=True)).to_be_visible()

        gone = reader.goto(address)
        assert gone.status == 404
        expect(reader.get_by_text("This preview link does not work")).to_be_visible()
        expect(reader.get_by_text(DRAFT_TEXT)).to_have_count(0)
    finally:
        desk.close()
        reader_context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_preview_screen_fits_a_phone_and_passes_axe(browser, live_server, settings):
    from tests.support.html_checks import (
        BLOCKING_IMPACTS,
        axe_violations,
        require_axe,
    )

    require_axe()
    settings.SITE_URL = live_server.url
    writer = with_role("wanda", "author")
    post = draft_of(writer)
    client = Client()
    client.force_login(writer)
    client.post(create_url(post), {"note": "A fairly long note for a phone"})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, bypass_csp=True
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    found = []
    try:
        link = PreviewLink.objects.get()
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            for path in (previews_url(post), link_path(link)):
                # The desk follows the system's scheme until a writer picks one.
                page.goto(live_server.url + path)
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 375, (scheme, path, width)
                found += [
                    (scheme, path, v["id"], v["targets"])
                    for v in axe_violations(page)
                    if v["impact"] in BLOCKING_IMPACTS
                ]
    finally:
        context.close()
    assert found == []
