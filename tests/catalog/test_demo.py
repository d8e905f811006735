"""The demo site's catalog (must-show 1)."""

import pytest
from django.core.management import call_command

from afterword.catalog.models import Credit, PostMention, PostWork, Release, Role, Work
from afterword.catalog.roles import seed_roles
from afterword.posts.models import Post


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    seed_roles(Role)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", verbosity=0)


def test_demo_catalog_holds_the_anthology_and_the_posts_refer_to_it(demo, client):
    """Must-show 1: segments with their own directors, releases, relations."""
    memories = Work.objects.get(slug="memories-1995")
    parts = list(memories.parts.order_by("part_order"))
    assert [p.title for p in parts] == ["Magnetic Rose", "Stink Bomb", "Cannon Fodder"]
    directors = [
        [c.person.name for c in part.credits.filter(role__slug="director")]
        for part in parts
    ]
    assert directors == [["Koji Morimoto"], ["Tensai Okamura"], ["Katsuhiro Otomo"]]
    rose = parts[0]
    assert {(c.role.slug, c.credited_name) for c in rose.credits.all()} >= {
        ("screenplay", "Satoshi Kon"),
        ("music", "Yoko Kanno"),
        ("animation-studio", "Studio 4°C"),
    }
    original = memories.credits.get(role__slug="original-creator")
    assert (original.person.name, original.applies_to_parts) == (
        "Katsuhiro Otomo",
        True,
    )
    releases = Release.objects.filter(work=memories)
    assert sorted((r.format, r.in_print) for r in releases) == [
        ("bluray", True),
        ("dvd", False),
    ]
    assert [r.target.slug for r in memories.relations_out.all()] == ["akira-1988"]
    for slug, at_least in [
        ("satoshi-kon", 4),
        ("katsuhiro-otomo", 4),
        ("yoko-kanno", 2),
    ]:
        works = {c.work_id for c in Credit.objects.filter(person__slug=slug)}
        assert len(works) >= at_least, slug

    # The demo posts are linked and reference the catalog inline.
    post = Post.objects.get(slug="memories-part-1-magnetic-rose")
    primary = PostWork.objects.get(post=post, is_primary=True)
    assert (primary.work.slug, str(primary.rating)) == ("magnetic-rose-1995", "4.5")
    assert 'data-ref-slug="koji-morimoto"' in post.body_html
    assert "ref-missing" not in "".join(
        Post.objects.values_list("body_html", flat=True)
    )
    mentioned = set(
        PostMention.objects.filter(post=post).values_list("person__slug", flat=True)
    )
    assert {"koji-morimoto", "satoshi-kon", "yoko-kanno"} <= mentioned
    page = client.get("/catalog/works/memories-1995/").content.decode()
    assert "Memories, Part 1: Magnetic Rose" in page


def test_loading_the_demo_again_duplicates_nothing(
    demo, django_capture_on_commit_callbacks
):
    counts = (Work.objects.count(), Credit.objects.count(), PostWork.objects.count())
    body = Post.objects.get(slug="perfect-blue").body
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--force", verbosity=0)
    assert (
        Work.objects.count(),
        Credit.objects.count(),
        PostWork.objects.count(),
    ) == counts
    assert Post.objects.get(slug="perfect-blue").body == body
