"""The optional Akismet checker, against a loopback server speaking its API."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from afterword.discussion.models import Comment

from .conftest import approved, known_guest


class FakeAkismet(BaseHTTPRequestHandler):
    received: list[dict] = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        form = {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        self.received.append({"path": self.path, **form})
        # Akismet's documented test author is always spam.
        verdict = (
            "true"
            if form.get("comment_author") == "akismet-guaranteed-spam"
            else "false"
        )
        body = verdict.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def akismet(settings):
    FakeAkismet.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeAkismet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.AFTERWORD_SPAM_CHECKERS = ["afterword.discussion.akismet.AkismetChecker"]
    settings.AFTERWORD_AKISMET_KEY = "test-key"
    settings.AFTERWORD_AKISMET_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.AFTERWORD_OUTBOUND_ALLOW = [f"127.0.0.1:{server.server_address[1]}"]
    yield FakeAkismet.received
    server.shutdown()
    server.server_close()


def test_akismet_spam_verdict_sends_the_comment_to_spam(post, submit, akismet):
    submit(post, name="akismet-guaranteed-spam")

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert comment.moderation_note == "Akismet"
    [call] = akismet
    assert call["path"] == "/1.1/comment-check"
    assert call["api_key"] == "test-key"
    assert call["comment_content"] == "The ending still *gets* me."
    assert call["user_ip"] == "127.0.0.1"


def test_akismet_ham_leaves_the_usual_rules_in_charge(post, submit, akismet, client):
    known_guest(post, client, body="Known.")

    submit(post)

    assert Comment.objects.latest("id").status == Comment.Status.APPROVED
    assert len(akismet) == 1


def test_unreachable_akismet_holds_the_comment(post, submit, settings):
    settings.AFTERWORD_SPAM_CHECKERS = ["afterword.discussion.akismet.AkismetChecker"]
    settings.AFTERWORD_AKISMET_KEY = "test-key"
    settings.AFTERWORD_AKISMET_URL = "http://127.0.0.1:9"
    settings.AFTERWORD_OUTBOUND_ALLOW = ["127.0.0.1:9"]  # allowed, but nobody there
    approved(post, author_email="mima@example.test", body="Known.")

    submit(post)

    comment = Comment.objects.latest("id")
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_note == "Akismet unavailable"
