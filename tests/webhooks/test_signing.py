"""``signing.verify`` accepts what the site signs and nothing else."""

from __future__ import annotations

import hashlib
import hmac

from afterword.webhooks import signing

SECRET = "whsec_test-secret"
BODY = b'{"event":"post.published","id":"evt_1"}'
NOW = 1_800_000_000


def test_a_signature_made_by_the_site_verifies():
    header = signing.sign(SECRET, BODY, timestamp=NOW)

    assert header.startswith(f"t={NOW},v1=")
    expected = hmac.new(
        SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256
    ).hexdigest()
    assert header == f"t={NOW},v1={expected}"
    assert signing.verify(SECRET, header, BODY, now=NOW + 10)
    assert signing.verify(SECRET, header, BODY.decode(), now=NOW - 10)


def test_another_secret_or_another_body_fails():
    header = signing.sign(SECRET, BODY, timestamp=NOW)

    assert not signing.verify("whsec_other", header, BODY, now=NOW)
    assert not signing.verify(SECRET, header, BODY + b" ", now=NOW)


def test_a_forged_signature_fails():
    forged = f"t={NOW},v1={'0' * 64}"
    assert not signing.verify(SECRET, forged, BODY, now=NOW)


def test_an_old_signature_fails_even_if_it_was_genuine():
    header = signing.sign(SECRET, BODY, timestamp=NOW - 301)

    assert not signing.verify(SECRET, header, BODY, now=NOW)
    assert signing.verify(SECRET, header, BODY, tolerance=600, now=NOW)


def test_a_new_time_on_an_old_signature_fails():
    """Replaying a captured request with a fresh time changes what is signed."""
    captured = signing.sign(SECRET, BODY, timestamp=NOW - 3600)
    replayed = captured.replace(f"t={NOW - 3600}", f"t={NOW}")

    assert not signing.verify(SECRET, replayed, BODY, now=NOW)


def test_headers_missing_a_part_fail():
    good = signing.sign(SECRET, BODY, timestamp=NOW)
    only_time = good.split(",")[0]
    only_signature = good.split(",")[1]

    for header in ("", only_time, only_signature, "garbage", "t=abc,v1=00"):
        assert not signing.verify(SECRET, header, BODY, now=NOW)


def test_one_good_signature_among_several_verifies():
    good = signing.sign(SECRET, BODY, timestamp=NOW)
    header = good.replace(",v1=", f",v1={'f' * 64},v1=")

    assert signing.verify(SECRET, header, BODY, now=NOW)
