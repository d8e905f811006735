"""{% fragment %}: template regions rendered once per content version."""

from __future__ import annotations

import itertools

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from afterword.pagecache.state import new_version

TEMPLATE = Template(
    '{% load fragments %}{% fragment "box" key %}'
    '{{ counter }}:<script nonce="{{ request.csp_nonce }}"></script>'
    "{% endfragment %}"
)


@pytest.fixture
def render(settings, db):
    settings.AFTERWORD_FRAGMENT_CACHE = True
    counter = itertools.count(1)

    def render(key="a", nonce="nonce-one"):
        request = RequestFactory().get("/")
        request.csp_nonce = nonce
        context = Context(
            {"request": request, "key": key, "counter": lambda: next(counter)}
        )
        return TEMPLATE.render(context)

    return render


def test_fragment_renders_once_until_content_changes(render):
    assert render() == '1:<script nonce="nonce-one"></script>'
    assert render() == '1:<script nonce="nonce-one"></script>'
    new_version()
    assert render() == '2:<script nonce="nonce-one"></script>'


def test_each_request_gets_its_own_nonce_back(render):
    render(nonce="nonce-one")
    assert render(nonce="nonce-two") == '1:<script nonce="nonce-two"></script>'


def test_fragment_varies_on_the_values_after_its_name(render):
    assert render(key="a").startswith("1:")
    assert render(key="b").startswith("2:")
    assert render(key="a").startswith("1:")


def test_switched_off_the_fragment_renders_every_time(render, settings):
    settings.AFTERWORD_FRAGMENT_CACHE = False
    assert render().startswith("1:")
    assert render().startswith("2:")
