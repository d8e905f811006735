"""docs/catalog.md keeps up with the code it documents."""

from pathlib import Path

from afterword.catalog import recommend
from afterword.catalog.importing.records import KINDS
from afterword.catalog.roles import DEFAULT_ROLES

DOC = (Path(__file__).parents[2] / "docs" / "catalog.md").read_text()


def test_every_default_role_is_documented():
    missing = [name for _, name, *_ in DEFAULT_ROLES if name.lower() not in DOC.lower()]
    assert missing == []


def test_every_import_kind_is_documented():
    assert [kind for kind in KINDS if f'"{kind}"' not in DOC] == []


def test_the_documented_scores_are_the_ones_used():
    assert f"| +{recommend.RELATION_POINTS} each |" in DOC
    assert f"| +{recommend.PERSON_POINTS} per person |" in DOC
    assert f"| +{recommend.ORGANISATION_POINTS} per organisation |" in DOC
    assert f"+{recommend.TAG_POINTS} per tag, +{recommend.TAG_CAP} at most" in DOC
