"""The checked address is the one connected to (DNS rebinding), over TLS too.

A loopback name server answers 127.0.0.1 for ``rebind.test`` the first time
and 127.0.0.2 afterwards; a server listens on each, on the same port, and
only 127.0.0.1's port is allowed. A helper that looked the name up again to
connect would reach 127.0.0.2.
"""

from __future__ import annotations

import ssl

import pytest
import trustme

from afterword.core import outbound


@pytest.fixture
def rebinding(settings, peers, nameserver):
    checked = peers("127.0.0.1")
    rebound = peers("127.0.0.2", checked.port)
    checked.answer("/", b"from the checked address")
    rebound.answer("/", b"from the second answer")
    nameserver.answers["rebind.test."] = ["127.0.0.1", "127.0.0.2"]
    settings.AFTERWORD_OUTBOUND_NAMESERVER = nameserver.address
    settings.AFTERWORD_OUTBOUND_ALLOW = [checked.host]
    return checked, rebound


def test_one_lookup_per_request_and_the_connection_goes_to_the_checked_address(
    rebinding,
    nameserver,
):
    checked, rebound = rebinding
    url = f"http://rebind.test:{checked.port}/"

    answer = outbound.get(url, purpose="test")

    assert answer.content == b"from the checked address"
    assert nameserver.questions == [("rebind.test.", "A"), ("rebind.test.", "AAAA")]
    assert checked.received[0].headers["Host"] == f"rebind.test:{checked.port}"
    assert rebound.received == []


def test_the_next_request_checks_the_new_answer_and_refuses_it(
    rebinding,
    nameserver,
):
    checked, rebound = rebinding
    url = f"http://rebind.test:{checked.port}/"
    outbound.get(url, purpose="test")

    with pytest.raises(outbound.OutboundError) as refused:
        outbound.get(url, purpose="test")

    assert str(refused.value).startswith(
        "rebind.test (at 127.0.0.2) is not on the public internet;"
    )
    assert len(checked.received) == 1
    assert rebound.received == []
    assert len(nameserver.questions) == 4


def test_an_unknown_name_is_reported_as_not_found(settings, nameserver):
    settings.AFTERWORD_OUTBOUND_NAMESERVER = nameserver.address

    with pytest.raises(outbound.OutboundError, match="nowhere.test could not be found"):
        outbound.get("https://nowhere.test/", purpose="test")


@pytest.fixture
def tls_site(settings, tmp_path, peers, nameserver):
    """An https peer on 127.0.0.1 known as pinned.test, with its own CA."""
    authority = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    names_seen: list[str] = []

    def start(certificate_for: str):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        authority.issue_cert(certificate_for).configure_cert(context)
        context.sni_callback = lambda sock, name, ctx: names_seen.append(name)
        server = peers("127.0.0.1", tls=context)
        server.answer("/", b"secure")
        nameserver.answers["pinned.test."] = ["127.0.0.1"]
        settings.AFTERWORD_OUTBOUND_NAMESERVER = nameserver.address
        settings.AFTERWORD_OUTBOUND_ALLOW = [server.host]
        settings.AFTERWORD_OUTBOUND_CA_FILE = str(ca_file)
        return server, names_seen

    return start


def test_https_over_the_pinned_address_is_verified_for_the_host_name(tls_site):
    server, names_seen = tls_site("pinned.test")

    answer = outbound.get(f"https://pinned.test:{server.port}/", purpose="test")

    assert answer.content == b"secure"
    assert names_seen == ["pinned.test"]  # SNI carries the name, not the address
    assert server.received[0].headers["Host"] == f"pinned.test:{server.port}"


def test_a_certificate_for_another_name_is_refused(tls_site):
    server, _ = tls_site("other.test")

    with pytest.raises(outbound.OutboundError) as refused:
        outbound.get(f"https://pinned.test:{server.port}/", purpose="test")

    assert str(refused.value).startswith(
        "The certificate of pinned.test could not be verified (Hostname mismatch"
    )
    assert server.received == []


def test_a_certificate_from_an_unknown_authority_is_refused(settings, tls_site):
    server, _ = tls_site("pinned.test")
    settings.AFTERWORD_OUTBOUND_CA_FILE = ""  # the system's authorities only

    with pytest.raises(outbound.OutboundError, match="could not be verified"):
        outbound.get(f"https://pinned.test:{server.port}/", purpose="test")

    assert server.received == []
