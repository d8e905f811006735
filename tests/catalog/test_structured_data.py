"""JSON-LD and OpenGraph on review posts, work pages and person pages."""

import json
import re

from pyld import jsonld

from afterword.catalog.actions import link_post_to_work
from afterword.catalog.models import Work

SCRIPT = re.compile(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', re.S)
SCHEMA = "http://schema.org/"


def objects(html: str) -> list[dict]:
    return [json.loads(text) for text in SCRIPT.findall(html)]


def of_type(html: str, kind: str) -> dict:
    found = [o for o in objects(html) if o.get("@type") == kind]
    assert len(found) == 1, [o.get("@type") for o in objects(html)]
    return found[0]


def expand(data: dict) -> dict:
    """Expand against an inline copy of the schema.org context terms we use.

    Expansion proves the document is well-formed JSON-LD; the inline context
    keeps the test off the network.
    """
    doc = dict(data)
    doc["@context"] = {"@vocab": SCHEMA}
    return jsonld.expand(doc)[0]


def test_review_post_carries_a_review_with_rating(catalog, review, client):
    post = review(catalog["magnetic-rose-1995"], rating="4.5", title="The rose")
    data = of_type(client.get(post.get_absolute_url()).content.decode(), "Review")
    assert data["itemReviewed"] == {
        "@type": "Movie",
        "name": "Magnetic Rose",
        "url": "http://127.0.0.1:8000/catalog/works/magnetic-rose-1995/",
        "dateCreated": "1995",
    }
    assert data["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": "4.5",
        "bestRating": "5",
        "worstRating": "0",
    }
    assert data["author"] == {"@type": "Person", "name": "Writer"}
    assert data["datePublished"] == post.published_at.isoformat()
    expanded = expand(data)
    assert expanded["@type"] == [SCHEMA + "Review"]
    rating = expanded[SCHEMA + "reviewRating"][0]
    assert rating[SCHEMA + "ratingValue"] == [{"@value": "4.5"}]


def test_unrated_review_has_no_rating(catalog, review, client):
    post = review(catalog["akira-1988"])
    data = of_type(client.get(post.get_absolute_url()).content.decode(), "Review")
    assert "reviewRating" not in data


def test_item_reviewed_type_follows_the_kind(catalog, review, client, make_work):
    cases = {
        "cowboy-bebop-1998": "TVSeries",
        "solaris-1961": "Book",
        "outer-wilds-2019": "VideoGame",
        "akira-manga-1982": "Book",
    }
    episode = make_work(title="Session 1", kind=Work.Kind.EPISODE)
    other = make_work(title="A thing", kind=Work.Kind.OTHER)
    for work, expected in [
        *((catalog[slug], kind) for slug, kind in cases.items()),
        (episode, "Episode"),
        (other, "CreativeWork"),
    ]:
        post = review(work)
        data = of_type(client.get(post.get_absolute_url()).content.decode(), "Review")
        assert data["itemReviewed"]["@type"] == expected, work.slug


def test_review_names_the_primary_work(catalog, review, client):
    post = review(catalog["memories-1995"])
    link_post_to_work(post, catalog["stink-bomb-1995"], primary=True, rating="3")
    data = of_type(client.get(post.get_absolute_url()).content.decode(), "Review")
    assert data["itemReviewed"]["name"] == "Stink Bomb"


def test_work_page_json_ld(catalog, client):
    html = client.get(catalog["magnetic-rose-1995"].get_absolute_url()).content.decode()
    data = of_type(html, "Movie")
    assert data["name"] == "Magnetic Rose"
    assert data["alternateName"] == ["彼女の想いで"]
    assert data["datePublished"] == "1995"
    assert [d["name"] for d in data["director"]] == ["Koji Morimoto"]
    assert [a["name"] for a in data["author"]] == ["Satoshi Kon"]
    assert [m["name"] for m in data["musicBy"]] == ["Yoko Kanno"]
    assert data["productionCompany"] == [
        {
            "@type": "Organization",
            "name": "Studio 4°C",
            "url": "http://127.0.0.1:8000/catalog/organisations/studio-4c/",
        }
    ]
    assert data["isPartOf"]["name"] == "Memories"
    expanded = expand(data)
    assert expanded[SCHEMA + "director"][0][SCHEMA + "name"] == [
        {"@value": "Koji Morimoto"}
    ]


def test_anthology_json_ld_lists_its_parts(catalog, client):
    data = of_type(
        client.get(catalog["memories-1995"].get_absolute_url()).content.decode(),
        "Movie",
    )
    assert [p["name"] for p in data["hasPart"]] == [
        "Magnetic Rose",
        "Stink Bomb",
        "Cannon Fodder",
    ]
    assert data["duration"] == "PT113M"


def test_person_page_json_ld_and_opengraph(catalog, client):
    html = client.get("/catalog/people/satoshi-kon/").content.decode()
    data = of_type(html, "Person")
    assert data["name"] == "Satoshi Kon"
    assert data["alternateName"] == ["今敏"]
    assert data["jobTitle"] == ["Director", "Screenplay"]
    assert data["url"] == "http://127.0.0.1:8000/catalog/people/satoshi-kon/"
    assert '<meta property="og:type" content="profile">' in html
    assert '<meta property="og:title" content="Satoshi Kon">' in html


def test_work_page_opengraph(catalog, client):
    html = client.get(catalog["perfect-blue-1997"].get_absolute_url()).content.decode()
    assert '<meta property="og:type" content="video.movie">' in html
    assert '<meta property="og:title" content="Perfect Blue (1997)">' in html
    assert (
        '<meta property="og:url" content="http://127.0.0.1:8000/catalog/works/'
        'perfect-blue-1997/">'
    ) in html
    assert 'content="A pop idol leaves her group' in html


def test_json_ld_cannot_close_its_script(make_work, client):
    work = make_work(title="</script><script>alert(1)</script>")
    html = client.get(work.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert of_type(html, "Movie")["name"] == "</script><script>alert(1)</script>"
