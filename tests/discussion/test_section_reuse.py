"""Plain anonymous readers share one rendering of a post's comment section."""

import re
import time

import pytest

from afterword.discussion import defences

TOKEN = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture
def fragments_on(settings):
    settings.AFTERWORD_FRAGMENT_CACHE = True


def section(html: str) -> str:
    return html[html.index('id="comments"') :]


def test_two_anonymous_readers_get_the_same_section_with_their_own_nonce(
    client, post_factory, fragments_on
):
    post = post_factory()

    first = client.get(post.get_absolute_url())
    second = client.get(post.get_absolute_url())

    one, two = first.content.decode(), second.content.decode()
    token_one, token_two = TOKEN.search(one).group(1), TOKEN.search(two).group(1)
    assert token_one == token_two
    # Valid for the post, once the reader has taken a moment to type.
    defences.check_token(token_one, f"post:{post.pk}", now=time.time() + 10)
    nonces = {m.group(1) for m in re.finditer(r'nonce="([^"]+)"', section(two))}
    assert nonces
    assert all(n in second["Content-Security-Policy"] for n in nonces)
    assert not any(n in first["Content-Security-Policy"] for n in nonces)
    assert "\x00" not in two


def test_a_new_comment_version_renders_the_section_again(
    client, post_factory, fragments_on, django_capture_on_commit_callbacks
):
    from afterword.discussion import actions

    post = post_factory()
    client.get(post.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_comment(post, name="Reader", body="Lovely *piece*.")

    html = client.get(post.get_absolute_url()).content.decode()

    assert "Lovely <em>piece</em>." in section(html)


def test_a_logged_in_reader_still_sees_their_own_identity(
    client, post_factory, writer, fragments_on
):
    post = post_factory()
    client.get(post.get_absolute_url())

    client.force_login(writer)
    html = client.get(post.get_absolute_url()).content.decode()

    assert "You are commenting" in section(html)
