"""Material nobody here wrote, sent the way fediverse servers write to the site.

Each naughty string, and each case of the bleach corpus, is
the content of a signed reply (``Create(Note)``) posted to the shared inbox
by a loopback account; the naughty strings are also its name. Every answer
is an acknowledgement or a refusal with a message, never a server error,
and every comment stored from them holds nothing the comment sanitiser would
refuse (``checks.problems``).
"""

from __future__ import annotations

import json

import pytest

from afterword.discussion.models import Comment
from afterword.federation.models import FediverseComment
from tests import factories
from tests.federation.conftest import RemoteAccount
from tests.support.peers import peers  # noqa: F401

from .checks import problems
from .conftest import html_corpus

pytestmark = [pytest.mark.corpora, pytest.mark.django_db]


@pytest.fixture
def account(peers, settings):  # noqa: F811
    settings.AFTERWORD_FEDERATION_ALLOW_PRIVATE = True
    settings.SITE_URL = "http://testserver"
    return RemoteAccount(peers())


@pytest.fixture
def target(post_factory):
    author = factories.UserFactory(username="ada")
    post = post_factory(author=author, slug="corpus-target")
    return f"http://testserver/ap/posts/{post.pk}"


def send_all(client, account, target, contents) -> list[str]:
    findings = []
    for index, content in enumerate(contents):
        note = account.note(target, content)
        activity = account.activity("Create", note)
        response = account.send(client, activity)
        if response.status_code >= 500:
            findings.append(f"{index}: {response.status_code} for {content!r}")
        elif response.status_code >= 400 and not json.loads(response.content).get(
            "error"
        ):
            findings.append(f"{index}: {response.status_code} without a message")
    return findings


def stored_problems() -> list[str]:
    found = []
    for comment in Comment.objects.all():
        for problem in problems(comment.body_html, profile="comment"):
            found.append(f"comment {comment.pk}: {problem}")
    return found


def test_naughty_strings_as_reply_content(client, account, target, naughty_strings):
    findings = send_all(client, account, target, naughty_strings)
    assert findings == []
    assert FediverseComment.objects.count() == len(naughty_strings)
    assert stored_problems() == []


def test_naughty_strings_as_the_activity_fields(
    client, account, target, naughty_strings
):
    findings = []
    for index, text in enumerate(naughty_strings):
        for field in ("type", "id", "object", "actor"):
            activity = account.activity("Like", target)
            activity[field] = text
            response = account.send(client, activity)
            if response.status_code >= 500 or response.status_code == 202:
                findings.append(f"{index} as {field}: {response.status_code}")
    assert findings == []
    assert not Comment.objects.exists()


# feedparser's and html5lib's cases go through the same sanitiser in
# test_sanitiser.py; here bleach's, the ones written to break it, go the
# whole way through the inbox.
@pytest.mark.parametrize("corpus", ["bleach"])
def test_html_corpora_as_reply_content(client, account, target, corpus, tally):
    cases = [case for group in html_corpus(corpus).values() for case in group]
    findings = send_all(client, account, target, [case.html for case in cases])
    tally(corpus, inbox_replies=len(cases))
    assert findings == []
    assert stored_problems() == []
