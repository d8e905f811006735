"""Fragments are built once per content version, in whichever process asks."""

from afterword.pagecache.fragments import remember


def test_fragment_is_built_once_until_content_changes(post_factory):
    builds = []

    def build():
        builds.append(1)
        return ["About", "Films"]

    assert remember("nav", build) == ["About", "Films"]
    assert remember("nav", build) == ["About", "Films"]
    assert len(builds) == 1

    post_factory(title="A new review changes the content version")
    assert remember("nav", build) == ["About", "Films"]
    assert len(builds) == 2


def test_fragments_with_different_names_are_separate(db):
    assert remember("one", lambda: 1) == 1
    assert remember("two", lambda: 2) == 2
    assert remember("one", lambda: 3) == 1


def test_a_falsy_value_is_remembered_too(db):
    assert remember("empty", list) == []
    assert remember("empty", lambda: ["rebuilt"]) == []
