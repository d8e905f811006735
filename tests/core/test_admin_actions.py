"""The admin has no way around the actions.

Every model the admin can change that readers see (``core.changes``) must be
handled by ``core.admin.ActionAdmin`` with actions declared for it
(``core.actions.for_model``), and so must the model of every inline on such a
page, including the inlines other apps add to the post form.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from afterword.core import actions, changes
from afterword.core.admin import ActionAdmin


def _declared(model) -> bool:
    concrete = model._meta.concrete_model
    return (
        actions.model_actions(model) is not None
        or actions.model_actions(concrete) is not None
    )


def _public(model) -> bool:
    return changes.declaration_of(model) is not None


@pytest.fixture
def superuser_request(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    return request


def test_every_public_model_in_the_admin_writes_through_its_actions(
    superuser_request,
):
    bypassing, undeclared = [], []
    for model, model_admin in admin.site._registry.items():
        if not _public(model):
            continue
        if not isinstance(model_admin, ActionAdmin):
            bypassing.append(model._meta.label)
        if not _declared(model):
            undeclared.append(model._meta.label)
        for inline in model_admin.get_inline_instances(superuser_request):
            if _public(inline.model) and not _declared(inline.model):
                undeclared.append(f"{inline.model._meta.label} (inline)")
    assert not bypassing, f"Use core.admin.ActionAdmin for: {bypassing}"
    assert not undeclared, f"Declare core.actions.for_model() for: {undeclared}"


def test_every_action_has_a_unique_dotted_name():
    names = actions.registered()
    assert names, "no action is registered"
    for name, action in names.items():
        assert name == action.name
        app, _, verb = name.partition(".")
        assert app and verb, name


@pytest.mark.django_db
def test_a_deletion_the_action_refuses_is_a_message_not_an_error(admin_client):
    """Deleting the only tag of a post is allowed, but an account with posts
    is refused by ``DeleteAccount``: the admin says so and keeps it."""
    from afterword.accounts.models import User
    from afterword.posts.actions import save_post
    from tests import factories

    author = factories.UserFactory(username="ada")
    post = factories.PostFactory.build(author=author)
    save_post(post)
    # The admin's own confirmation page refuses accounts with protected posts
    # before any POST; the action refuses too when it is reached directly.
    response = admin_client.post(
        f"/admin/accounts/user/{author.pk}/delete/", {"post": "yes"}, follow=True
    )

    assert response.status_code == 200
    assert User.objects.filter(pk=author.pk).exists()
