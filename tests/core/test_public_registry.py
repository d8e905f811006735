"""Every model is declared public or internal, and every public model's change,
made in the admin, shows on the page readers fetch, through the caches.

``core.changes`` is how the page cache, fragments, comment threads and the
search index learn what changed. These tests walk its registry (as Datasette's
``tests/test_docs.py`` walks its settings): a model nobody declared fails the
first test; a public model without a case below fails the second; and each
case changes one row the way a writer does, in the admin, with the page cache
and the fragment cache on, then fetches the page a reader sees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from allauth.socialaccount.models import SocialApp
from django.apps import apps
from django.contrib.sites.models import Site
from django.urls import reverse
from django.utils import timezone

from afterword.accounts.models import User
from afterword.catalog.actions import link_post_to_work, save_catalog_object
from afterword.catalog.models import (
    Credit,
    Organisation,
    Person,
    PostMention,
    PostWork,
    Release,
    Role,
    Work,
    WorkRelation,
)
from afterword.core import changes
from afterword.discussion.actions import add_comment
from afterword.discussion.models import Comment, DiscussionSettings
from afterword.media.actions import UploadImage
from afterword.media.models import Image, Rendition
from afterword.posts.actions import save_post
from afterword.posts.models import Category, Post, Tag
from afterword.series.actions import save_part, save_series
from afterword.series.models import Series, SeriesPart
from afterword.theme.models import SiteAppearance
from afterword.webmention.models import Webmention
from tests import factories
from tests.media.images import image_bytes
from tests.support.adminforms import change


def _label(model) -> str:
    return model._meta.label


def test_every_model_is_declared_public_or_internal():
    public, internal = changes.public_models(), changes.internal_models()
    undeclared = [
        _label(model)
        for model in apps.get_models()
        if model not in public and model not in internal and not model._meta.proxy
    ]
    both = [_label(model) for model in public if model in internal]
    assert not undeclared, (
        "Declare these models in their app's ready() with core.changes.public() "
        f"(readers see them) or core.changes.internal() (why not): {undeclared}"
    )
    assert not both


def test_every_internal_model_says_why():
    assert all(d.reason.strip() for d in changes.internal_models().values())


# ---------------------------------------------------------------------------
# One case per public model: a row changed in the admin, seen by readers.


@dataclass
class Desk:
    """What a case needs: the writer's admin session and a reader."""

    admin: object
    reader: object
    commit: Callable
    writer: object

    def page(self, url: str) -> str:
        response = self.reader.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        return response.content.decode()

    def shows_after_admin_change(
        self, url: str, before: str, after: str, admin_change: Callable
    ) -> None:
        """``url`` shows ``before`` and not ``after`` (the second time from the
        page cache), then shows ``after`` once ``admin_change`` ran in the
        admin; ``before`` is gone too when it was replaced (not when the
        change added something next to it)."""
        assert before in self.page(url)
        assert after not in self.page(url)
        assert self.reader.get(url)["X-Page-Cache"] == "hit"
        with self.commit(execute=True):
            admin_change()
        html = self.page(url)
        assert after in html, f"{url} still shows the old version"
        if before not in after and self.replaced:
            assert before not in html

    replaced: bool = True

    def adds_after_admin_change(self, url: str, anchor: str, added: str, change):
        """As ``shows_after_admin_change``, for a change that adds ``added``
        to a page that keeps showing ``anchor``."""
        self.replaced = False
        try:
            self.shows_after_admin_change(url, anchor, added, change)
        finally:
            self.replaced = True


