"""Endpoint discovery, rule by rule (Webmention §3.1.2), against real pages
served on loopback."""

from __future__ import annotations

import pytest

from afterword.core.outbound import OutboundError
from afterword.webmention.discovery import discover

from .conftest import serve


def test_link_header_with_an_absolute_address(other_site):
    page = serve(
        other_site,
        "/post",
        '<a rel="webmention" href="/from-the-body">x</a>',
        Link='<https://elsewhere.example/endpoint>; rel="webmention"',
    )
    assert discover(page).endpoint == "https://elsewhere.example/endpoint"


def test_link_header_with_a_relative_address(other_site):
    page = serve(other_site, "/a/post", "", Link='</wm/in>; rel="webmention"')
    assert discover(page).endpoint == f"{other_site.url}/wm/in"


def test_link_header_rel_with_several_values(other_site):
    page = serve(other_site, "/post", "", Link='<wm>; rel="nofollow webmention other"')
    assert discover(page).endpoint == f"{other_site.url}/wm"


def test_link_header_rel_without_quotes(other_site):
    page = serve(other_site, "/post", "", Link="</wm>; rel=webmention")
    assert discover(page).endpoint == f"{other_site.url}/wm"


def test_several_links_in_one_header_and_the_webmention_one_is_found(other_site):
    page = serve(
        other_site,
        "/post",
        "",
        Link='</feed>; rel="alternate", </hub>; rel=hub, </wm>; rel="webmention"',
    )
    assert discover(page).endpoint == f"{other_site.url}/wm"


def test_several_link_headers(other_site):
    def answer(handler):
        body = b"<!doctype html><title>x</title>"
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Link", '</feed>; rel="alternate"')
        handler.send_header("Link", '</second-header-wm>; rel="webmention"')
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    other_site.routes["/post"] = answer
    assert discover(f"{other_site.url}/post").endpoint == (
        f"{other_site.url}/second-header-wm"
    )


def test_link_header_wins_over_the_html(other_site):
    page = serve(
        other_site,
        "/post",
        '<link rel="webmention" href="/from-html">',
        Link='</from-header>; rel="webmention"',
    )
    assert discover(page).endpoint == f"{other_site.url}/from-header"


def test_link_element_before_a_element(other_site):
    page = serve(
        other_site,
        "/post",
        '<link rel="webmention" href="/link-first">'
        '<a rel="webmention" href="/a-second">x</a>',
    )
    assert discover(page).endpoint == f"{other_site.url}/link-first"


def test_a_element_before_link_element(other_site):
    page = serve(
        other_site,
        "/post",
        '<a rel="webmention" href="/a-first">x</a>'
        '<link rel="webmention" href="/link-second">',
    )
    assert discover(page).endpoint == f"{other_site.url}/a-first"


def test_rel_with_several_values_in_html(other_site):
    page = serve(other_site, "/post", '<a rel="me webmention" href="/wm">x</a>')
    assert discover(page).endpoint == f"{other_site.url}/wm"


def test_relative_address_resolved_against_the_page(other_site):
    page = serve(other_site, "/deep/path/post", '<link rel="webmention" href="wm.php">')
    assert discover(page).endpoint == f"{other_site.url}/deep/path/wm.php"


def test_empty_href_is_the_page_itself(other_site):
    page = serve(other_site, "/post", '<link rel="webmention" href="">')
    assert discover(page).endpoint == page


def test_endpoint_query_string_is_kept(other_site):
    page = serve(
        other_site, "/post", '<link rel="webmention" href="/wm?key=abc&version=1">'
    )
    assert discover(page).endpoint == f"{other_site.url}/wm?key=abc&version=1"


def test_redirect_is_followed_and_relative_endpoint_resolved_against_final_url(
    other_site, peers
):
    final_site = peers()
    final = serve(final_site, "/moved/here", '<link rel="webmention" href="wm">')
    other_site.redirect("/old", final, status=301)
    found = discover(f"{other_site.url}/old")
    assert found.final_url == final
    assert found.endpoint == f"{final_site.url}/moved/wm"


def test_relative_link_header_after_a_redirect(other_site):
    serve(other_site, "/b/final", "", Link='<wm>; rel="webmention"')
    other_site.redirect("/a/start", "/b/final")
    assert discover(f"{other_site.url}/a/start").endpoint == f"{other_site.url}/b/wm"


def test_element_inside_an_html_comment_is_ignored(other_site):
    page = serve(
        other_site,
        "/post",
        '<!-- <link rel="webmention" href="/commented"> -->'
        '<a rel="webmention" href="/real">x</a>',
    )
    assert discover(page).endpoint == f"{other_site.url}/real"


def test_rel_webmention_without_href_is_skipped(other_site):
    page = serve(
        other_site,
        "/post",
        '<link rel="webmention"><a rel="webmention" href="/with-href">x</a>',
    )
    assert discover(page).endpoint == f"{other_site.url}/with-href"


def test_no_endpoint(other_site):
    page = serve(
        other_site,
        "/post",
        '<link rel="stylesheet" href="/s.css"><a rel="nofollow" href="/x">x</a>',
        Link='</feed>; rel="alternate"',
    )
    assert discover(page).endpoint == ""


def test_unreachable_page_raises(other_site):
    other_site.stop()
    with pytest.raises(OutboundError):
        discover(f"{other_site.url}/post")


def test_without_the_switch_plain_http_to_loopback_is_refused(other_site, settings):
    settings.AFTERWORD_FEDERATION_ALLOW_PRIVATE = False
    page = serve(other_site, "/post", '<link rel="webmention" href="/wm">')
    with pytest.raises(OutboundError):
        discover(page)
    assert other_site.received == []
