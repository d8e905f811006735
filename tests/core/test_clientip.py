"""The client address: the right-most X-Forwarded-For hop that is not our proxy.

Each case is a request as the app receives it (REMOTE_ADDR, the header) and
the address rate limits must count. The rule is in afterword/core/clientip.py.
"""

from __future__ import annotations

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import RequestFactory

from afterword.config import environment
from afterword.core.clientip import client_ip, parse_address, rate_limit_key

NGINX = "127.0.0.1"


def request_from(remote_addr: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/comments/post/1/", **meta)


@pytest.fixture
def behind_nginx(settings):
    settings.AFTERWORD_TRUSTED_PROXIES = [NGINX]


def test_without_trusted_proxies_the_header_is_never_read(settings):
    settings.AFTERWORD_TRUSTED_PROXIES = []

    assert client_ip(request_from("198.51.100.4", "203.0.113.9")) == "198.51.100.4"


def test_a_peer_that_is_not_a_trusted_proxy_cannot_send_the_header(behind_nginx):
    assert client_ip(request_from("198.51.100.4", "203.0.113.9")) == "198.51.100.4"


def test_the_old_rule_took_the_left_most_element_which_the_client_writes(
    behind_nginx,
):
    """What nginx's $proxy_add_x_forwarded_for forwards when a client lies."""
    forwarded = "203.0.113.9, 198.51.100.4"  # client's claim, then nginx's peer

    assert client_ip(request_from(NGINX, forwarded)) == "198.51.100.4"


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("198.51.100.4", "198.51.100.4"),
        ("203.0.113.9, 198.51.100.4", "198.51.100.4"),
        ("1.1.1.1, 2.2.2.2, 3.3.3.3, 198.51.100.4", "198.51.100.4"),
        # Two trusted hops (a load balancer in 10/8 before nginx) are skipped.
        ("203.0.113.9, 198.51.100.4, 10.0.0.7", "198.51.100.4"),
        ("198.51.100.4, 10.0.0.7, 127.0.0.1", "198.51.100.4"),
        # Only proxies: the left-most proxy is the closest we can get.
        ("10.0.0.8, 10.0.0.7", "10.0.0.8"),
        # Empty elements carry no claim (nginx makes ", x" of an empty header).
        (", 198.51.100.4", "198.51.100.4"),
        (" , ,198.51.100.4", "198.51.100.4"),
        ("198.51.100.4,", "198.51.100.4"),
        ("", NGINX),
        ("   ", NGINX),
        (",,,", NGINX),
        # Garbage ends the walk: nothing to its left is believed.
        ("198.51.100.4, unknown", NGINX),
        ("198.51.100.4, unknown, 10.0.0.7", "10.0.0.7"),
        ("unknown, 198.51.100.4", "198.51.100.4"),
        ("_hidden, 198.51.100.4", "198.51.100.4"),
        ("for=203.0.113.9", NGINX),
        ('"203.0.113.9"', NGINX),
        ("reviews.example.org", NGINX),
        ("300.1.1.1", NGINX),
        ("1.2.3.4.5", NGINX),
        ("::::", NGINX),
        ("203.0.113.9:", NGINX),
        ("203.0.113.9:99999999", NGINX),
        ("[2001:db8::1", NGINX),
        ("[2001:db8::1]x", NGINX),
        ("\x00203.0.113.9", NGINX),
        ("\u0661\u0662\u0667.0.0.1", NGINX),  # Arabic-Indic digits
        ("２０３.０.１１３.９", NGINX),  # fullwidth digits
        # Ports, brackets, case and zones are read; the address is canonical.
        ("198.51.100.4:5100", "198.51.100.4"),
        ("2001:db8::1", "2001:db8::1"),
        ("2001:DB8:0:0::1", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("fe80::1%eth0", "fe80::1"),
        ("::ffff:198.51.100.4", "198.51.100.4"),
        ("203.0.113.9, [::ffff:198.51.100.4]:80", "198.51.100.4"),
    ],
)
def test_right_most_untrusted_hop(settings, forwarded, client):
    settings.AFTERWORD_TRUSTED_PROXIES = [NGINX, "10.0.0.0/8"]

    assert client_ip(request_from(NGINX, forwarded)) == client


def test_an_ipv6_proxy_network_is_trusted(settings):
    settings.AFTERWORD_TRUSTED_PROXIES = ["::1", "fd00::/8"]

    request = request_from("::1", "2001:db8::7, fd12::3")

    assert client_ip(request) == "2001:db8::7"


