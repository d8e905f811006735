"""WordPress's role rules, enforced by the actions, seen through the admin form.

The admin is one way in among several; the same refusals come from the desk
(tests/desk) because both call ``posts.actions``.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from afterword.accounts.actions import SetRole
from afterword.accounts.roles import ROLES, role_of
from afterword.posts.models import Post
from tests import factories
from tests.support.adminforms import form_values

pytestmark = pytest.mark.django_db


def _post_form(client, url, **values):
    page = client.get(url)
    assert page.status_code == 200
    data = form_values(page.content.decode())
    for name, value in values.items():
        data[name] = [str(value)]
    data["_save"] = ["Save"]
    return client.post(url, data)


def test_every_role_has_its_group_after_migrate():
    names = set(Group.objects.values_list("name", flat=True))
    assert {role.group_name for role in ROLES} <= names
    editor = Group.objects.get(name="Editor")
    assert editor.permissions.filter(codename="edit_others_posts").exists()
    contributor = Group.objects.get(name="Contributor")
    assert not contributor.permissions.filter(codename="publish_post").exists()


def test_a_contributor_cannot_publish_from_the_admin_and_keeps_the_text(
    client, role_user
):
    contributor = role_user("contributor")
    client.force_login(contributor)
    response = _post_form(
        client,
        reverse("admin:posts_post_add"),
        title="My first review",
        slug="my-first-review",
        body="Words I do not want to lose.",
        author=contributor.pk,
        status="published",
        published_at_0="",
    )
    assert response.status_code == 200
    assert "drafts for review" in response.content.decode()
    assert "Words I do not want to lose." in response.content.decode()
    assert not Post.objects.filter(slug="my-first-review").exists()


def test_a_contributor_saves_a_draft_of_their_own(client, role_user):
    contributor = role_user("contributor")
    client.force_login(contributor)
    response = _post_form(
        client,
        reverse("admin:posts_post_add"),
        title="A draft",
        slug="a-draft",
        body="Still thinking.",
        author=contributor.pk,
        status="draft",
    )
    assert response.status_code == 302
    assert Post.objects.get(slug="a-draft").status == "draft"


def test_an_author_cannot_edit_another_authors_post(client, role_user):
    author = role_user("author")
    other = factories.save(factories.PostFactory.build(title="Not yours"))
    client.force_login(author)
    url = reverse("admin:posts_post_change", args=[other.pk])
    response = client.get(url)
    if response.status_code == 200:
        response = _post_form(client, url, title="Taken over")
        assert response.status_code in (200, 403)
    else:
        assert response.status_code == 403
    other.refresh_from_db()
    assert other.title == "Not yours"


def test_an_editor_edits_anyones_post(client, role_user):
    editor = role_user("editor")
    other = factories.save(factories.PostFactory.build(title="Someone's review"))
    client.force_login(editor)
    url = reverse("admin:posts_post_change", args=[other.pk])
    response = _post_form(client, url, title="Someone's review, tidied")
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.title == "Someone's review, tidied"


def test_the_last_administrator_keeps_the_role(role_user):
    admin = role_user("administrator")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        SetRole(admin, "editor").run()
    second = role_user("administrator", username="second-admin")
    SetRole(admin, "editor").run()
    admin.refresh_from_db()
    assert role_of(admin).slug == "editor"
    assert role_of(second).slug == "administrator"


def test_only_an_administrator_hands_out_roles(role_user):
    from django.core.exceptions import PermissionDenied

    editor = role_user("editor")
    reader = factories.UserFactory(username="reader")
    with pytest.raises(PermissionDenied):
        SetRole(reader, "editor", user=editor).run()


def test_a_writer_signing_in_lands_on_the_desk_and_a_reader_on_the_site(
    client, role_user
):
    author = role_user("author")
    reader = factories.UserFactory(username="a-reader")
    for account, landing in ((author, reverse("desk:home")), (reader, "/")):
        client.logout()
        response = client.post(
            reverse("account_login"),
            {"login": account.username, "password": "correct horse battery staple"},
        )
        assert response.status_code == 302
        assert response["Location"] == landing


def test_the_admin_index_opens_the_desk_and_advanced_is_for_superusers(
    client, role_user
):
    editor = role_user("editor")
    client.force_login(editor)
    assert client.get("/admin/")["Location"] == reverse("desk:home")
    assert client.get(reverse("desk:advanced")).status_code == 403
    superuser = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    advanced = client.get(reverse("desk:advanced"))
    assert advanced.status_code == 200
    assert "Site administration" in advanced.content.decode()
