"""WebFinger, NodeInfo and the actor documents, as other servers read them."""

from __future__ import annotations

import json

AS = "application/activity+json"
LD = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


def test_webfinger_finds_an_author_and_the_blog(client, published):
    answer = client.get("/.well-known/webfinger", {"resource": "acct:ada@testserver"})
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/jrd+json")
    found = answer.json()
    assert found["subject"] == "acct:ada@testserver"
    self_link = next(link for link in found["links"] if link["rel"] == "self")
    assert self_link == {
        "rel": "self",
        "type": AS,
        "href": "http://testserver/author/ada/",
    }
    blog = client.get("/.well-known/webfinger", {"resource": "acct:blog@testserver"})
    assert blog.json()["links"][0]["href"] == "http://testserver/"


def test_webfinger_knows_nobody_else(client, published, author):
    for resource in ("acct:ada@elsewhere.example", "acct:nobody@testserver", ""):
        answer = client.get("/.well-known/webfinger", {"resource": resource})
        assert answer.status_code == 404


def test_an_author_without_live_posts_is_not_an_actor(client, author):
    answer = client.get("/.well-known/webfinger", {"resource": "acct:ada@testserver"})
    assert answer.status_code == 404


def test_the_author_page_answers_with_the_actor(client, published):
    for accept in (AS, LD):
        answer = client.get("/author/ada/", HTTP_ACCEPT=accept)
        assert answer.status_code == 200
        assert answer["Content-Type"].startswith(AS)
        assert answer["Vary"] == "Accept"
        actor = answer.json()
        assert actor["type"] == "Person"
        assert actor["id"] == "http://testserver/author/ada/"
        assert actor["preferredUsername"] == "ada"
        assert actor["name"] == "Ada Critic"
        assert actor["@context"][:2] == [
            "https://www.w3.org/ns/activitystreams",
            "https://w3id.org/security/v1",
        ]
        assert actor["publicKey"]["owner"] == actor["id"]
        assert "BEGIN PUBLIC KEY" in actor["publicKey"]["publicKeyPem"]
        assert actor["endpoints"]["sharedInbox"] == "http://testserver/ap/inbox"
        for name in ("inbox", "outbox", "followers", "following", "featured"):
            assert actor[name] == f"http://testserver/ap/actors/ada/{name}"
    # People still get the page.
    html = client.get("/author/ada/", HTTP_ACCEPT="text/html")
    assert html["Content-Type"].startswith("text/html")


def test_the_key_stays_the_same(client, published):
    first = client.get("/author/ada/", HTTP_ACCEPT=AS).json()["publicKey"]
    again = client.get("/author/ada/", HTTP_ACCEPT=AS).json()["publicKey"]
    assert first == again


def test_the_home_page_answers_with_the_blog_actor(client, published):
    actor = client.get("/", HTTP_ACCEPT=AS).json()
    assert actor["type"] == "Service"
    assert actor["id"] == "http://testserver/"
    assert actor["preferredUsername"] == "blog"


def test_profile_links_are_property_values(client, published, author):
    author.profile_links = [
        {"label": "Letterboxd", "url": "https://letterboxd.com/ada/"}
    ]
    author.save()
    actor = client.get("/author/ada/", HTTP_ACCEPT=AS).json()
    assert actor["attachment"][0]["type"] == "PropertyValue"
    assert actor["attachment"][0]["name"] == "Letterboxd"
    assert 'rel="me' in actor["attachment"][0]["value"]


def test_nodeinfo(client, published):
    links = client.get("/.well-known/nodeinfo").json()["links"]
    assert links[0]["rel"] == "http://nodeinfo.diaspora.software/ns/schema/2.1"
    info = client.get("/nodeinfo/2.1").json()
    assert info["version"] == "2.1"
    assert info["protocols"] == ["activitypub"]
    assert info["usage"]["localPosts"] == 1
    assert info["usage"]["users"]["total"] == 1


def test_a_post_dereferences_at_its_id_and_its_address(client, published):
    by_address = client.get(published.get_absolute_url(), HTTP_ACCEPT=AS)
    article = by_address.json()
    assert article["type"] == "Article"
    assert article["id"] == f"http://testserver/ap/posts/{published.pk}"
    assert article["url"] == f"http://testserver{published.get_absolute_url()}"
    assert article["name"] == "Magnetic Rose"
    assert article["attachment"][0]["url"] == "http://testserver/media/ship.png"
    assert article["attachment"][0]["name"] == "A ship"
    by_id = client.get(f"/ap/posts/{published.pk}", HTTP_ACCEPT=AS).json()
    assert by_id == article
    # A browser at the id is sent to the page.
    assert client.get(f"/ap/posts/{published.pk}").status_code == 302


def test_drafts_and_private_posts_do_not_dereference(client, author, post_factory):
    draft = post_factory(author=author, slug="draft", status="draft", published_at=None)
    private = post_factory(author=author, slug="private", visibility="private")
    for post in (draft, private):
        answer = client.get(f"/ap/posts/{post.pk}", HTTP_ACCEPT=AS)
        assert answer.status_code == 404
        assert "Magnetic" not in answer.content.decode()


def test_collections(client, published, author, post_factory):
    pinned = post_factory(author=author, slug="pinned", title="Pinned", sticky=True)
    outbox = client.get("/ap/actors/ada/outbox", HTTP_ACCEPT=AS).json()
    assert outbox["totalItems"] == 2
    page = client.get(outbox["first"].removeprefix("http://testserver")).json()
    assert [item["type"] for item in page["orderedItems"]] == ["Create", "Create"]
    featured = client.get("/ap/actors/ada/featured", HTTP_ACCEPT=AS).json()
    assert [item["id"] for item in featured["orderedItems"]] == [
        f"http://testserver/ap/posts/{pinned.pk}"
    ]
    followers = client.get("/ap/actors/ada/followers").json()
    assert followers["totalItems"] == 0
    assert json.loads(client.get("/ap/actors/ada/following").content)["totalItems"] == 0
