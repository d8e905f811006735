"""Every desk route × every role (and a signed-out visitor): allowed or
refused, never a server error.

The routes come from the URL map (``screens.desk_routes``), so a new screen
is walked without being added here; ``ARGUMENTS`` says which row of the
small site (``desk_world``) each route argument names. The main screens'
expected answers per role are spelled out in ``EXPECTED``, with WordPress's
meanings: contributors and authors write, editors also moderate and run the
catalog, administrators also run the site.
"""

from __future__ import annotations

import pytest

from .conftest import ROLES
from .screens import address, desk_routes

pytestmark = pytest.mark.django_db

OK, REFUSED = 200, 403
C, A, E, AD = ROLES
EVERY = {C, A, E, AD}

# Screens a person opens from the navigation, and who may open each.
EXPECTED = {
    "desk:home": EVERY,
    "desk:posts": EVERY,
    "desk:new_post": EVERY,
    # Authors moderate the comments on their own posts, as in WordPress.
    "desk:comments": {A, E, AD},
    "desk:catalog": EVERY,
    "desk:series": EVERY,
    "desk:followers": {E, AD},
    # Writers who publish have a fediverse account to look after.
    "desk:fediverse": {A, E, AD},
    "desk:appearance": {AD},
    "desk:settings": {AD},
    "desk:people": {AD},
    "desk:webhooks": {AD},
    "desk:stats": EVERY,
    "desk:signed_in_apps": EVERY,
    "desk:advanced": set(),  # superusers only; no role makes one
}


def _arguments(world) -> dict[str, dict[str, object]]:
    """Per route, the value of each argument (``"*"``: any route)."""
    post, comment = world["post"], world["comment"]
    return {
        "*": {"post_id": post.pk},
        "desk:home_comment_action": {"pk": comment.pk},
        "desk:comment_act": {"pk": comment.pk},
        "desk:comment_reply": {"pk": comment.pk},
        "desk:comment_unblock": {"pk": 1},
        "desk:mention_act": {"pk": 1},
        "desk:editor_lookup": {"kind": "works"},
        "desk:editor_create": {"kind": "works"},
        "desk:catalog_new": {"kind": "works"},
        "desk:catalog_edit": {"kind": "works", "pk": world["work"].pk},
        "desk:catalog_delete": {"kind": "works", "pk": world["work"].pk},
        "desk:series_edit": {"pk": world["series"].pk},
        "desk:series_delete": {"pk": world["series"].pk},
        "desk:series_draft": {"pk": world["part"].pk},
        "desk:people_role": {"pk": world["writers"][C].pk},
        "desk:preview_revoke": {"link_id": 1},
        "desk:redirect_edit": {"pk": 1},
        "desk:redirect_delete": {"pk": 1},
    }


def _url(route, arguments) -> str:
    values = {**arguments["*"], **arguments.get(route.name, {})}
    return address(route, values)


def _answers(client, world, who) -> dict[str, int]:
    arguments = _arguments(world)
    if who is not None:
        client.force_login(world["writers"][who])
    return {
        route.name: client.get(_url(route, arguments)).status_code
        for route in desk_routes()
    }


@pytest.mark.parametrize("who", [None, *ROLES])
def test_every_desk_route_answers_without_a_server_error(client, desk_world, who):
    answers = _answers(client, desk_world, who)
    errors = {name: code for name, code in answers.items() if code >= 500}
    assert not errors, f"server errors for {who or 'a signed-out visitor'}: {errors}"
    if who is None:
        # Nothing of the desk for a signed-out visitor: the sign-in page.
        assert set(answers.values()) <= {302, 405}, answers


@pytest.mark.parametrize("who", ROLES)
def test_the_main_screens_open_for_the_roles_that_use_them(client, desk_world, who):
    answers = _answers(client, desk_world, who)
    mounted = {name for name in EXPECTED if name in answers}
    expected = {name: OK if who in EXPECTED[name] else REFUSED for name in mounted}
    assert {name: answers[name] for name in mounted} == expected


def test_the_table_names_every_screen_in_the_navigation():
    from afterword.desk.navigation import ENTRIES

    assert {entry.url_name for entry in ENTRIES} - set(EXPECTED) == set()
