"""The catalog's rules: parents without cycles, ratings on the site's scale."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from afterword.catalog import actions, rules
from afterword.catalog.models import Credit, PostWork, Role, Work


def test_a_work_cannot_be_its_own_parent(make_work):
    work = make_work(title="Loop")
    work.parent = work
    with pytest.raises(ValidationError) as error:
        actions.save_catalog_object(work)
    assert error.value.message_dict == {"parent": ["A work cannot be its own parent."]}
    assert Work.objects.get(pk=work.pk).parent is None


def test_a_cycle_of_parents_is_refused_and_nothing_changes(make_work):
    top = make_work(title="Top")
    middle = make_work(title="Middle", parent=top)
    bottom = make_work(title="Bottom", parent=middle)
    top.parent = bottom
    with pytest.raises(ValidationError) as error:
        actions.save_catalog_object(top)
    assert "is already a part of “Top (2000)”" in error.value.message_dict["parent"][0]
    assert Work.objects.get(pk=top.pk).parent_id is None
    assert Work.objects.get(pk=bottom.pk).parent_id == middle.pk


@pytest.mark.parametrize("value", ["4.5", "0", "5", 3])
def test_ratings_on_the_five_point_scale_are_accepted(value):
    assert rules.check_rating(value) is not None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("6", "A rating must be between 0 and 5; 6 is not."),
        ("-1", "A rating must be between 0 and 5; -1 is not."),
        ("3.3", "Ratings go in steps of 0.5."),
        ("great", "“great” is not a number."),
    ],
)
def test_ratings_off_the_scale_get_a_clear_message(value, message):
    with pytest.raises(ValidationError) as error:
        rules.check_rating(value)
    assert error.value.message_dict == {"rating": [message]}


def test_a_ten_point_site_accepts_eight(settings):
    settings.AFTERWORD_RATING_SCALE = 10
    assert str(rules.check_rating("8")) == "8"


def test_a_site_without_ratings_refuses_any(settings):
    settings.AFTERWORD_RATING_SCALE = 0
    with pytest.raises(ValidationError) as error:
        rules.check_rating("3")
    assert "does not use ratings" in error.value.message_dict["rating"][0]


def test_a_rejected_rating_leaves_the_stored_one(catalog, review):
    post = review(catalog["perfect-blue-1997"], rating="4")
    with pytest.raises(ValidationError):
        actions.link_post_to_work(post, catalog["perfect-blue-1997"], rating="11")
    assert str(PostWork.objects.get(post=post).rating) == "4.0"


def test_marking_another_work_primary_moves_the_flag(catalog, review):
    post = review(catalog["memories-1995"])
    actions.link_post_to_work(post, catalog["akira-1988"], primary=True)
    primaries = PostWork.objects.filter(post=post, is_primary=True)
    assert [link.work.slug for link in primaries] == ["akira-1988"]


def test_the_database_refuses_two_primary_works(catalog, review):
    post = review(catalog["memories-1995"])
    with pytest.raises(IntegrityError):
        PostWork.objects.create(post=post, work=catalog["akira-1988"], is_primary=True)


def test_a_credit_names_a_person_or_an_organisation_not_both(catalog, person):
    bad = Credit(
        work=catalog["akira-1988"],
        person=person,
        organisation_id=catalog["akira-1988"]
        .credits.exclude(organisation=None)[0]
        .organisation_id,
        role=Role.objects.get(slug="director"),
    )
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "either a person or an organisation" in str(error.value)


def test_a_part_inherits_credits_marked_for_parts(catalog, client):
    response = client.get(catalog["stink-bomb-1995"].get_absolute_url())
    inherited = response.context["inherited_groups"]
    assert [(g.role.slug, [c.person.slug for c in g.credits]) for g in inherited] == [
        ("original-creator", ["katsuhiro-otomo"])
    ]
    own = response.context["credit_groups"]
    assert [g.role.slug for g in own] == ["director", "music", "animation-studio"]
