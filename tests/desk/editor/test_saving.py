"""The editor's form saves through the actions; refusals keep the text."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from afterword.catalog.models import Person, PostMention, PostWork, Work
from afterword.posts.models import Post, Tag
from afterword.series.models import Series, SeriesPart
from tests import factories

pytestmark = pytest.mark.django_db


def form_data(**extra) -> dict:
    data = {
        "title": "Notes on Stalker",
        "body": "## The zone\n\nA room that grants wishes.",
        "slug": "",
        "excerpt": "",
        "visibility": "public",
        "comments_open": "on",
        "intent": "save",
    }
    data.update(extra)
    return data


def latest_revision_id(post: Post) -> int:
    return post.revisions.order_by("-created_at", "-id").first().pk


def test_new_post_is_saved_as_a_draft_with_a_slug_from_its_title(client, author):
    client.force_login(author)
    response = client.post(reverse("desk:new_post"), form_data())
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:edit_post", args=[post.pk])
    assert (post.status, post.slug, post.author) == (
        "draft",
        "notes-on-stalker",
        author,
    )
    assert "<h2" in post.body_html
    assert post.revisions.count() == 1


def test_publish_links_terms_works_and_people_in_one_save(client, editor):
    client.force_login(editor)
    tag = factories.TagFactory(name="Soviet film")
    stalker = Work.objects.create(title="Stalker", slug="stalker", year=1979)
    solaris = Work.objects.create(title="Solaris", slug="solaris", year=1972)
    tarkovsky = Person.objects.create(name="Andrei Tarkovsky", slug="tarkovsky")
    series = Series.objects.create(title="Tarkovsky", slug="tarkovsky")
    data = form_data(
        intent="publish",
        tag=[str(tag.pk)],
        work=[str(stalker.pk), str(solaris.pk)],
        rating_1="",
        primary=str(stalker.pk),
        person=[str(tarkovsky.pk)],
        series=str(series.pk),
    )
    data[f"rating_{stalker.pk}"] = "4.5"
    data[f"rating_{solaris.pk}"] = "3"
    data[f"spoiler_{solaris.pk}"] = "1"
    response = client.post(reverse("desk:new_post"), data)
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.is_live()
    assert list(post.tags.all()) == [tag]
    links = {link.work.slug: link for link in PostWork.objects.filter(post=post)}
    assert str(links["stalker"].rating) == "4.5" and links["stalker"].is_primary
    assert links["solaris"].contains_spoilers and not links["solaris"].is_primary
    assert PostMention.objects.filter(post=post, person=tarkovsky).exists()
    assert SeriesPart.objects.get(post=post).position == 1
    page = client.get(post.get_absolute_url())
    assert b"Stalker" in page.content and b"Solaris" in page.content


def test_unlinking_a_work_and_a_tag_removes_them(client, editor):
    client.force_login(editor)
    post = factories.save(factories.PostFactory.build(author=editor, status="draft"))
    work = Work.objects.create(title="Mirror", slug="mirror")
    PostWork.objects.create(post=post, work=work)
    post.tags.add(factories.TagFactory())
    data = form_data(base_revision=str(latest_revision_id(post)), slug=post.slug)
    response = client.post(reverse("desk:edit_post", args=[post.pk]), data)
    assert response.status_code == 302
    assert not PostWork.objects.filter(post=post).exists()
    assert not post.tags.exists()


def test_a_rating_off_the_scale_saves_nothing_and_keeps_the_text(client, author):
    client.force_login(author)
    work = Work.objects.create(title="Stalker", slug="stalker")
    data = form_data(work=[str(work.pk)], body="Text I must not lose.")
    data[f"rating_{work.pk}"] = "9"
    response = client.post(reverse("desk:new_post"), data)
    assert response.status_code == 400
    assert not Post.objects.exists()
    content = response.content.decode()
    assert "Text I must not lose." in content
    assert "between 0 and 5" in content


def test_publishing_an_image_without_alt_text_is_refused_with_a_message(client, author):
    client.force_login(author)
    data = form_data(intent="publish", body="![](https://example.org/a.jpg)\n")
    response = client.post(reverse("desk:new_post"), data)
    assert response.status_code == 400
    assert "Add alternative text before publishing" in response.content.decode()
    assert not Post.objects.exists()


def test_contributor_sees_no_publish_button(client, contributor):
    client.force_login(contributor)
    page = client.get(reverse("desk:new_post")).content.decode()
    assert 'value="save"' in page
    assert 'value="publish"' not in page
    assert 'value="schedule"' not in page


def test_contributor_forging_a_publish_is_refused_with_a_message(client, contributor):
    client.force_login(contributor)
    post = factories.save(
        factories.PostFactory.build(author=contributor, status="draft")
    )
    data = form_data(
        intent="publish",
        body="My draft, changed.",
        slug=post.slug,
        base_revision=str(latest_revision_id(post)),
    )
    response = client.post(reverse("desk:edit_post", args=[post.pk]), data)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Not saved" in page and "drafts for review" in page
    assert "My draft, changed." in page
    post.refresh_from_db()
    assert post.status == "draft" and post.body != "My draft, changed."


def test_author_cannot_open_someone_elses_post(client, author, editor):
    post = factories.save(factories.PostFactory.build(author=editor))
    client.force_login(author)
    assert client.get(reverse("desk:edit_post", args=[post.pk])).status_code == 403


def test_schedule_sets_the_status_and_time(client, author):
    client.force_login(author)
    when = timezone.localtime() + timedelta(days=2)
    data = form_data(intent="schedule", published_at=when.strftime("%Y-%m-%dT%H:%M"))
    client.post(reverse("desk:new_post"), data)
    post = Post.objects.get()
    assert post.status == "scheduled"
    assert abs(post.published_at - when) < timedelta(minutes=1)
    assert not post.is_live()


def test_password_visibility_needs_a_password(client, author):
    client.force_login(author)
    response = client.post(
        reverse("desk:new_post"), form_data(visibility="password", password="")
    )
    assert response.status_code == 400
    assert not Post.objects.exists()


def test_post_list_filters_and_searches_without_counting(client, editor, author):
    client.force_login(editor)
    factories.save(factories.PostFactory.build(author=editor, title="Zone notes"))
    factories.save(
        factories.PostFactory.build(author=author, title="Draft one", status="draft")
    )
    url = reverse("desk:posts")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, {"status": "draft"}).content.decode()
    assert "Draft one" in page and "Zone notes" not in page
    assert not any("COUNT(" in q["sql"].upper() for q in queries)
    assert "Zone notes" in client.get(url, {"q": "zone"}).content.decode()
    mine = client.get(url, {"whose": "mine"}).content.decode()
    assert "Zone notes" in mine and "Draft one" not in mine


def test_author_lists_only_their_own_posts(client, editor, author):
    factories.save(factories.PostFactory.build(author=editor, title="Not mine"))
    factories.save(factories.PostFactory.build(author=author, title="Mine"))
    client.force_login(author)
    page = client.get(reverse("desk:posts"), {"whose": "all"}).content.decode()
    assert "Mine" in page and "Not mine" not in page


def test_post_list_pages_on(client, author):
    for n in range(27):
        factories.save(factories.PostFactory.build(author=author, title=f"Post {n}"))
    client.force_login(author)
    first = client.get(reverse("desk:posts")).content.decode()
    assert "Older" in first
    second = client.get(reverse("desk:posts"), {"page": "2"}).content.decode()
    assert second.count("/desk/write/") >= 2 and "Newer" in second


def test_new_tag_created_inline(client, author):
    client.force_login(author)
    response = client.post(
        reverse("desk:editor_create", args=["tags"]), {"name": "Zone"}
    )
    assert response.status_code == 201
    assert Tag.objects.get(pk=response.json()["id"]).slug == "zone"


def test_a_draft_made_before_its_title_takes_its_address_from_the_title(client, author):
    client.force_login(author)
    client.post(reverse("desk:editor_autosave"), {"title": "", "body": "Words"})
    post = Post.objects.get()
    assert post.slug == "draft"
    page = client.get(reverse("desk:edit_post", args=[post.pk])).content.decode()
    assert 'name="slug" id="id_slug" value=""' in page
    data = form_data(base_revision=str(latest_revision_id(post)))
    client.post(reverse("desk:edit_post", args=[post.pk]), data)
    post.refresh_from_db()
    assert post.slug == "notes-on-stalker"


def test_a_published_post_keeps_its_address(client, author):
    post = factories.save(factories.PostFactory.build(author=author, slug="kept"))
    client.force_login(author)
    page = client.get(reverse("desk:edit_post", args=[post.pk])).content.decode()
    assert 'name="slug" id="id_slug" value="kept"' in page


def test_featured_image_is_chosen_from_the_library(client, author):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from afterword.media.actions import UploadImage
    from tests.media.images import image_bytes

    upload = SimpleUploadedFile("still.png", image_bytes("PNG", (400, 300)))
    image = UploadImage(upload, user=author, alt_text="A still").run()
    client.force_login(author)
    found = client.get(
        reverse("desk:editor_lookup", args=["images"]), {"q": "still"}
    ).json()["results"]
    assert [item["id"] for item in found] == [image.pk]
    client.post(
        reverse("desk:new_post"),
        form_data(intent="publish", featured_image=str(image.pk)),
    )
    post = Post.objects.get()
    assert post.featured_image == image and post.is_live()
    page = client.get(reverse("desk:edit_post", args=[post.pk])).content.decode()
    assert f'name="featured_image" value="{image.pk}"' in page
