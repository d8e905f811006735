"""The desk's home in Chromium: signing in, moderating in place, a phone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from afterword.discussion.models import Comment
from afterword.posts.models import Post
from tests.support.html_checks import BLOCKING_IMPACTS, axe_violations

from .conftest import PASSWORD, days_ago, draft, held, series_with_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(base + "/desk/")


def test_writer_signs_in_and_approves_a_held_comment_in_place(
    live_server, page, editor, make_post
):
    post = make_post(editor, title="Paprika at twenty", slug="paprika")
    comment = held(post, body="The parade scene is *still* unmatched.", name="Parade")
    sign_in(page, live_server.url, editor.username)

    row = page.locator(f"#held-{comment.pk}")
    assert "The parade scene is still unmatched." in row.inner_text()
    # A reload would lose this mark: the answer must come without one.
    page.evaluate("window.stillThisPage = true")
    row.get_by_role("button", name="Approve the comment by Parade").click()
    done = row.locator(".held-done")
    done.wait_for()
    assert done.inner_text().startswith("Approved Parade’s comment.")
    assert page.evaluate("window.stillThisPage") is True
    assert done.evaluate("el => el === document.activeElement")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED

    done.get_by_role("link", name="View it on the post").click()
    page.wait_for_url(re.compile(re.escape(post.get_absolute_url()) + "#comment-"))
    shown = page.locator(f"#comment-{comment.pk}")
    assert "The parade scene is still unmatched." in shown.inner_text()


def test_reply_by_keyboard_alone(live_server, page, editor, make_post):
    post = make_post(editor, title="Akira")
    comment = held(post, body="Is the manga better?", name="Kei")
    sign_in(page, live_server.url, editor.username)

    page.locator(f"#held-{comment.pk} summary").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == f"reply-{comment.pk}"
    page.keyboard.type("Different, and both worth it.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator(f"#held-{comment.pk} .held-done").wait_for()
    reply = Comment.objects.get(parent=comment)
    assert reply.body == "Different, and both worth it."
    assert reply.status == Comment.Status.APPROVED


def test_home_on_a_phone_fits_and_passes_axe_light_and_dark(
    live_server, browser, editor, make_post, record_property
):
    long_word = "Tengen-Toppa-Gurren-Lagann-" * 6
    post = make_post(editor, title=f"A review of {long_word}")
    held(post, body=f"{long_word} is the longest title I know.", name=long_word)
    late = draft(make_post, editor, f"Part two: {long_word}", age=timedelta(days=40))
    series_with_plan(parts=[("Part three", days_ago(5)), (late, days_ago(2))])
    make_post(
        editor,
        title="Out soon",
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=3),
    )

    context = browser.new_context(bypass_csp=True)  # axe is injected
    page = context.new_page()
    page.set_default_timeout(10_000)
    found, widths = [], {}
    try:
        page.set_viewport_size({"width": 375, "height": 800})
        sign_in(page, live_server.url, editor.username)
        page.locator(".held-reply summary").first.click()  # the reply box open too
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            widths[scheme] = page.evaluate("document.documentElement.scrollWidth")
            for violation in axe_violations(page):
                print(scheme, violation)
                if violation["impact"] in BLOCKING_IMPACTS:
                    found.append((scheme, violation["id"], violation["targets"]))
        # The quick draft's refusal, with its error shown, is checked too.
        page.fill("#id_body", "Text to keep")
        page.get_by_role("button", name="Save draft").click()
        page.wait_for_selector("#draft-title-errors")
        assert page.input_value("#id_body") == "Text to keep"
        widths["draft error"] = page.evaluate("document.documentElement.scrollWidth")
        for violation in axe_violations(page):
            if violation["impact"] in BLOCKING_IMPACTS:
                found.append(("draft error", violation["id"], violation["targets"]))
    finally:
        context.close()
    record_property("figure", f"desk home width at 375 px: {widths}")
    assert all(width <= 375 for width in widths.values()), widths
    assert found == []
