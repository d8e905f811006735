"""``{% url %}`` (remembered, a template builtin) prints what Django's tag
prints, whatever it is given, and follows the script prefix and the URL map."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

from afterword.core.templatetags.remembered_url import RememberedURLNode
from tests import factories


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_every_template_gets_the_remembered_tag():
    template = Template("{% url 'posts:home' %}")
    assert isinstance(template.nodelist[0], RememberedURLNode)


@pytest.mark.parametrize(
    ("source", "viewname", "args", "kwargs"),
    [
        ("{% url 'posts:home' %}", "posts:home", [], {}),
        ("{% url 'posts:tag' 'noir' %}", "posts:tag", ["noir"], {}),
        (
            "{% url 'posts:tag' slug='été-indien' %}",
            "posts:tag",
            [],
            {"slug": "été-indien"},
        ),
        ("{% url 'posts:month' 2024 '05' %}", "posts:month", [2024, "05"], {}),
        ("{% url name 'カウボーイ' %}", "posts:tag", ["カウボーイ"], {}),
    ],
)
def test_an_address_is_the_one_reverse_makes(source, viewname, args, kwargs):
    expected = reverse(viewname, args=args, kwargs=kwargs)
    # Twice: the second answer comes from memory.
    for _ in range(2):
        assert render(source, name="posts:tag") == expected


def test_a_missing_address_raises_or_stays_empty_as_django_s_tag_does():
    with pytest.raises(NoReverseMatch):
        render("{% url 'posts:no-such-page' %}")
    assert render("{% url 'posts:no-such-page' as gone %}[{{ gone }}]") == "[]"


def test_the_script_prefix_is_part_of_the_answer():
    source = "{% url 'posts:home' %}"
    assert render(source) == "/"
    set_script_prefix("/blog/")
    try:
        assert render(source) == "/blog/"
    finally:
        set_script_prefix("/")
    assert render(source) == "/"


@pytest.mark.django_db
def test_a_model_argument_is_not_remembered_by_its_hash():
    # A tag is equal to (and hashes like) itself after a rename; its
    # address must still follow the new slug.
    tag = factories.TagFactory(name="Noir", slug="noir")
    source = "{% url 'posts:tag' tag.slug %}|{% url 'posts:tag' tag %}"
    assert render(source, tag=tag) == "/tag/noir/|/tag/Noir/"
    tag.name = "Neo-noir"
    assert render(source, tag=tag) == "/tag/noir/|/tag/Neo-noir/"
