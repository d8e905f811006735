"""The outbound-HTTP helper against real servers on loopback.

Every peer is a real HTTP server on 127.0.0.1; the site reaches one only
when its exact host:port is in AFTERWORD_OUTBOUND_ALLOW, which is how these
tests show that a redirect to its neighbour is still refused.
"""

from __future__ import annotations

import time

import pytest
import requests
from django.core.exceptions import ImproperlyConfigured

from afterword.core import outbound
from afterword.core.outbound.addresses import AllowList
from afterword.core.outbound.connection import CHUNK
from afterword.core.outbound.requests_adapter import OutboundRequestError, session
from tests.support.peers import stall, trickle


@pytest.fixture
def allowed(settings, peers):
    """A peer the site may reach, and a second one (another port) it may not."""
    server, other = peers(), peers()
    settings.AFTERWORD_OUTBOUND_ALLOW = [server.host]
    return server, other


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "100.64.0.1",  # shared address space (carrier-grade NAT)
        "169.254.169.254",  # cloud metadata
        "0.0.0.0",
        "192.0.0.1",
        "192.0.2.1",
        "198.18.0.1",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "fec0::1",
        "ff02::1",
        "ff0e::1",
        "2001:db8::1",
        "::7f00:1",  # IPv4-compatible ::127.0.0.1
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    ],
)
def test_address_rule_refuses_every_non_public_form(address):
    assert not outbound.is_public(address)


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",
        "1.1.1.1",
        "2606:4700:4700::1111",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::1",
    ],
)
def test_address_rule_admits_public_addresses_in_any_form(address):
    assert outbound.is_public(address)


@pytest.mark.parametrize("entry", ["127.0.0.1", "127.0.0.1:http", ":80", "[::1]:0"])
def test_a_malformed_allow_entry_is_a_configuration_error(settings, entry):
    settings.AFTERWORD_OUTBOUND_ALLOW = [entry]
    with pytest.raises(ImproperlyConfigured, match="is not host:port"):
        AllowList.from_settings()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://2130706433/",  # 127.0.0.1 written as one number
        "http://127.1/",
        "http://0x7f.0.0.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_requests_to_non_public_addresses_are_refused_without_the_allow_list(url):
    with pytest.raises(outbound.OutboundError, match="not on the public internet"):
        outbound.get(url, purpose="test", timeout=3)


def test_an_allowed_peer_answers_with_status_headers_address_and_bytes(allowed):
    server, _ = allowed
    server.answer("/hello", b"\xe2\x9c\x93 fine", 201, **{"X-Note": "kept"})

    answer = outbound.post(
        f"{server.url}/hello?q=1",
        purpose="test",
        json={"a": 1},
        headers={"Authorization": "Bearer t"},
    )

    assert (answer.status, answer.content, answer.text) == (
        201,
        b"\xe2\x9c\x93 fine",
        "✓ fine",
    )
    assert answer.headers["X-Note"] == "kept"
    assert answer.url == f"{server.url}/hello?q=1"
    [seen] = server.received
    assert (seen.method, seen.path, seen.body) == ("POST", "/hello?q=1", b'{"a": 1}')
    assert seen.headers["Host"] == server.host
    assert seen.headers["Content-Type"] == "application/json"
    assert seen.headers["User-Agent"].startswith("Afterword/")
    assert "(test; +" in seen.headers["User-Agent"]
    assert seen.headers["Accept-Encoding"] == "identity"


def test_redirect_to_another_loopback_port_is_refused_and_never_reached(allowed):
    server, other = allowed
    other.answer("/secret", b"internal")
    server.redirect("/start", f"{other.url}/secret")

    with pytest.raises(outbound.OutboundError) as refused:
        outbound.get(f"{server.url}/start", purpose="test")

    assert str(refused.value) == (
        "127.0.0.1 is not on the public internet; the site does not connect"
        " to private, local or reserved addresses."
    )
    assert [seen.path for seen in server.received] == ["/start"]
    assert other.received == []


@pytest.mark.parametrize(
    "location",
    [
        "http://100.64.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://2130706433/",
        "http://10.0.0.1/",
        "http://[fd00::1]/",
    ],
)
def test_redirect_to_a_non_public_address_is_refused(allowed, location):
    server, _ = allowed
    server.redirect("/start", location)

    with pytest.raises(outbound.OutboundError, match="not on the public internet"):
        outbound.get(f"{server.url}/start", purpose="test", timeout=3)


@pytest.mark.parametrize("location", ["file:///etc/passwd", "gopher://x.test/"])
def test_redirect_to_another_scheme_is_refused(allowed, location):
    server, _ = allowed
    server.redirect("/start", location)

    with pytest.raises(outbound.OutboundError, match=r"is not an http\(s\) address"):
        outbound.get(f"{server.url}/start", purpose="test")


def test_redirects_are_followed_with_credentials_kept_to_their_origin(
    settings,
    peers,
):
    first, second = peers(), peers()
    settings.AFTERWORD_OUTBOUND_ALLOW = [first.host, second.host]
    first.redirect("/a", "/b", 307)
    first.redirect("/b", f"{second.url}/c", 303)
    second.answer("/c", b"arrived")

    answer = outbound.post(
        f"{first.url}/a",
        purpose="test",
        data={"k": "v"},
        headers={"Authorization": "Bearer secret", "Cookie": "s=1"},
    )

    assert (answer.status, answer.content, answer.url) == (
        200,
        b"arrived",
        f"{second.url}/c",
    )
    assert answer.redirects == (f"{first.url}/a", f"{first.url}/b")
    a, b = first.received
    assert (a.method, b.method, b.body) == ("POST", "POST", b"k=v")  # 307 keeps it
    assert b.headers["Authorization"] == "Bearer secret"  # same origin
    [c] = second.received
    assert c.method == "GET"  # 303: the form is not sent again
    assert c.body == b""
    assert "Authorization" not in c.headers
    assert "Cookie" not in c.headers


