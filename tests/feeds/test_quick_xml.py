"""The feeds' quicker XML writer writes Django's bytes and refuses what
Django refuses (``feeds.quickxml``)."""

from __future__ import annotations

import io

import pytest
from django.utils.translation import gettext_lazy
from django.utils.xmlutils import SimplerXMLGenerator, UnserializableContentError

from afterword.feeds.quickxml import QuickXMLGenerator

AWKWARD = [
    None,
    "",
    "plain",
    "<b>Tom & Jerry</b> > \"quotes\" and 'apostrophes'",
    "line\nbreak\rreturn\ttab",
    "]]> <![CDATA[ x ]]>",
    "\u2028\u2029 \ufeff zero\u200bwidth",
    "\U0001f3ac 映画 فيلم",
    "&amp; already escaped &lt;",
]


def written(generator_class, name, contents, attrs, short=True) -> str:
    buffer = io.StringIO()
    generator = generator_class(buffer, "utf-8", short_empty_elements=short)
    generator.addQuickElement(name, contents, attrs)
    generator.addQuickElement("after")
    return buffer.getvalue()


def both(name, contents, attrs, short=True):
    outcomes = []
    for generator_class in (SimplerXMLGenerator, QuickXMLGenerator):
        try:
            outcomes.append(written(generator_class, name, contents, attrs, short))
        except UnserializableContentError as error:
            outcomes.append(("refused", str(error)))
    return outcomes


@pytest.mark.parametrize("short", [True, False])
@pytest.mark.parametrize("text", AWKWARD)
def test_the_same_bytes_as_djangos_writer(text, short):
    for attrs in (None, {}, {"href": text or "x", "rel": "alternate", "a": text or ""}):
        django_bytes, ours = both("title", text, attrs, short)
        assert ours == django_bytes


@pytest.mark.parametrize("bad", ["\x00", "bell\x07", "form\x0cfeed", "esc\x1b[0m"])
def test_control_characters_are_refused_as_django_refuses_them(bad):
    django_outcome, ours = both("summary", bad, None)
    assert django_outcome[0] == "refused"
    assert ours == django_outcome


def test_text_that_is_not_a_string_takes_djangos_own_path():
    text = gettext_lazy("Comments")
    for generator_class in (SimplerXMLGenerator, QuickXMLGenerator):
        with pytest.raises(TypeError):
            written(generator_class, "title", text, None)


def test_an_element_after_an_open_one_closes_it_first():
    outputs = []
    for generator_class in (SimplerXMLGenerator, QuickXMLGenerator):
        buffer = io.StringIO()
        generator = generator_class(buffer, "utf-8", short_empty_elements=True)
        generator.startElement("entry", {"xml:lang": "en"})
        generator.addQuickElement("link", "", {"href": "https://example.org/?a=1&b=2"})
        generator.endElement("entry")
        outputs.append(buffer.getvalue())
    assert outputs[0] == outputs[1]
