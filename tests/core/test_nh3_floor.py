"""The installed nh3 is one the sanitiser can rely on (pyproject.toml's floor).

nh3 before 0.3.0 has no ``Cleaner`` (every save would fail); before 0.3.7 it
writes ``<`` and ``>`` raw inside attribute values, so a link title could carry
what looks like markup to anything that reads the HTML as text. Both tests
run against whatever nh3 is installed.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import nh3
import pytest

from afterword.core.markdown import render_markdown
from afterword.core.sanitize import clean_html

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
# A double-quoted attribute value holding a raw angle bracket.
RAW_BRACKET_IN_ATTRIBUTE = re.compile(r'="[^"]*[<>][^"]*"')


def test_installed_nh3_has_the_cleaner_the_sanitiser_builds_on():
    assert isinstance(nh3.Cleaner, type)
    cleaner = nh3.Cleaner(tags={"p"}, attributes={})
    assert cleaner.clean("<p onclick=x>hi</p>") == "<p>hi</p>"


def test_pyproject_floor_is_the_first_nh3_that_escapes_attributes():
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    [requirement] = [d for d in project["dependencies"] if d.startswith("nh3")]
    assert requirement == "nh3>=0.3.7"
    installed = tuple(int(part) for part in metadata.version("nh3").split(".")[:3])
    assert installed >= (0, 3, 7)


@pytest.mark.parametrize("profile", ["post", "comment"])
def test_markup_in_an_attribute_value_comes_out_escaped(profile):
    html = '<a href="/x" title="<figure><img src=x onerror=y></figure></a>">t</a>'

    cleaned = clean_html(html, profile=profile)

    assert 'title="&lt;figure&gt;&lt;img src=x onerror=y&gt;&lt;/figure&gt;' in cleaned
    assert not RAW_BRACKET_IN_ATTRIBUTE.search(cleaned)


def test_a_markdown_link_title_with_markup_stays_text():
    source = 'See [the plan](/plan/ "<figure><img src=/trap.png></figure></a>").'

    html = render_markdown(source).html

    assert html == (
        '<p>See <a href="/plan/" title="&lt;figure&gt;&lt;img src=/trap.png&gt;'
        '&lt;/figure&gt;&lt;/a&gt;">the plan</a>.</p>\n'
    )
    assert not RAW_BRACKET_IN_ATTRIBUTE.search(html)