def _admin(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def _post(desk: Desk, **kwargs) -> Post:
    post = factories.PostFactory.build(author=desk.writer, **kwargs)
    with desk.commit(execute=True):
        return save_post(post)


def _work(**kwargs) -> Work:
    kwargs.setdefault("year", 1995)
    return save_catalog_object(Work(**kwargs))


def _inline_row(prefix: str, index: int = 0, **values) -> dict:
    return {f"{prefix}-{index}-{name}": value for name, value in values.items()}


CASES: dict[type, Callable[[Desk], None]] = {}


def case(model):
    def register(function):
        CASES[model] = function
        return function

    return register


@case(Post)
def _post_title(desk):
    post = _post(desk, title="Perfect Blue, a first look")
    desk.shows_after_admin_change(
        post.get_absolute_url(),
        "Perfect Blue, a first look",
        "Perfect Blue, revisited",
        lambda: change(
            desk.admin, _admin(Post, "change", post.pk), title="Perfect Blue, revisited"
        ),
    )


@case(Tag)
def _tag_name(desk):
    post = _post(desk)
    tag = Tag.objects.create(name="Satoshi Kon", slug="kon")
    post.tags.add(tag)
    desk.shows_after_admin_change(
        post.get_absolute_url(),
        ">Satoshi Kon<",
        ">Kon Satoshi<",
        lambda: change(desk.admin, _admin(Tag, "change", tag.pk), name="Kon Satoshi"),
    )


@case(Category)
def _category_name(desk):
    post = _post(desk)
    category = Category.objects.create(name="Anime", slug="anime")
    post.categories.add(category)
    desk.shows_after_admin_change(
        "/",
        ">Anime<",
        ">Animation<",
        lambda: change(
            desk.admin, _admin(Category, "change", category.pk), name="Animation"
        ),
    )


@case(Comment)
def _comment_text(desk):
    post = _post(desk)
    with desk.commit(execute=True):
        comment = add_comment(post, name="Mima", body="The ending *stays*.")
    desk.shows_after_admin_change(
        post.get_absolute_url(),
        "The ending <em>stays</em>.",
        "The ending <em>lingers</em>.",
        lambda: change(
            desk.admin,
            _admin(Comment, "change", comment.pk),
            body="The ending *lingers*.",
        ),
    )


@case(DiscussionSettings)
def _comments_closed_site_wide(desk):
    post = _post(desk)
    with desk.commit(execute=True):
        add_comment(post, name="Mima", body="Before the doors closed.")
    DiscussionSettings.load().save()
    desk.shows_after_admin_change(
        post.get_absolute_url(),
        "Leave a Reply",
        "Comments are closed",
        lambda: change(
            desk.admin,
            _admin(DiscussionSettings, "change", 1),
            comments_enabled=None,
        ),
    )


@case(User)
def _author_name(desk):
    desk.writer.display_name = "The Long Take"
    desk.writer.save()
    post = _post(desk)
    desk.shows_after_admin_change(
        post.get_absolute_url(),
        "The Long Take",
        "Ada Marlowe",
        lambda: change(
            desk.admin,
            _admin(type(desk.writer), "change", desk.writer.pk),
            display_name="Ada Marlowe",
        ),
    )


@case(SocialApp)
def _login_provider_added(desk):
    post = _post(desk)
    desk.adds_after_admin_change(
        post.get_absolute_url(),
        "Leave a Reply",
        "GitHub",
        lambda: change(
            desk.admin,
            _admin(SocialApp, "add"),
            provider="github",
            name="GitHub",
            client_id="id-123",
            secret="s3cret",
            sites=[Site.objects.get_current().pk],
        ),
    )


def _illustrated_post(desk) -> tuple[Post, Image]:
    image = UploadImage(
        _jpeg_upload(), alt_text="A stage under hot lights", caption=""
    ).run()
    return _post(desk, featured_image=image), image


def _jpeg_upload():
    from django.core.files.base import ContentFile

    return ContentFile(image_bytes("JPEG", (1000, 600)), name="stage.jpg")


@case(Image)
def _image_alt_text(desk):
    post, image = _illustrated_post(desk)
    desk.shows_after_admin_change(
        post.get_absolute_url(),
        'alt="A stage under hot lights"',
        'alt="An empty stage after the show"',
        lambda: change(
            desk.admin,
            _admin(Image, "change", image.pk),
            alt_text="An empty stage after the show",
        ),
    )


@case(Rendition)
def _renditions_go_with_their_image(desk):
    post, image = _illustrated_post(desk)
    rendition = Rendition.objects.filter(image=image).first()
    assert rendition is not None
    url = post.get_absolute_url()
    assert rendition.file.url in desk.page(url)
    assert desk.reader.get(url)["X-Page-Cache"] == "hit"
    with desk.commit(execute=True):
        desk.admin.post(_admin(Image, "delete", image.pk), {"post": "yes"})
    assert not Rendition.objects.filter(image=image).exists()
    assert rendition.file.url not in desk.page(url)


@case(Work)
def _work_title(desk):
    work = _work(title="Memories", slug="memories-1995")
    desk.shows_after_admin_change(
        work.get_absolute_url(),
        "<h1>Memories",
        "<h1>Memories (anthology)",
        lambda: change(
            desk.admin, _admin(Work, "change", work.pk), title="Memories (anthology)"
        ),
    )


@case(Person)
def _person_name(desk):
    person = save_catalog_object(Person(name="Koji Morimoto", slug="koji-morimoto"))
    desk.shows_after_admin_change(
        person.get_absolute_url(),
        "Koji Morimoto",
        "Kōji Morimoto",
        lambda: change(
            desk.admin, _admin(Person, "change", person.pk), name="Kōji Morimoto"
        ),
    )


@case(Organisation)
def _organisation_name(desk):
    studio = save_catalog_object(
        Organisation(name="Studio 4C", slug="studio-4c", kind="studio")
    )
    desk.shows_after_admin_change(
        studio.get_absolute_url(),
        "Studio 4C",
        "Studio 4°C",
        lambda: change(
            desk.admin, _admin(Organisation, "change", studio.pk), name="Studio 4°C"
        ),
    )


def _credited_work() -> tuple[Work, Role, Person]:
    work = _work(title="Magnetic Rose", slug="magnetic-rose-1995")
    role = Role.objects.get(slug="director")
    person = save_catalog_object(Person(name="Koji Morimoto", slug="koji-morimoto"))
    save_catalog_object(Credit(work=work, person=person, role=role))
    return work, role, person


@case(Role)
def _role_name(desk):
    work, role, _person = _credited_work()
    desk.shows_after_admin_change(
        work.get_absolute_url(),
        role.name,
        "Directed by",
        lambda: change(desk.admin, _admin(Role, "change", role.pk), name="Directed by"),
    )


def _work_inline(desk, work: Work, **rows):
    """Change the Work admin form of ``work`` with inline rows added."""
    return change(desk.admin, _admin(Work, "change", work.pk), **rows)


@case(Credit)
def _credit_added_on_the_work(desk):
    work = _work(title="Stink Bomb", slug="stink-bomb-1995")
    person = save_catalog_object(Person(name="Tensai Okamura", slug="okamura"))
    role = Role.objects.get(slug="director")
    desk.adds_after_admin_change(
        work.get_absolute_url(),
        "<h1>Stink Bomb",
        "Tensai Okamura",
        lambda: _work_inline(
            desk,
            work,
            **_inline_row("credits", role=role.pk, person=person.pk),
            **{"credits-TOTAL_FORMS": 1},
        ),
    )


@case(Release)
def _release_added_on_the_work(desk):
    work = _work(title="Cannon Fodder", slug="cannon-fodder-1995")
    desk.adds_after_admin_change(
        work.get_absolute_url(),
        "<h1>Cannon Fodder",
        "Criterion-style box",
        lambda: _work_inline(
            desk,
            work,
            **_inline_row(
                "releases",
                format="bluray",
                region="UK",
                edition="Criterion-style box",
                in_print="on",
            ),
            **{"releases-TOTAL_FORMS": 1},
        ),
    )


@case(WorkRelation)
def _relation_added_on_the_work(desk):
    work = _work(title="Perfect Blue", slug="perfect-blue-1997")
    other = _work(title="Millennium Actress", slug="millennium-actress-2001")
    desk.adds_after_admin_change(
        work.get_absolute_url(),
        "<h1>Perfect Blue",
        "Millennium Actress",
        lambda: _work_inline(
            desk,
            work,
            **_inline_row("relations_out", target=other.pk, kind="see_also"),
            **{"relations_out-TOTAL_FORMS": 1},
        ),
    )


def _post_form_with(desk, post: Post, **rows):
    return change(desk.admin, _admin(Post, "change", post.pk), **rows)


@case(PostWork)
def _spoiler_flag_on_the_post(desk):
    post = _post(desk)
    work = _work(title="Perfect Blue", slug="perfect-blue-1997")
    with desk.commit(execute=True):
        link = link_post_to_work(post, work, primary=True, rating=Decimal("4.5"))
    desk.adds_after_admin_change(
        post.get_absolute_url(),
        "Perfect Blue",
        "Spoiler warning",
        lambda: _post_form_with(
            desk,
            post,
            **{f"catalog_works-0-{k}": v for k, v in {"id": link.pk}.items()},
            **{"catalog_works-0-contains_spoilers": "on"},
        ),
    )


@case(PostMention)
def _mention_added_on_the_post(desk):
    post = _post(desk, title="On Satoshi Kon's films")
    person = save_catalog_object(Person(name="Satoshi Kon", slug="satoshi-kon"))
    desk.adds_after_admin_change(
        person.get_absolute_url(),
        "<h1>Satoshi Kon",
        "On Satoshi Kon&#x27;s films",
        lambda: _post_form_with(
            desk,
            post,
            **_inline_row("catalog_mentions", person=person.pk),
            **{"catalog_mentions-TOTAL_FORMS": 1},
        ),
    )


@case(Series)
def _series_title(desk):
    series = save_series(Series(title="Memories", slug="memories"))
    desk.shows_after_admin_change(
        series.get_absolute_url(),
        "Memories",
        "Memories, in three parts",
        lambda: change(
            desk.admin,
            _admin(Series, "change", series.pk),
            title="Memories, in three parts",
        ),
    )


@case(SeriesPart)
def _planned_part_renamed_on_the_series(desk):
    series = save_series(Series(title="Memories", slug="memories", title_pattern=""))
    with desk.commit(execute=True):
        part = save_part(
            SeriesPart(series=series, position=3, planned_title="Cannon Fodder")
        )
    desk.shows_after_admin_change(
        series.get_absolute_url(),
        "Cannon Fodder",
        "Cannon Fodder (the long take)",
        lambda: change(
            desk.admin,
            _admin(Series, "change", series.pk),
            **{
                "parts-0-id": part.pk,
                "parts-0-planned_title": "Cannon Fodder (the long take)",
            },
        ),
    )


@case(SiteAppearance)
def _site_title_set_on_the_desk(desk):
    """Set where writers set it: the desk's Appearance screen."""
    _post(desk)

    def set_title():
        response = desk.admin.post(
            reverse("desk:appearance"),
            {"site_title": "The Long Take", "colour_scheme": "auto"},
        )
        assert response.status_code == 302

    desk.shows_after_admin_change(
        "/", 'rel="home">Afterword<', 'rel="home">The Long Take<', set_title
    )


@case(Webmention)
def _mention_approved_on_the_desk(desk):
    """Approved where writers approve it: the desk's Mentions screen."""
    post = _post(desk)
    mention = Webmention.objects.create(
        post=post,
        source="https://elsewhere.example/notes",
        target=f"http://127.0.0.1:8000{post.get_absolute_url()}",
        source_domain="elsewhere.example",
        status=Webmention.Status.PENDING,
        author_name="Rumi",
        verified_at=timezone.now(),
    )

    def approve():
        response = desk.admin.post(
            reverse("desk:mention_act", args=[mention.pk]), {"action": "approve"}
        )
        assert response.status_code == 302

    desk.adds_after_admin_change(
        post.get_absolute_url(), "Leave a Reply", "Rumi", approve
    )


def test_every_public_model_has_a_case_here():
    missing = sorted(_label(m) for m in changes.public_models() if m not in CASES)
    assert not missing, f"Add a case to this module for: {missing}"


@pytest.mark.parametrize("model", sorted(CASES, key=_label), ids=_label)
def test_a_change_made_in_the_admin_shows_on_the_page_readers_get(
    model, admin_client, client, settings, django_capture_on_commit_callbacks
):
    settings.AFTERWORD_PAGE_CACHE = True
    settings.AFTERWORD_FRAGMENT_CACHE = True
    writer = User.objects.get(username="admin")
    desk = Desk(admin_client, client, django_capture_on_commit_callbacks, writer)
    CASES[model](desk)
