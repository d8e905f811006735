"""Work, person, organisation and index pages: what they show, and their cost."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from afterword.catalog.models import Credit, Person, Role, Work
from afterword.posts.models import Post

from .conftest import credit


def test_a_segment_review_appears_on_the_segment_and_the_anthology(
    catalog, review, client
):
    post = review(catalog["magnetic-rose-1995"], rating="4.5", title="Rose review")
    segment = client.get(catalog["magnetic-rose-1995"].get_absolute_url())
    anthology = client.get(catalog["memories-1995"].get_absolute_url())
    for response in (segment, anthology):
        assert [link.post for link in response.context["post_links"]] == [post]
        assert "Rose review" in response.content.decode()
    assert "on Magnetic Rose" in anthology.content.decode()
    other = client.get(catalog["stink-bomb-1995"].get_absolute_url())
    assert list(other.context["post_links"]) == []


def test_the_anthology_summarises_the_ratings_of_its_parts(catalog, review, client):
    review(catalog["magnetic-rose-1995"], rating="5")
    review(catalog["magnetic-rose-1995"], rating="4")
    review(catalog["cannon-fodder-1995"], rating="3")
    review(catalog["memories-1995"], rating="4")
    response = client.get(catalog["memories-1995"].get_absolute_url())
    summary = [
        (s.work.slug, float(s.average), s.count)
        for s in response.context["rating_summaries"]
    ]
    assert summary == [
        ("memories-1995", 4.0, 1),
        ("magnetic-rose-1995", 4.5, 2),
        ("cannon-fodder-1995", 3.0, 1),
    ]
    html = response.content.decode()
    assert "Ratings of the parts" in html
    assert "4.5 out of 5" in html


def test_a_new_review_changes_the_kept_average_at_once(
    catalog, review, client, settings, django_capture_on_commit_callbacks
):
    # The averages are read once per content version (core.memo): a rating
    # published since must start a new one.
    settings.AFTERWORD_FRAGMENT_CACHE = True
    work = catalog["perfect-blue-1997"]
    with django_capture_on_commit_callbacks(execute=True):
        review(work, rating="2")
    assert "average of 1 review" in client.get(work.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        review(work, rating="4")
    html = client.get(work.get_absolute_url()).content.decode()
    assert "average of 2 reviews" in html
    assert "3 out of 5" in html


def test_drafts_are_not_listed_or_counted(catalog, review, client):
    review(catalog["perfect-blue-1997"], rating="1", status=Post.Status.DRAFT)
    response = client.get(catalog["perfect-blue-1997"].get_absolute_url())
    assert list(response.context["post_links"]) == []
    assert response.context["rating_summaries"] == []


def test_work_page_shows_facts_credits_parts_releases_and_relations(catalog, client):
    html = client.get(catalog["memories-1995"].get_absolute_url()).content.decode()
    for text in [
        "113 minutes",
        "<dt>Original creator</dt>",
        'href="/catalog/people/koji-morimoto/">Koji Morimoto</a>',
        'href="/catalog/people/tensai-okamura/">Tensai Okamura</a>',
        "Magnetic Rose",
        "Stink Bomb",
        "Cannon Fodder",
        "1.85:1 anamorphic",
        "Out of print",
        "In print",
        "Sony Pictures Home Entertainment",
        "See also",
        'href="/catalog/works/akira-1988/"',
    ]:
        assert text in html, text


def test_relations_read_from_the_target_side(catalog, client):
    response = client.get(catalog["akira-manga-1982"].get_absolute_url())
    assert [(label, w.slug) for label, w, _ in response.context["relations"]] == [
        ("adapted as", "akira-1988")
    ]


def test_person_page_groups_works_by_role_with_years(catalog, review, client):
    post = review(catalog["perfect-blue-1997"], title="Blue")
    response = client.get(reverse("catalog:person", args=["katsuhiro-otomo"]))
    groups = {
        g.role.slug: [(line.work_slug, line.year) for line in g.lines]
        for g in response.context["role_groups"]
    }
    assert groups["director"] == [("akira-1988", 1988), ("cannon-fodder-1995", 1995)]
    assert groups["original-creator"][0] == ("akira-1988", 1988)
    html = response.content.decode()
    assert (
        '<li><span class="year">1995</span> '
        '<a href="/catalog/works/cannon-fodder-1995/">Cannon Fodder</a> '
        '<span class="post-meta">in Memories</span></li>'
    ) in html
    kon = client.get(reverse("catalog:person", args=["satoshi-kon"]))
    assert list(kon.context["posts"]) == [post]


def test_a_segment_review_counts_for_the_anthologys_original_creator(
    catalog, review, client
):
    post = review(catalog["stink-bomb-1995"], title="Stink")
    response = client.get(reverse("catalog:person", args=["katsuhiro-otomo"]))
    assert list(response.context["posts"]) == [post]
    kanno = client.get(reverse("catalog:person", args=["yoko-kanno"]))
    assert list(kanno.context["posts"]) == []


def test_organisation_page_lists_credits_and_releases(catalog, client):
    html = client.get(
        reverse("catalog:organisation", args=["studio-4c"])
    ).content.decode()
    assert "Magnetic Rose" in html and "Cannon Fodder" in html
    assert "Stink Bomb" not in html
    sony = client.get(
        reverse("catalog:organisation", args=["sony-pictures-home-entertainment"])
    )
    assert "(out of print)" in sony.content.decode()


def test_work_index_filters_by_kind_and_year(catalog, client):
    response = client.get(reverse("catalog:works"), {"kind": "segment"})
    assert {w.slug for w in response.context["works"]} == {
        "magnetic-rose-1995",
        "stink-bomb-1995",
        "cannon-fodder-1995",
    }
    response = client.get(reverse("catalog:works"), {"year": "1988"})
    assert [w.slug for w in response.context["works"]] == ["akira-1988"]
    response = client.get(reverse("catalog:works"), {"kind": "nonsense"})
    assert len(response.context["works"]) == Work.objects.count()


def test_people_index_filters_by_role(catalog, client):
    response = client.get(reverse("catalog:people"), {"role": "music"})
    assert [p.slug for p in response.context["people"]] == [
        "hiroyuki-nagashima",
        "jun-miyake",
        "keiichi-suzuki",
        "masahiro-ikumi",
        "shoji-yamashiro",
        "susumu-hirasawa",
        "yoko-kanno",
    ]


def test_unknown_slugs_are_404(db, client):
    assert client.get(reverse("catalog:work", args=["nope"])).status_code == 404
    assert client.get(reverse("catalog:person", args=["nope"])).status_code == 404
    assert client.get("/catalog/card/film/nope.json").status_code == 404


def test_card_json_describes_the_work(catalog, client):
    data = client.get(
        reverse("catalog:card", args=["work", "perfect-blue-1997"])
    ).json()
    assert data["title"] == "Perfect Blue"
    assert data["facts"] == "1997 · Anime film"
    assert data["url"] == "/catalog/works/perfect-blue-1997/"


def _person_with_credits(n: int) -> Person:
    person = Person.objects.create(name=f"Prolific {n}", slug=f"prolific-{n}")
    role = Role.objects.get(slug="director")
    works = Work.objects.bulk_create(
        Work(title=f"W{n}-{i}", slug=f"w{n}-{i}", year=1950 + i % 70) for i in range(n)
    )
    Credit.objects.bulk_create(Credit(work=w, person=person, role=role) for w in works)
    return person


def _queries(client, url) -> tuple[int, object]:
    """How many queries one request for ``url`` costs, the page cache off and
    the site-wide settings (the theme's appearance) already read once."""
    client.get(reverse("posts:home"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def test_person_page_queries_do_not_grow_with_credits(
    db, client, review, no_page_cache, django_assert_num_queries
):
    small, large = _person_with_credits(5), _person_with_credits(50)
    for person in (small, large):
        for credit_ in person.credits.all()[:3]:
            review(credit_.work)
    expected, _ = _queries(client, small.get_absolute_url())
    with django_assert_num_queries(expected):
        response = client.get(large.get_absolute_url())
    assert response.content.decode().count('href="/catalog/works/w50-') == 50
    assert len(response.context["posts"]) == 3


def test_work_page_queries_do_not_grow_with_posts(
    catalog, client, review, no_page_cache, django_assert_num_queries
):
    few, many = catalog["perfect-blue-1997"], catalog["tokyo-godfathers-2003"]
    for _ in range(2):
        review(few, rating="4")
    for _ in range(20):
        review(many, rating="3")
    expected, _ = _queries(client, few.get_absolute_url())
    with django_assert_num_queries(expected):
        response = client.get(many.get_absolute_url())
    assert len(response.context["post_links"]) == 20
    assert response.context["rating_summaries"][0].count == 20


def test_a_person_credited_twice_on_one_work_is_listed_per_role(
    make_work, person, client
):
    work = make_work(title="Solo")
    credit(work, person, "director")
    credit(work, person, "screenplay")
    response = client.get(person.get_absolute_url())
    assert [g.role.slug for g in response.context["role_groups"]] == [
        "director",
        "screenplay",
    ]


def test_editing_the_catalog_refreshes_cached_pages(
    catalog, client, settings, django_capture_on_commit_callbacks
):
    settings.AFTERWORD_PAGE_CACHE = True
    from afterword.catalog import actions

    url = catalog["akira-1988"].get_absolute_url()
    assert "Neo-Tokyo, rebuilt" not in client.get(url).content.decode()
    assert client.get(url).headers["X-Page-Cache"] == "hit"
    work = catalog["akira-1988"]
    work.synopsis = "Neo-Tokyo, rebuilt."
    with django_capture_on_commit_callbacks(execute=True):
        actions.save_catalog_object(work)
    assert "Neo-Tokyo, rebuilt." in client.get(url).content.decode()


def test_linking_a_post_refreshes_the_cached_work_page(
    catalog, client, settings, post_factory, django_capture_on_commit_callbacks
):
    settings.AFTERWORD_PAGE_CACHE = True
    from afterword.catalog import actions

    url = catalog["akira-1988"].get_absolute_url()
    post = post_factory(title="Akira at thirty-five")
    assert "No posts about it yet." in client.get(url).content.decode()
    assert client.get(url).headers["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        actions.link_post_to_work(post, catalog["akira-1988"], primary=True)
    assert "Akira at thirty-five" in client.get(url).content.decode()


def test_releases_are_listed_by_year_with_undated_ones_last(catalog, client):
    response = client.get(catalog["memories-1995"].get_absolute_url())
    assert [(r.format, r.year) for r in response.context["releases"]] == [
        ("dvd", 2004),
        ("bluray", None),
    ]


def test_listings_name_the_reviewed_work_and_rating_in_one_query(
    catalog, client, review, django_assert_num_queries
):
    review(catalog["perfect-blue-1997"], rating="5", title="Blue again")
    html = client.get("/").content.decode()
    assert (
        ' · on <a href="/catalog/works/perfect-blue-1997/">Perfect Blue</a> '
        '<span class="rating"><span aria-hidden="true">★★★★★</span>'
    ) in html
    expected, _ = _queries(client, "/")
    for n in range(6):
        review(catalog["tokyo-godfathers-2003"], rating="3", title=f"Godfathers {n}")
    with django_assert_num_queries(expected):
        response = client.get("/")
    assert response.content.decode().count(">Tokyo Godfathers</a>") == 6
