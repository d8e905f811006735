"""Inline references: ``[[...]]`` in Markdown becomes links to the catalog."""

from afterword.catalog.actions import SyncMentions
from afterword.catalog.models import Person, PostMention
from afterword.core.markdown import render_markdown
from afterword.posts.actions import save_post


def test_reference_by_title_and_year_links_to_the_work(catalog):
    rendered = render_markdown("See [[Memories (1995)]] first.")
    assert (
        '<a class="ref ref-work" href="/catalog/works/memories-1995/" '
        'data-ref-kind="work" data-ref-slug="memories-1995">Memories</a>'
    ) in rendered.html
    assert rendered.warnings == []
    assert rendered.plain_text == "See Memories first."


def test_reference_by_slug_with_label(catalog):
    html = render_markdown("Music by [[person:yoko-kanno|Kanno]].").html
    assert 'href="/catalog/people/yoko-kanno/"' in html
    assert 'data-ref-kind="person"' in html
    assert ">Kanno</a>" in html


def test_bare_name_finds_a_person_when_no_work_has_that_title(catalog):
    rendered = render_markdown("[[Satoshi Kon]] wrote it.")
    assert 'data-ref-slug="satoshi-kon"' in rendered.html
    assert ">Satoshi Kon</a>" in rendered.html


def test_original_title_matches_too(catalog):
    html = render_markdown("[[彼女の想いで]]").html
    assert 'data-ref-slug="magnetic-rose-1995"' in html


def test_unknown_reference_is_plain_text_with_a_warning(catalog):
    rendered = render_markdown("A nod to [[The Big Fish (2003)]] here.")
    assert '<span class="ref-missing">The Big Fish</span>' in rendered.html
    assert "<a" not in rendered.html
    assert rendered.warnings == [
        "Reference [[The Big Fish (2003)]]: "
        "Nothing in the catalog is called “The Big Fish”."
    ]
    refs = rendered.extras["catalog_refs"]
    assert [(r.raw, r.resolved) for r in refs] == [("The Big Fish (2003)", False)]


def test_unknown_slug_is_reported(catalog):
    rendered = render_markdown("[[person:nobody-at-all]]")
    assert '<span class="ref-missing">nobody-at-all</span>' in rendered.html
    assert rendered.warnings == [
        "Reference [[person:nobody-at-all]]: No person with the slug “nobody-at-all”."
    ]


def test_ambiguous_title_asks_for_a_slug(catalog):
    rendered = render_markdown("[[Solaris]] has been filmed twice.")
    assert "ref-missing" in rendered.html
    assert len(rendered.warnings) == 1
    assert "work:solaris-1961" in rendered.warnings[0]
    assert "work:solaris-2002" in rendered.warnings[0]


def test_references_in_code_are_left_alone(catalog):
    html = render_markdown("Type `[[Memories (1995)]]` to link.").html
    assert "<code>[[Memories (1995)]]</code>" in html


def test_markup_in_a_reference_cannot_escape(catalog):
    rendered = render_markdown('[[<img src=x onerror="alert(1)">]]')
    assert "<img" not in rendered.html
    assert '<span class="ref-missing">&lt;img src=x onerror="alert(1)"&gt;</span>' in (
        rendered.html
    )


def test_all_references_of_a_document_cost_two_queries(
    catalog, django_assert_num_queries
):
    source = " ".join(
        f"[[{name}]]"
        for name in ["Memories (1995)", "Akira (1988)", "Satoshi Kon", "Yoko Kanno"] * 5
    )
    with django_assert_num_queries(2):
        rendered = render_markdown(source)
    assert rendered.html.count('class="ref ') == 20


def test_saving_a_post_records_its_mentions(catalog, post_factory):
    post = post_factory(body="With [[Satoshi Kon]] and [[Perfect Blue (1997)]].")
    mentions = PostMention.objects.filter(post=post)
    assert {(m.person and m.person.slug, m.work and m.work.slug) for m in mentions} == {
        ("satoshi-kon", None),
        (None, "perfect-blue-1997"),
    }
    assert all(m.from_reference for m in mentions)


def test_removing_a_reference_removes_its_mention_but_keeps_manual_ones(
    catalog, post_factory, django_capture_on_commit_callbacks
):
    post = post_factory(body="With [[Satoshi Kon]].")
    kanno = Person.objects.get(slug="yoko-kanno")
    PostMention.objects.create(post=post, person=kanno)
    post.body = "No references now."
    with django_capture_on_commit_callbacks(execute=True):
        save_post(post)
    assert [m.person.slug for m in PostMention.objects.filter(post=post)] == [
        "yoko-kanno"
    ]


def test_a_post_with_hundreds_of_references_still_renders(catalog):
    source = " ".join(f"[[Film number {n}]]" for n in range(400))
    source += " [[memories (1995)]] [[stanisław lem]]"
    rendered = render_markdown(source)
    assert rendered.html.count('class="ref-missing"') == 400
    assert 'data-ref-slug="memories-1995"' in rendered.html
    assert 'data-ref-slug="stanislaw-lem"' in rendered.html


def test_syncing_many_posts_at_once_matches_syncing_each(catalog, post_factory):

    kon = post_factory(body="With [[Satoshi Kon]] and [[Perfect Blue (1997)]].")
    edited = post_factory(body="With [[Satoshi Kon]].")
    plain = post_factory(body="No references.")
    kanno = Person.objects.get(slug="yoko-kanno")
    PostMention.objects.create(post=edited, person=kanno)  # added by hand
    edited.body = "Now about [[Memories (1995)]]."
    edited.body_html = render_markdown(edited.body).html
    type(edited).objects.filter(pk=edited.pk).update(body_html=edited.body_html)
    PostMention.objects.filter(post=kon).delete()

    SyncMentions([kon.pk, edited.pk, plain.pk, 999_999]).run()

    def mentioned(post):
        return {
            (m.person and m.person.slug, m.work and m.work.slug, m.from_reference)
            for m in PostMention.objects.filter(post=post)
        }

    assert mentioned(kon) == {
        ("satoshi-kon", None, True),
        (None, "perfect-blue-1997", True),
    }
    assert mentioned(edited) == {
        ("yoko-kanno", None, False),
        (None, "memories-1995", True),
    }
    assert mentioned(plain) == set()
