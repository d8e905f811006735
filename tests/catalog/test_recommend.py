"""“If you liked this”: ranked from shared people, relations and tags."""

from afterword.catalog.actions import save_catalog_object
from afterword.catalog.models import Credit, Person, Role, WorkRelation
from afterword.catalog.recommend import suggestions
from afterword.posts.models import Tag


def ranked(work):
    return [(s.work.slug, s.score, s.reasons) for s in suggestions(work)]


def test_perfect_blue_suggests_kons_other_films_with_reasons(catalog):
    result = {
        slug: (score, reasons)
        for slug, score, reasons in ranked(catalog["perfect-blue-1997"])
    }
    assert result["millennium-actress-2001"] == (
        4,
        ["also directed by Satoshi Kon", "also animated by Madhouse"],
    )
    # An explicit relation and a key role: the highest score.
    assert result["magnetic-rose-1995"] == (
        8,
        ["see also Perfect Blue", "also written by Satoshi Kon"],
    )
    assert ranked(catalog["perfect-blue-1997"])[0][0] == "magnetic-rose-1995"


def test_parts_and_parent_are_not_suggested(catalog):
    slugs = [slug for slug, _, _ in ranked(catalog["memories-1995"])]
    assert "magnetic-rose-1995" not in slugs
    assert "memories-1995" not in [s for s, _, _ in ranked(catalog["stink-bomb-1995"])]
    assert ranked(catalog["memories-1995"])[:2] == [
        (
            "perfect-blue-1997",
            9,
            [
                "see also Magnetic Rose",
                "also directed by Satoshi Kon",
                "also animated by Madhouse",
            ],
        ),
        ("akira-1988", 8, ["see also Memories", "also created by Katsuhiro Otomo"]),
    ]


def test_relations_count_from_the_other_side(catalog):
    result = {s: r for s, _, r in ranked(catalog["akira-manga-1982"])}
    assert "adaptation of Akira" in result["akira-1988"]


def test_shared_tags_add_at_most_three_points(catalog, review):
    tags = [Tag.objects.create(name=f"T{i}", slug=f"t{i}") for i in range(5)]
    for work in (catalog["outer-wilds-2019"], catalog["solaris-1961"]):
        post = review(work)
        post.tags.set(tags)
    result = {s: (score, r) for s, score, r in ranked(catalog["outer-wilds-2019"])}
    assert result["solaris-1961"] == (3, ["posts share the tags T0, T1, T2, T3, T4"])


def test_non_key_roles_do_not_count(catalog):
    producer = Role.objects.get(slug="producer")
    extra = Person.objects.create(name="Busy Producer", slug="busy-producer")
    Credit.objects.create(work=catalog["outer-wilds-2019"], person=extra, role=producer)
    Credit.objects.create(
        work=catalog["cowboy-bebop-1998"], person=extra, role=producer
    )
    assert ranked(catalog["outer-wilds-2019"]) == []


def test_suggestions_cost_a_fixed_number_of_queries(
    catalog, review, django_assert_num_queries
):
    post = review(catalog["perfect-blue-1997"])
    post.tags.set([Tag.objects.create(name="Kon", slug="kon")])
    with django_assert_num_queries(10):
        suggestions(catalog["perfect-blue-1997"])


def test_the_work_page_keeps_suggestions_until_the_catalog_changes(
    catalog, client, settings, django_capture_on_commit_callbacks
):
    # Worked out once per content version (core.memo), so a relation saved
    # through the catalog's action must show on the next reading.
    settings.AFTERWORD_FRAGMENT_CACHE = True
    outer_wilds, solaris = catalog["outer-wilds-2019"], catalog["solaris-1961"]
    page = outer_wilds.get_absolute_url()
    assert "If you liked this" not in client.get(page).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        save_catalog_object(
            WorkRelation(
                source=outer_wilds, target=solaris, kind=WorkRelation.Kind.SEE_ALSO
            )
        )

    html = client.get(page).content.decode()
    assert "If you liked this" in html
    assert "see also Outer Wilds" in html