def test_a_redirect_loop_stops_at_the_hop_limit(allowed):
    server, _ = allowed
    server.redirect("/loop", "/loop")

    with pytest.raises(outbound.OutboundError, match="redirected more than 3 times"):
        outbound.get(f"{server.url}/loop", purpose="test", max_redirects=3)

    assert len(server.received) == 4


def test_a_body_over_the_cap_is_refused_as_soon_as_it_passes_the_cap(allowed):
    """The server sends cap+1 bytes (no length announced) and then waits: a
    reader that wanted the whole body would wait for the deadline instead."""
    server, _ = allowed
    cap = 3 * CHUNK
    server.routes["/big"] = stall(200, b"x" * (cap + 1), hold=5)

    started = time.monotonic()
    with pytest.raises(outbound.OutboundError, match="larger than the limit of"):
        outbound.get(f"{server.url}/big", purpose="test", max_bytes=cap, timeout=4)

    assert time.monotonic() - started < 1.0


def test_an_announced_length_over_the_cap_is_refused_before_the_body(allowed):
    server, _ = allowed
    server.routes["/huge"] = stall(200, b"", {"Content-Length": str(10**10)})

    started = time.monotonic()
    with pytest.raises(outbound.OutboundError, match="larger than the limit of 1,000"):
        outbound.get(f"{server.url}/huge", purpose="test", max_bytes=1000, timeout=4)

    assert time.monotonic() - started < 1.0


def test_a_body_of_exactly_the_cap_is_accepted(allowed):
    server, _ = allowed
    server.answer("/just", b"y" * 5000)

    assert len(outbound.get(f"{server.url}/just", purpose="t", max_bytes=5000).content)


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers"])
def test_a_trickling_server_is_cut_off_at_the_total_deadline(allowed, headers_too):
    server, _ = allowed
    server.routes["/slow"] = trickle(every=0.05, headers_too=headers_too)

    started = time.monotonic()
    with pytest.raises(outbound.OutboundError, match=r"did not answer in time"):
        outbound.get(f"{server.url}/slow", purpose="test", timeout=1.0)
    elapsed = time.monotonic() - started

    assert 1.0 <= elapsed < 1.3


def test_the_deadline_covers_every_redirect(allowed):
    server, _ = allowed

    def slow_redirect(handler):
        time.sleep(0.4)
        handler.send_response(302)
        handler.send_header("Location", "/hop")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    server.routes["/hop"] = slow_redirect

    started = time.monotonic()
    with pytest.raises(outbound.OutboundError, match="did not answer in time"):
        outbound.get(f"{server.url}/hop", purpose="test", timeout=1.0, max_redirects=9)

    assert time.monotonic() - started < 1.3
    assert len(server.received) == 3


def test_a_requests_session_goes_through_the_same_checks(allowed):
    server, other = allowed
    server.answer("/json", b'{"ok": true}', **{"Content-Type": "application/json"})
    server.redirect("/away", f"{other.url}/")

    with session(purpose="test") as http:
        assert http.get(f"{server.url}/json").json() == {"ok": True}
        with pytest.raises(requests.ConnectionError) as refused:
            http.get(f"{server.url}/away")

    assert isinstance(refused.value, OutboundRequestError)
    assert isinstance(refused.value, outbound.OutboundError)
    assert "not on the public internet" in str(refused.value)
    assert other.received == []


def test_head_returns_the_headers_without_a_body(allowed):
    server, _ = allowed
    server.answer("/file", b"z" * 300)

    answer = outbound.head(f"{server.url}/file", purpose="test")

    assert (answer.status, answer.headers["Content-Length"], answer.content) == (
        200,
        "300",
        b"",
    )
    assert server.received[0].method == "HEAD"


def test_an_allowed_host_name_reaches_whichever_of_its_addresses_answers(
    settings, peers
):
    """localhost may resolve to ::1 first; nothing listens there, 127.0.0.1 answers."""
    server = peers()
    server.answer("/", b"by name")
    settings.AFTERWORD_OUTBOUND_ALLOW = [f"localhost:{server.port}"]

    answer = outbound.get(f"http://localhost:{server.port}/", purpose="test")

    assert answer.content == b"by name"
    assert server.received[0].headers["Host"] == f"localhost:{server.port}"


def test_a_chunked_answer_is_assembled_and_capped(allowed):
    server, _ = allowed

    def chunked(handler):
        handler.send_response(200)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for piece in (b"first ", b"second ", b"third"):
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        handler.wfile.write(b"0\r\n\r\n")

    server.routes["/chunked"] = chunked

    answer = outbound.get(f"{server.url}/chunked", purpose="test")
    assert answer.content == b"first second third"
    with pytest.raises(outbound.OutboundError, match="larger than the limit of 10"):
        outbound.get(f"{server.url}/chunked", purpose="test", max_bytes=10)