def test_a_very_long_header_is_read_from_the_right_only(behind_nginx):
    forwarded = ", ".join(["10.9.9.9"] * 100_000 + ["198.51.100.4"])

    assert client_ip(request_from(NGINX, forwarded)) == "198.51.100.4"


@pytest.mark.parametrize("remote_addr", ["", "unix:/run/afterword.sock", "garbage"])
def test_an_unreadable_peer_is_one_unknown_client_and_trusts_nothing(
    behind_nginx, remote_addr
):
    assert client_ip(request_from(remote_addr, "198.51.100.4")) == "0.0.0.0"


def test_every_answer_is_a_valid_address_whatever_the_header(behind_nginx):
    odd = ["", "x", "::", "[", "]", ":", "%", "1.2.3.4%x", "[]:1", "999"]
    for left in odd:
        for right in odd:
            answer = client_ip(request_from(NGINX, f"{left},{right}"))
            ipaddress.ip_address(answer)


def test_invalid_configured_entries_are_skipped_not_raised(settings):
    settings.AFTERWORD_TRUSTED_PROXIES = ["nginx.internal", NGINX]

    assert client_ip(request_from(NGINX, "198.51.100.4")) == "198.51.100.4"


def test_a_comma_separated_string_setting_is_accepted(settings):
    settings.AFTERWORD_TRUSTED_PROXIES = "10.0.0.0/8, 127.0.0.1"

    assert client_ip(request_from(NGINX, "198.51.100.4, 10.1.1.1")) == "198.51.100.4"


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("203.0.113.9", "203.0.113.9"),
        (" 203.0.113.9 ", "203.0.113.9"),
        ("[::1]:8000", "::1"),
        ("0x7f.1", None),
        ("", None),
    ],
)
def test_parse_address(text, parsed):
    result = parse_address(text)
    assert (str(result) if result else None) == parsed


def test_ipv6_clients_are_counted_per_64_and_ipv4_per_address():
    assert rate_limit_key("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert rate_limit_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert rate_limit_key("2001:db8:1:3::1") == "2001:db8:1:3::/64"
    assert rate_limit_key("198.51.100.4") == "198.51.100.4"


def test_the_environment_variable_lists_addresses_and_networks(monkeypatch):
    monkeypatch.setenv("AFTERWORD_TRUSTED_PROXIES", " 127.0.0.1, 10.1.2.3/8,::1 ,")

    assert environment.networks("AFTERWORD_TRUSTED_PROXIES") == [
        "127.0.0.1/32",
        "10.0.0.0/8",
        "::1/128",
    ]


def test_the_environment_variable_is_empty_by_default(monkeypatch):
    monkeypatch.delenv("AFTERWORD_TRUSTED_PROXIES", raising=False)

    assert environment.networks("AFTERWORD_TRUSTED_PROXIES") == []


def test_a_bad_entry_in_the_variable_stops_the_site_naming_it(monkeypatch):
    monkeypatch.setenv("AFTERWORD_TRUSTED_PROXIES", "127.0.0.1,localhost")

    with pytest.raises(ImproperlyConfigured) as raised:
        environment.networks("AFTERWORD_TRUSTED_PROXIES")

    assert "AFTERWORD_TRUSTED_PROXIES: 'localhost' is neither an IP address" in str(
        raised.value
    )


def test_the_old_setting_stops_the_site_at_startup(settings):
    settings.AFTERWORD_TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"

    with pytest.raises(SystemCheckError) as raised:
        call_command("check")

    assert "AFTERWORD_TRUSTED_PROXY_HEADER is no longer read" in str(raised.value)
    assert "AFTERWORD_TRUSTED_PROXIES=127.0.0.1" in str(raised.value)


def test_an_invalid_entry_in_a_settings_module_stops_the_site(settings):
    settings.AFTERWORD_TRUSTED_PROXIES = ["127.0.0.1", "nginx.internal"]

    with pytest.raises(SystemCheckError) as raised:
        call_command("check")

    assert "'nginx.internal'" in str(raised.value)


def test_behind_a_proxy_without_trusted_proxies_the_check_warns(settings, capsys):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.AFTERWORD_TRUSTED_PROXIES = []

    call_command("check")

    assert "afterword.W001" in capsys.readouterr().err
