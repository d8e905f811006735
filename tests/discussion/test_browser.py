"""What readers and the writer click, in Chromium: the two ways into a discussion."""

import copy
import re

import pytest
from django.core.management import call_command

from afterword.discussion.models import Comment
from tests.support.oidc import start_oidc_provider, stop

from .conftest import approved

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def site(settings, live_server, smtp_server):
    settings.SITE_URL = live_server.url
    settings.AFTERWORD_PAGE_CACHE = True  # approvals must reach cached pages too
    # The script asks for a fresh token on load; the minimum age is tested
    # elsewhere, here it would only make the robot wait.
    settings.AFTERWORD_FORM_TOKEN_MIN_AGE = 0
    return live_server


def work_the_queue():
    call_command(
        "db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0
    )


def test_guest_comment_is_held_until_the_writer_approves_it_in_the_queue(
    site, browser, post_factory, writer
):
    post = post_factory(author=writer, slug="paprika", title="Paprika at twenty")
    url = site.url + post.get_absolute_url()
    guest = browser.new_context().new_page()
    guest.goto(url)
    guest.fill("#comment-body", "The parade scene is *still* unmatched.")
    guest.fill("#comment-name", "Parade Watcher")
    guest.fill("#comment-email", "parade@example.test")
    guest.check("#comment-notify")
    guest.click("text=Post Comment")

    guest.wait_for_selector("text=Thank you! Your comment is awaiting moderation.")
    held = guest.locator(".comment-held")
    assert "Your comment is awaiting moderation." in held.inner_text()
    assert held.locator("em").inner_text() == "still"
    guest.reload()  # the server shows it again to this browser only
    assert guest.locator(".own-comments").inner_text().count("The parade scene") == 1

    stranger = browser.new_context().new_page()
    stranger.goto(url)
    assert "The parade scene" not in stranger.content()

    admin = browser.new_context().new_page()
    admin.goto(
        site.url + "/admin/login/?next=/admin/discussion/comment/%3Fstatus%3Dpending"
    )
    admin.fill("#id_username", writer.username)
    admin.fill("#id_password", PASSWORD)
    admin.click("input[type=submit]")
    admin.wait_for_url(re.compile(r"/admin/discussion/comment/"))
    assert "Awaiting moderation (1)" in admin.content()
    comment = Comment.objects.get()
    admin.check(f"input[name=_selected_action][value='{comment.pk}']")
    admin.select_option("select[name=action]", "approve_selected")
    admin.click("button[name=index]")
    admin.wait_for_selector("text=1 comment(s) approved.")

    stranger.reload()
    visible = stranger.locator(f"#comment-{comment.pk}")
    assert "The parade scene is still unmatched." in visible.inner_text()
    assert "1 comment" in stranger.locator("#comments-title").inner_text()


def test_reader_logs_in_with_openid_connect_replies_and_the_guest_is_emailed(
    site, browser, post_factory, writer, settings, smtp_server
):
    redirect_uri = f"{site.url}/accounts/oidc/loopback/login/callback/"
    process, provider = start_oidc_provider(redirect_uri)
    try:
        # The site's server-to-server calls (discovery, token, keys, profile)
        # go through the outbound helper: this provider's exact address is
        # let through, nothing else on loopback.
        settings.AFTERWORD_OUTBOUND_ALLOW = [provider.issuer.removeprefix("http://")]
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "APPS": [
                    {
                        "provider_id": "loopback",
                        "name": "Loopback ID",
                        "client_id": provider.client_id,
                        "secret": provider.client_secret,
                        "settings": {
                            "server_url": provider.issuer,
                            "token_auth_method": "client_secret_post",
                        },
                    }
                ]
            }
        }
        # Real providers are https:, which the policy allows as a form target;
        # this one is plain http on loopback.
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"].append(provider.issuer)
        settings.CONTENT_SECURITY_POLICY = policy
        post = post_factory(
            author=writer, slug="tokyo-godfathers", title="Tokyo Godfathers"
        )
        guest_comment = approved(
            post,
            author_name="Parade Watcher",
            author_email="parade@example.test",
            body="Best Christmas film.",
            notify_replies=True,
        )
        url = site.url + post.get_absolute_url()
        reader = browser.new_context().new_page()
        reader.goto(url)
        reader.click("text=Log in with Loopback ID")
        reader.click("button[type=submit]")  # allauth: continue to the provider
        reader.fill("input[name=login]", "kiri")
        reader.fill("input[name=password]", "anything")
        reader.click("button[type=submit]")
        reader.click("button[type=submit]")  # the provider's consent screen
        reader.wait_for_url(re.compile(re.escape(post.get_absolute_url())))

        logged_in = reader.locator(".logged-in-as").inner_text()
        assert "You are commenting using your Loopback ID account" in logged_in
        assert reader.locator("#comment-name").count() == 0

        reader.fill("#comment-body", "Agreed, and the score too.")
        reader.click("text=Post Comment")
        reader.wait_for_selector("text=Thank you! Your comment is published.")

        reader.click(f"#comment-{guest_comment.pk} .comment-reply-link")
        reader.fill("#comment-body", "Have you seen *Millennium Actress*?")
        reader.click("text=Post Comment")
        reply_item = reader.locator(f"#comment-{guest_comment.pk} ol.children li")
        reply_item.wait_for()
        assert "Millennium Actress" in reply_item.inner_text()

        reader.click(".logged-in-as >> text=Log out")
        reader.click("button[type=submit]")
        reader.goto(url)
        assert reader.locator("#comment-name").count() == 1
        assert (
            "Have you seen Millennium Actress?"
            in reader.locator("#comments").inner_text()
        )
    finally:
        stop(process)

    reply = Comment.objects.get(body="Have you seen *Millennium Actress*?")
    assert reply.parent_id == guest_comment.pk
    assert reply.author_name == "Kiri Reader"
    assert reply.provider_name == "Loopback ID"
    work_the_queue()
    [email] = smtp_server.to("parade@example.test")
    assert "Kiri Reader replied to you" in email["Subject"]
    text = smtp_server.text_of(email)
    assert "Have you seen *Millennium Actress*?" in text
    link = next(u for u in smtp_server.links_in(email) if f"#comment-{reply.pk}" in u)
    guest = browser.new_context().new_page()
    guest.goto(link)
    assert (
        "Have you seen Millennium Actress?"
        in guest.locator(f"#comment-{reply.pk}").inner_text()
    )


def test_hostile_comments_run_nothing_in_the_browser(
    site, browser, post_factory, writer
):
    post = post_factory(author=writer, slug="hostile", title="Hostile input")
    payloads = [
        "<script>alert('body')</script>",
        "<img src=x onerror=\"alert('img')\">",
        "[click me](javascript:alert('link'))",
    ]
    for n, payload in enumerate(payloads):
        approved(
            post,
            author_name=f"<script>alert('name{n}')</script>",
            author_url="https://example.org/\"onmouseover=\"alert('url')",
            body=payload,
        )
    page = browser.new_context().new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(site.url + post.get_absolute_url())
    page.hover(".comment-author a")
    page.click("text=click me", no_wait_after=True)
    page.wait_for_timeout(300)

    assert dialogs == []
    thread = page.locator(".comment-thread").inner_text()
    assert "<script>alert('name0')</script>" in thread  # shown as text
    assert page.locator(".comment-thread script").count() == 0
