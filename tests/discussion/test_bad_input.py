"""Bad input is refused with a clear message or neutralised; nothing stored changes."""

import html
import time
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from afterword.discussion import defences
from afterword.discussion.models import Comment

from .conftest import approved, known_guest

PAYLOADS = [
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    '<img src=x onerror="alert(1)">',
]


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and not dict(attrs).get("src"):
            self.found.append("inline script")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}")
            if name in ("href", "src") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"{tag} {name}={value}")


def dangerous_markup(markup: str) -> list[str]:
    """Elements that would run script in a browser: inline scripts, on*, javascript:."""
    scanner = _Scanner()
    scanner.feed(markup)
    return scanner.found


@pytest.fixture
def existing(post):
    return approved(post, author_email="mima@example.test", body="A comment to keep.")


def assert_untouched(existing):
    existing.refresh_from_db()
    assert existing.body == "A comment to keep."
    assert existing.status == Comment.Status.APPROVED
    assert Comment.objects.count() == 1


def test_missing_token_is_refused_and_the_form_comes_back_filled(
    post, submit, existing
):
    response = submit(post, token="")

    assert response.status_code == 400
    page = response.content.decode()
    assert "missing its security token" in page
    assert "The ending still *gets* me." in page  # the text is not lost
    assert 'name="token" value="ey' in page  # and a fresh token comes with it
    assert_untouched(existing)


def test_stale_token_asks_to_submit_again(post, submit, existing):
    stale = defences.make_token(f"post:{post.pk}", now=time.time() - 3 * 24 * 3600)

    response = submit(post, token=stale)

    assert response.status_code == 400
    assert "please submit it again" in response.content.decode()
    assert_untouched(existing)


def test_token_used_too_quickly_is_refused(post, submit, existing):
    response = submit(post, token=defences.make_token(f"post:{post.pk}"))

    assert response.status_code == 400
    assert "quicker than anyone can type" in response.content.decode()
    assert_untouched(existing)


def test_forged_token_and_token_of_another_post_are_refused(
    post, post_factory, submit, existing
):
    other = post_factory(slug="other")
    assert "not valid" in submit(post, token="abc:def").content.decode()
    response = submit(
        post, token=defences.make_token(f"post:{other.pk}", now=time.time() - 10)
    )
    assert "belongs to another page" in response.content.decode()
    assert_untouched(existing)


def test_filled_honeypot_is_refused(post, submit, existing):
    response = submit(post, fax="http://spam.example")

    assert response.status_code == 400
    assert "meant to stay empty" in response.content.decode()
    assert_untouched(existing)


def test_cross_site_origin_is_refused(post, client, existing):
    from .conftest import guest_data

    response = client.post(
        reverse("discussion:post", args=[post.pk]),
        guest_data(post),
        HTTP_ORIGIN="https://evil.example",
    )

    assert response.status_code == 403
    assert "only be posted from this site" in response.content.decode()
    assert_untouched(existing)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "x" * 10_000}, "keep your name under 100 characters"),
        ({"email": "not-an-email"}, "valid email address"),
        ({"email": ""}, "give your email address"),
        ({"name": ""}, "give a name"),
        ({"body": "   "}, "write a comment"),
        ({"body": "y" * 5001}, "under 5,000 characters"),
        ({"url": "javascript:alert(1)"}, "http:// or https://"),
    ],
)
def test_invalid_fields_get_a_clear_message(post, submit, existing, overrides, message):
    response = submit(post, **overrides)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert_untouched(existing)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_script_payloads_in_every_field_are_neutralised(post, submit, client, payload):
    known_guest(post, client, email="evil@example.test", body="Known.")

    submit(post, name=payload, body=payload, email="evil@example.test")

    comment = Comment.objects.latest("id")
    assert comment.status == Comment.Status.APPROVED
    page = client.get(post.get_absolute_url()).content.decode()
    thread = page[page.index('id="comments"') :]
    assert dangerous_markup(thread) == []
    assert payload in html.unescape(thread)  # shown as text, not run


def test_markdown_link_with_javascript_scheme_is_not_a_link(post, submit, client):
    known_guest(post, client, body="Known.")

    submit(post, body="[click](javascript:alert(1)) and [fine](https://example.org)")

    body_html = Comment.objects.latest("id").body_html
    assert dangerous_markup(body_html) == []
    assert (
        '<a href="https://example.org" rel="nofollow ugc noopener">fine</a>'
        in body_html
    )


def test_posting_to_a_closed_post_is_refused(post_factory, writer, submit):
    closed = post_factory(author=writer, slug="closed", comments_open=False)

    response = submit(closed)

    assert response.status_code == 403
    assert "Comments are closed" in response.content.decode()
    assert not Comment.objects.exists()


def test_posts_older_than_the_close_limit_are_closed(
    post_factory, writer, submit, policy
):
    policy.close_after_days = 30
    policy.save()
    old = post_factory(
        author=writer,
        slug="old",
        published_at=timezone.now() - timezone.timedelta(days=31),
    )

    response = submit(old)

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_replying_to_a_comment_of_another_post_is_refused(
    post, post_factory, submit, existing
):
    other = post_factory(slug="elsewhere")
    foreign = approved(other, body="Elsewhere.")

    response = submit(post, parent=str(foreign.pk))

    assert response.status_code == 400
    assert "not on this post" in response.content.decode()
    assert Comment.objects.count() == 2


def test_duplicate_comment_is_refused(post, submit, existing):
    submit(post, body="A comment to keep.")

    assert Comment.objects.count() == 1
    response = submit(post, body="A comment to keep.", email="mima@example.test")
    assert response.status_code == 409
    assert "already said that" in response.content.decode()


def test_refusals_come_back_as_json_for_the_script(post, submit):
    response = submit(post, json=True, token="")

    assert response.status_code == 400
    data = response.json()
    assert data["ok"] is False
    assert "security token" in data["message"]
    assert data["token"]
