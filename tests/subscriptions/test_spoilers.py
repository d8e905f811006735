"""Emails to followers quote a post's summary, which never holds spoiler text."""

from __future__ import annotations

import pytest

from tests.core.test_spoiler_sealing import BODIES, SECRET


@pytest.mark.django_db(transaction=True)  # the worker needs real transactions
@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_new_post_email_has_no_spoiler_text(
    post_factory, follower, smtp_server, run_tasks, body
):
    follower("reader@example.test", "site")
    run_tasks()
    smtp_server.messages.clear()

    post_factory(title="The Lighthouse", body=body, excerpt="")
    run_tasks()

    [message] = smtp_server.to("reader@example.test")
    text = smtp_server.text_of(message)
    assert "A slow film about a lighthouse" in text
    assert SECRET not in text
