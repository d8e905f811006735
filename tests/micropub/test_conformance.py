"""The features of the Micropub Recommendation's implementation report, one
test each, numbered as micropub.rocks numbers them, over real HTTP."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import requests
from django.urls import resolve
from django.utils import timezone

from afterword.media.models import Image
from afterword.posts.models import Post

from .conftest import picture

pytestmark = pytest.mark.browser


def post_at(location: str) -> Post:
    match = resolve(urlsplit(location).path)
    return Post.objects.get(kind=Post.Kind.POST, slug=match.kwargs["slug"])


def created(response) -> Post:
    assert response.status_code == 201, response.text
    return post_at(response.headers["Location"])


def page(location: str) -> str:
    response = requests.get(location, timeout=30)
    assert response.status_code == 200
    return response.text


def uploaded(mp, fmt="JPEG", mime="image/jpeg", name="photo.jpg", **kwargs) -> str:
    response = mp.upload(name, picture(fmt, **kwargs), mime)
    assert response.status_code == 201, response.text
    return response.headers["Location"]


# 1xx: creating posts, form-encoded ------------------------------------------


def test_100_create_an_h_entry_form_encoded(mp, author):
    response = mp.form({"h": "entry", "content": "Micropub test of creating a post"})
    post = created(response)
    assert response.headers["Location"] == mp.base + post.get_absolute_url()
    assert post.author == author
    assert post.status == Post.Status.PUBLISHED
    assert post.title == "Micropub test of creating a post"
    assert "Micropub test of creating a post" in page(response.headers["Location"])


def test_101_create_with_multiple_categories_form_encoded(mp):
    post = created(
        mp.form(
            {
                "h": "entry",
                "content": "Two categories",
                "category[]": ["test1", "test2"],
            }
        )
    )
    assert sorted(post.tags.values_list("name", flat=True)) == ["test1", "test2"]


def test_104_create_with_a_photo_referenced_by_url_form_encoded(mp):
    address = uploaded(mp)
    response = mp.form(
        {
            "h": "entry",
            "content": "A photo by address",
            "photo": address,
            "mp-photo-alt": "A red square",
        }
    )
    post = created(response)
    image = Image.objects.get()
    assert f"]({image.file.url})" in post.body
    html = page(response.headers["Location"])
    assert f'src="{image.file.url}"' in html
    assert 'alt="A red square"' in html


def test_107_create_with_one_category_form_encoded(mp):
    post = created(mp.form({"h": "entry", "content": "One", "category": "solo"}))
    assert list(post.tags.values_list("name", flat=True)) == ["solo"]


# 2xx: creating posts, JSON ----------------------------------------------------


def test_200_create_an_h_entry_json(mp):
    response = mp.json(
        {
            "type": ["h-entry"],
            "properties": {"content": ["Micropub test of creating a post in JSON"]},
        }
    )
    post = created(response)
    assert post.body == "Micropub test of creating a post in JSON"
    assert "creating a post in JSON" in page(response.headers["Location"])


def test_201_create_with_multiple_categories_json(mp):
    post = created(
        mp.json(
            {
                "type": ["h-entry"],
                "properties": {"content": ["Tags"], "category": ["test1", "test2"]},
            }
        )
    )
    assert sorted(post.tags.values_list("name", flat=True)) == ["test1", "test2"]


def test_202_create_with_html_content_json(mp):
    response = mp.json(
        {
            "type": ["h-entry"],
            "properties": {
                "content": [
                    {
                        "html": "<p>This post has <b>bold</b> and *stars*.</p>"
                        "\n\n<p>Two</p>"
                    }
                ]
            },
        }
    )
    post = created(response)
    assert "<b>bold</b>" in post.body_html
    # HTML is kept as HTML: the asterisks are not read as Markdown.
    assert "*stars*" in post.body_html
    assert "<p>Two</p>" in post.body_html
    assert "<b>bold</b>" in page(response.headers["Location"])


def test_203_create_with_a_photo_referenced_by_url_json(mp):
    address = uploaded(mp)
    post = created(
        mp.json(
            {
                "type": ["h-entry"],
                "properties": {
                    "content": ["Photo"],
                    "photo": [address],
                    # A draft: publishing needs alt text.
                    "post-status": ["draft"],
                },
            }
        )
    )
    assert Image.objects.get().file.url in post.body_html


def test_204_create_with_a_nested_object_json(mp):
    response = mp.json(
        {
            "type": ["h-entry"],
            "properties": {
                "content": ["Checked in"],
                "checkin": [
                    {
                        "type": ["h-card"],
                        "properties": {
                            "name": ["Café"],
                            "url": ["https://cafe.example/"],
                        },
                    }
                ],
                "category": [
                    "coffee",
                    {"type": ["h-card"], "properties": {"name": ["A friend"]}},
                ],
            },
        }
    )
    post = created(response)
    assert post.body == "Checked in"
    assert list(post.tags.values_list("name", flat=True)) == ["coffee"]


def test_205_create_with_a_photo_with_alt_text_json(mp):
    address = uploaded(mp)
    response = mp.json(
        {
            "type": ["h-entry"],
            "properties": {
                "content": ["Alt"],
                "photo": [{"value": address, "alt": "A red square on white"}],
            },
        }
    )
    post = created(response)
    assert post.status == Post.Status.PUBLISHED
    assert 'alt="A red square on white"' in page(response.headers["Location"])


def test_206_create_with_multiple_photos_referenced_by_url_json(mp):
    first = uploaded(mp, colour=(10, 200, 10))
    second = uploaded(mp, name="two.png", fmt="PNG", mime="image/png")
    post = created(
        mp.json(
            {
                "type": ["h-entry"],
                "properties": {
                    "content": ["Two photos"],
                    "photo": [
                        {"value": first, "alt": "Green"},
                        {"value": second, "alt": "Red"},
                    ],
                },
            }
        )
    )
    urls = [image.file.url for image in Image.objects.order_by("pk")]
    assert post.body.index(urls[0]) < post.body.index(urls[1])
    assert post.body_html.count("<figure") == 2


# 3xx: creating posts, multipart -----------------------------------------------


def test_300_create_with_a_photo_multipart(mp):
    response = mp.form(
        {"h": "entry", "content": "Uploaded with the post", "mp-photo-alt": "Red"},
        files={"photo": ("photo.jpg", picture(), "image/jpeg")},
    )
    post = created(response)
    image = Image.objects.get()
    assert image.alt_text == "Red"
    assert image.uploaded_by == post.author
    assert f'src="{image.file.url}"' in page(response.headers["Location"])


def test_301_create_with_two_photos_multipart(mp):
    response = mp.form(
        {"h": "entry", "content": "Two files", "mp-photo-alt[]": ["One", "Two"]},
        files=[
            ("photo[]", ("one.jpg", picture(colour=(1, 2, 3)), "image/jpeg")),
            ("photo[]", ("two.png", picture("PNG"), "image/png")),
        ],
    )
    post = created(response)
    assert Image.objects.count() == 2
    assert post.body_html.count("<figure") == 2
    assert 'alt="One"' in post.body_html and 'alt="Two"' in post.body_html


# 4xx: updates -----------------------------------------------------------------


def _make(mp, **properties) -> Post:
    return created(
        mp.json(
            {
                "type": ["h-entry"],
                "properties": {"content": ["Original"], **properties},
            }
        )
    )


def test_400_replace_a_property(mp):
    post = _make(mp)
    url = mp.base + post.get_absolute_url()
    response = mp.json(
        {"action": "update", "url": url, "replace": {"content": ["Replaced"]}}
    )
    assert response.status_code == 204, response.text
    post.refresh_from_db()
    assert post.body == "Replaced"
    assert "Replaced" in page(url)
    assert post.revisions.first().note == "Edited through Micropub"


def test_401_add_a_value_to_an_existing_property(mp):
    post = _make(mp, category=["one"])
    response = mp.json(
        {
            "action": "update",
            "url": mp.base + post.get_absolute_url(),
            "add": {"category": ["two"]},
        }
    )
    assert response.status_code == 204, response.text
    assert sorted(post.tags.values_list("name", flat=True)) == ["one", "two"]


def test_402_add_a_value_to_a_nonexistent_property(mp):
    post = _make(mp)
    response = mp.json(
        {
            "action": "update",
            "url": mp.base + post.get_absolute_url(),
            "add": {"category": ["fresh"], "summary": ["A short summary"]},
        }
    )
    assert response.status_code == 204, response.text
    post.refresh_from_db()
    assert list(post.tags.values_list("name", flat=True)) == ["fresh"]
    assert post.excerpt == "A short summary"


def test_403_remove_a_value_from_a_property(mp):
    post = _make(mp, category=["keep", "drop"])
    response = mp.json(
        {
            "action": "update",
            "url": mp.base + post.get_absolute_url(),
            "delete": {"category": ["drop"]},
        }
    )
    assert response.status_code == 204, response.text
    assert list(post.tags.values_list("name", flat=True)) == ["keep"]


def test_404_remove_a_property(mp):
    post = _make(mp, category=["a", "b"])
    response = mp.json(
        {
            "action": "update",
            "url": mp.base + post.get_absolute_url(),
            "delete": ["category"],
        }
    )
    assert response.status_code == 204, response.text
    assert not post.tags.exists()


def test_405_reject_an_operation_that_is_not_an_array(mp):
    post = _make(mp)
    response = mp.json(
        {
            "action": "update",
            "url": mp.base + post.get_absolute_url(),
            "replace": {"content": "Not an array"},
        }
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    post.refresh_from_db()
    assert post.body == "Original"


# 5xx: delete and undelete -----------------------------------------------------


def test_500_and_502_delete_and_undelete_form_encoded(mp):
    post = _make(mp)
    url = mp.base + post.get_absolute_url()
    assert mp.form({"action": "delete", "url": url}).status_code == 204
    post.refresh_from_db()
    assert post.status == Post.Status.TRASH
    assert requests.get(url, timeout=30).status_code == 404

    assert mp.form({"action": "undelete", "url": url}).status_code == 204
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert requests.get(url, timeout=30).status_code == 200


def test_501_and_503_delete_and_undelete_json(mp):
    post = _make(mp)
    url = mp.base + post.get_absolute_url()
    assert mp.json({"action": "delete", "url": url}).status_code == 204
    assert requests.get(url, timeout=30).status_code == 404
    assert mp.json({"action": "undelete", "url": url}).status_code == 204
    assert requests.get(url, timeout=30).status_code == 200


# 6xx: queries -----------------------------------------------------------------


def test_600_configuration_query(mp):
    response = mp.query(q="config")
    assert response.status_code == 200
    config = response.json()
    assert config["media-endpoint"] == mp.media_endpoint
    assert config["syndicate-to"] == []
    assert {"config", "source", "syndicate-to", "category"} <= set(config["q"])
    assert "no-store" in response.headers["Cache-Control"]


def test_601_syndication_endpoint_query(mp):
    response = mp.query(q="syndicate-to")
    assert response.status_code == 200
    assert response.json() == {"syndicate-to": []}


def test_602_source_query_all_properties(mp):
    post = _make(mp, name=["A title"], category=["x"])
    url = mp.base + post.get_absolute_url()
    response = mp.query(q="source", url=url)
    assert response.status_code == 200
    source = response.json()
    assert source["type"] == ["h-entry"]
    assert source["properties"]["name"] == ["A title"]
    assert source["properties"]["content"] == ["Original"]
    assert source["properties"]["category"] == ["x"]
    assert source["properties"]["post-status"] == ["published"]
    assert source["properties"]["url"] == [url]


def test_603_source_query_specific_properties(mp):
    post = _make(mp, name=["Only these"], category=["y"])
    response = requests.get(
        mp.endpoint,
        params=[
            ("q", "source"),
            ("url", mp.base + post.get_absolute_url()),
            ("properties[]", "name"),
            ("properties[]", "category"),
        ],
        headers=mp.headers(),
        timeout=30,
    )
    assert response.status_code == 200
    assert response.json() == {
        "properties": {"name": ["Only these"], "category": ["y"]}
    }


def test_source_of_html_content_is_html(mp):
    post = created(
        mp.json(
            {
                "type": ["h-entry"],
                "properties": {"content": [{"html": "<p><i>Hi</i></p>"}]},
            }
        )
    )
    source = mp.query(q="source", url=mp.base + post.get_absolute_url()).json()
    assert source["properties"]["content"] == [{"html": post.body_html}]
    assert "<i>Hi</i>" in post.body_html


def test_category_query_lists_tags_with_an_optional_filter(mp):
    _make(mp, category=["anime", "animation", "books"])
    assert mp.query(q="category").json() == {
        "categories": ["animation", "anime", "books"]
    }
    assert mp.query(q="category", filter="ANIM").json() == {
        "categories": ["animation", "anime"]
    }


# 7xx: the media endpoint ------------------------------------------------------


def _media_upload(mp, fmt, mime, name):
    response = mp.upload(name, picture(fmt), mime)
    assert response.status_code == 201, response.text
    image = Image.objects.get()
    assert response.headers["Location"] == mp.base + image.file.url
    assert image.mime_type == mime
    fetched = requests.get(response.headers["Location"], timeout=30)
    assert fetched.status_code == 200
    assert fetched.headers["Content-Type"] == mime


def test_700_upload_a_jpeg_to_the_media_endpoint(mp):
    _media_upload(mp, "JPEG", "image/jpeg", "photo.jpg")


def test_701_upload_a_png_to_the_media_endpoint(mp):
    _media_upload(mp, "PNG", "image/png", "photo.png")


def test_702_upload_a_gif_to_the_media_endpoint(mp):
    _media_upload(mp, "GIF", "image/gif", "photo.gif")


# 8xx: authentication ----------------------------------------------------------


def test_800_accept_the_token_in_the_authorization_header(mp):
    created(mp.form({"h": "entry", "content": "By header"}))


def test_801_and_802_accept_the_token_in_the_body_and_do_not_store_it(mp):
    response = requests.post(
        mp.endpoint,
        data={"h": "entry", "content": "By body", "access_token": mp.token},
        allow_redirects=False,
        timeout=30,
    )
    post = created(response)
    source = mp.query(q="source", url=response.headers["Location"]).json()
    assert "access_token" not in source["properties"]
    assert mp.token not in post.body + post.title + post.excerpt


def test_803_reject_an_unauthenticated_request(live_server):
    endpoint = live_server.url + "/micropub"
    response = requests.post(
        endpoint, data={"h": "entry", "content": "No token"}, timeout=30
    )
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    response = requests.get(endpoint, params={"q": "config"}, timeout=30)
    assert response.status_code == 401
    assert not Post.objects.exists()


def test_804_reject_a_token_without_the_scope(client_for, author):
    reader = client_for(author, "read")
    assert reader.scopes == {"read"}
    response = reader.form({"h": "entry", "content": "Read-only token"})
    assert response.status_code == 403
    assert response.json()["error"] == "insufficient_scope"
    # A draft-only token (Micropub's "media") writes drafts, never live posts.
    drafter = client_for(author, "media")
    assert drafter.scopes == {"draft"}
    response = drafter.form({"h": "entry", "content": "Live?"})
    assert response.status_code == 403
    assert response.json()["error"] == "insufficient_scope"
    assert (
        created(
            drafter.form({"h": "entry", "content": "Draft", "post-status": "draft"})
        ).status
        == Post.Status.DRAFT
    )
    assert reader.upload("a.jpg", picture(), "image/jpeg").status_code == 403


# Server commands and properties beyond the report -------------------------------


def test_slug_status_and_publish_time(mp):
    when = timezone.now() - timedelta(days=3)
    post = created(
        mp.form(
            {
                "h": "entry",
                "name": "Chosen address",
                "content": "Back-dated",
                "mp-slug": "my-own-slug",
                "published": when.isoformat(),
            }
        )
    )
    assert post.slug == "my-own-slug"
    assert abs(post.published_at - when) < timedelta(seconds=1)

    draft = created(mp.form({"h": "entry", "content": "Later", "post-status": "draft"}))
    assert draft.status == Post.Status.DRAFT
    assert not draft.is_live()

    later = timezone.now() + timedelta(days=2)
    scheduled = created(
        mp.json(
            {
                "type": ["h-entry"],
                "properties": {"content": ["Soon"], "published": [later.isoformat()]},
            }
        )
    )
    assert scheduled.status == Post.Status.SCHEDULED


def test_the_same_slug_twice_gets_a_second_address(mp):
    first = created(mp.form({"h": "entry", "content": "x", "mp-slug": "twin"}))
    second = created(mp.form({"h": "entry", "content": "y", "mp-slug": "twin"}))
    assert (first.slug, second.slug) == ("twin", "twin-2")
