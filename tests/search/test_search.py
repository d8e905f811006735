"""Search: ranking, snippets, hostile input, and an index that follows every save."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from afterword.posts import actions as post_actions
from afterword.posts.models import Post
from afterword.search.backends import get_backend
from afterword.search.models import SearchDocument
from afterword.search.query import fts5_query
from afterword.search.services import SearchResults, search
from afterword.search.snippets import SNIPPET_WORDS, snippet
from tests import factories


def found_titles(text: str, **kwargs) -> list[str]:
    results = SearchResults(text, **kwargs)
    return [result.title for result in results[0 : results.count()]]


def test_backend_matches_the_database_vendor():
    assert get_backend().vendor == connection.vendor


def test_title_match_ranks_above_body_match(post_factory):
    post_factory(
        title="Thoughts on a desert epic",
        body="The sandworm scenes of Arrakis are the reason to see it.",
        published_at=timezone.now() - timezone.timedelta(minutes=5),
    )
    post_factory(
        title="Arrakis, revisited",
        body="A second viewing of the desert film.",
        published_at=timezone.now() - timezone.timedelta(hours=5),
    )
    # The body-only match is newer, so only ranking can put the title first.
    assert found_titles("arrakis") == [
        "Arrakis, revisited",
        "Thoughts on a desert epic",
    ]


def test_snippet_highlights_the_matching_words(post_factory):
    post_factory(
        title="Perfect Blue",
        body="Satoshi Kon's debut is a thriller about identity and fame.",
    )
    [result] = SearchResults("identity")[0:10]
    assert "<mark>identity</mark>" in result.snippet
    assert "thriller about" in result.snippet


def test_a_snippet_quotes_the_match_deep_in_a_long_review(post_factory, client):
    filler = " ".join(
        f"Paragraph {n} talks about framing and pacing." for n in range(300)
    )
    post_factory(
        title="A long look at Mind Game",
        body=f"{filler} The quiet rain scene is the heart of it. {filler} Quiet. Rain.",
    )
    html = client.get(reverse("search:results"), {"q": "quiet rain"}).content.decode()
    # Well past where a headline over the opening would look.
    assert "<mark>quiet</mark> <mark>rain</mark> scene" in html.lower()


def test_snippet_escapes_markup_found_in_the_post(post_factory, client):
    post_factory(
        title="On code in reviews",
        body="The villain types `<script>alert('gotcha')</script>` on screen.",
    )
    response = client.get(reverse("search:results"), {"q": "gotcha"})
    html = response.content.decode()
    assert "<script>" not in html
    assert "alert(&#x27;<mark>gotcha</mark>&#x27;)" in html
    if connection.vendor == "sqlite":
        # PostgreSQL's snippets blank angle brackets; SQLite's keep them, escaped.
        assert "types &lt;script&gt;alert(" in html


def test_a_title_with_markup_is_shown_escaped(post_factory, client):
    post_factory(title="<img src=x onerror=alert(1)> & friends", body="Quiet.")
    html = client.get(reverse("search:results"), {"q": "friends"}).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; friends</a>" in html


def test_query_containing_html_is_shown_escaped(post_factory, client):
    post_factory(title="Bold choices", body="A bold B-movie.")
    response = client.get(reverse("search:results"), {"q": "<b>bold</b>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<b>bold</b>" not in html
    assert "Search results for “&lt;b&gt;bold&lt;/b&gt;”" in html
    assert "<mark>bold</mark>" in html


HOSTILE_QUERIES = [
    '"',
    'dune"',
    '"dune',
    "*",
    "dune*",
    "-dune",
    "dune -",
    "NEAR(dune sand)",
    "NEAR",
    "(dune",
    "dune)",
    "AND",
    "OR NOT",
    "dune AND OR",
    "title:dune",
    "{title body}: dune",
    "^dune",
    "dune'; DROP TABLE posts_post; --",
    "\x00dune",
    "\x02\x03",
    "dune " * 200,
    "____",
    "🎬",
]


@pytest.mark.parametrize("text", HOSTILE_QUERIES)
def test_hostile_queries_never_raise(post_factory, client, text):
    post_factory(title="Dune", body="Sand and spice.")
    response = client.get(reverse("search:results"), {"q": text})
    assert response.status_code == 200
    results = search(text)
    assert len(results[0:10]) == results.count()


def test_operators_typed_by_readers_are_searched_as_words(post_factory):
    post_factory(title="Dune", body="Sand and spice.")
    assert found_titles('"dune') == ["Dune"]
    assert found_titles("dune)") == ["Dune"]
    assert found_titles("NEAR(dune spice") == []  # "near" is a word no post has


def test_fts5_query_quotes_every_word_and_prefixes_the_last():
    assert fts5_query('NEAR("dune" -spice*') == '"NEAR" "dune" "spice"*'
    assert fts5_query("  *** ") == ""


def test_a_snippet_escapes_everything_but_its_own_marks():
    assert (
        snippet("<b>a</b> spice & <mark>", "spice")
        == "&lt;b&gt;a&lt;/b&gt; <mark>spice</mark> &amp; &lt;mark&gt;"
    )
    assert snippet("<b>no match here</b>", "spice") == ""


def test_a_snippet_marks_other_forms_accents_and_case_of_the_words():
    shown = snippet("Two FILMS, filmed in Québec, one café scene.", "film quebec cafés")
    assert shown == (
        "Two <mark>FILMS</mark>, <mark>filmed</mark> in <mark>Québec</mark>, "
        "one <mark>café</mark> scene."
    )


def test_a_snippet_is_a_few_dozen_words_from_just_before_the_first_match():
    words = [f"w{n}" for n in range(200)]
    words[100] = "target"
    shown = snippet(" ".join(words), "target")
    assert shown.startswith("…w92 w93") and shown.endswith("w123…")
    assert len(shown.split()) == SNIPPET_WORDS


def test_empty_query_shows_the_form_and_no_results(client, post_factory):
    post_factory(title="Dune", body="Sand.")
    response = client.get(reverse("search:results"), {"q": "   "})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="q"' in html
    assert 'class="search-result"' not in html
    assert 'class="search-count"' not in html
    assert "<title>Search" in html
    assert client.get(reverse("search:results")).status_code == 200


def test_results_page_shows_count_form_title_link_and_date(client, post_factory):
    post = post_factory(title="Paprika", body="Dreams leak into the waking world.")
    response = client.get(reverse("search:results"), {"q": "dreams"})
    html = response.content.decode()
    assert "<title>Search results for “dreams”" in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'value="dreams"' in html
    assert "1 result<" in html
    assert f'href="{post.get_absolute_url()}">Paprika</a>' in html
    # The same machine-readable time as every other page (machine_time).
    published = post.published_at.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    assert f'datetime="{published}">{post.published_at:%-d %B %Y}</time>' in html


def test_pages_are_found_too(post_factory):
    post_factory(
        kind=Post.Kind.PAGE, title="About", slug="about", body="Who writes here."
    )
    assert found_titles("writes") == ["About"]


def test_drafts_are_not_found(post_factory):
    post_factory(title="Unfinished Solaris notes", status=Post.Status.DRAFT)
    assert found_titles("solaris") == []
    assert not SearchDocument.objects.exists()


def test_scheduled_post_appears_on_its_own_when_due(post_factory):
    when = timezone.now() + timezone.timedelta(hours=2)
    post_factory(
        title="Stalker at dawn", status=Post.Status.SCHEDULED, published_at=when
    )
    assert found_titles("stalker") == []
    # Nothing touches the index between these two searches.
    later = when + timezone.timedelta(seconds=1)
    assert found_titles("stalker", now=later) == ["Stalker at dawn"]


def test_editing_a_post_updates_the_index(
    post_factory, django_capture_on_commit_callbacks
):
    post = post_factory(title="Mirror", body="Tarkovsky remembers.")
    post.title = "The Mirror, again"
    post.body = "A childhood house in the rain."
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.save_post(post)
    assert found_titles("tarkovsky") == []
    assert found_titles("childhood") == ["The Mirror, again"]


def test_unpublishing_removes_a_post(post_factory, django_capture_on_commit_callbacks):
    post = post_factory(title="Ikiru", body="A clerk and a swing.")
    post.status = Post.Status.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.save_post(post)
    assert found_titles("clerk") == []


def test_deleting_a_post_removes_it(post_factory, django_capture_on_commit_callbacks):
    post = post_factory(title="Ran", body="King Lear on horseback.")
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.delete_post(post)
    assert found_titles("lear") == []
    assert not SearchDocument.objects.exists()


def test_tag_names_are_searchable_and_follow_renames_in_the_admin(
    post_factory, django_capture_on_commit_callbacks, admin_client
):
    post = post_factory(title="Akira", body="Neo-Tokyo burns.")
    tag = factories.TagFactory(name="Cyberpunk", slug="cyberpunk")
    post.tags.add(tag)
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.save_post(post)
    assert found_titles("cyberpunk") == ["Akira"]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:posts_tag_change", args=[tag.pk]),
            {"name": "Biopunk", "slug": "cyberpunk"},
        )
    assert response.status_code == 302
    assert found_titles("cyberpunk") == []
    assert found_titles("biopunk") == ["Akira"]


def test_rebuild_command_restores_a_lost_index(post_factory, capsys):
    post_factory(title="Hausu", body="A haunted house eats schoolgirls.")
    post_factory(title="Draft", body="haunted", status=Post.Status.DRAFT)
    SearchDocument.objects.all().delete()
    assert found_titles("haunted") == []
    call_command("rebuild_search_index")
    assert "Indexed 1 posts and pages." in capsys.readouterr().out
    assert found_titles("haunted") == ["Hausu"]


def test_results_are_paginated(client, post_factory, settings):
    settings.AFTERWORD_PAGE_SIZE = 2
    for number in range(5):
        post_factory(title=f"Heist {number}", body="A heist film.")
    page_three = client.get(reverse("search:results"), {"q": "heist", "page": 3})
    html = page_three.content.decode()
    assert "5 results" in html
    assert html.count('class="search-result"') == 1
    assert "Page 3 of 3" in html


def _queries_for_results_page(client, count: int) -> int:
    # Once the site-wide settings (the theme's appearance) have been read.
    client.get(reverse("search:results"), {"q": "noir"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("search:results"), {"q": "noir"})
    assert response.content.decode().count('class="search-result"') == min(count, 10)
    return len(queries)


def test_a_results_page_costs_a_fixed_number_of_queries(
    client, post_factory, settings, django_assert_num_queries
):
    settings.AFTERWORD_PAGE_CACHE = False
    for number in range(3):
        post_factory(title=f"Noir {number}", body="Rain and smoke.")
    few = _queries_for_results_page(client, 3)
    for number in range(3, 15):
        post_factory(title=f"Noir {number}", body="Rain and smoke.")
    many = _queries_for_results_page(client, 15)
    assert few == many
    results = search("noir")
    # The count, the ranked page, the posts on it; on SQLite one more counts
    # the words without the last one's prefix, on PostgreSQL five more ask
    # the planner's estimate, and choose the count's and the page's plans
    # and put the planner back (backends/).
    with django_assert_num_queries(8 if connection.vendor == "postgresql" else 4):
        assert results.count() == 15
        assert len(results[0:10]) == 10


def test_spoiler_text_is_neither_found_nor_shown(post_factory, client):
    post_factory(
        title="Citizen Kane",
        body=(
            "::: spoiler The last word\nRosebud is the sled.\n:::\n\n"
            "A newspaper man looks back on his life."
        ),
    )
    assert found_titles("sled") == []
    response = client.get(reverse("search:results"), {"q": "newspaper"})
    html = response.content.decode()
    assert "<mark>newspaper</mark>" in html
    assert "Rosebud" not in html
    assert "sled" not in html


def test_index_posts_writes_the_documents_index_post_writes(post_factory):
    tag = factories.TagFactory(name="Mecha")
    live = post_factory(title="Patlabor 2", body="A *coup* in Tokyo.")
    live.tags.add(tag)
    scheduled = post_factory(
        title="Later",
        body="Not yet.",
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() + timezone.timedelta(days=1),
    )
    draft = post_factory(title="Draft", body="Unfinished.", status=Post.Status.DRAFT)
    ids = [live.pk, scheduled.pk, draft.pk]
    fields = ["post_id", "title", "summary", "body", "terms", "published_at"]
    from afterword.search.services import index_post, index_posts

    for post in Post.objects.filter(pk__in=ids):
        index_post(post)  # the terms were added after the first save
    one_by_one = list(SearchDocument.objects.order_by("post_id").values(*fields))
    SearchDocument.objects.all().delete()

    index_posts(ids)

    assert list(SearchDocument.objects.order_by("post_id").values(*fields)) == (
        one_by_one
    )
    assert [d["post_id"] for d in one_by_one] == [live.pk, scheduled.pk]
    assert one_by_one[0]["terms"] == "Mecha"
    assert found_titles("coup") == ["Patlabor 2"]


def test_index_posts_rewrites_documents_in_place_and_drops_unpublished(
    post_factory,
):
    from afterword.search.services import index_posts

    kept = post_factory(title="Akira", body="Cyberpunk motorcycles.")
    gone = post_factory(title="Withdrawn", body="Cyberpunk too.")
    document_id = SearchDocument.objects.get(post=kept).pk
    # Changed behind the index's back, as a batch of saves leaves them.
    Post.objects.filter(pk=kept.pk).update(
        body="Biopunk motorcycles.", summary="Biopunk motorcycles."
    )
    Post.objects.filter(pk=gone.pk).update(status=Post.Status.DRAFT)

    index_posts([kept.pk, gone.pk, 999_999])

    assert found_titles("cyberpunk") == []
    assert found_titles("biopunk") == ["Akira"]
    assert list(SearchDocument.objects.values_list("pk", flat=True)) == [document_id]


def test_a_broad_query_lists_its_matches_newest_first_and_says_so(
    client, post_factory, settings
):
    settings.AFTERWORD_SEARCH_RANKED_AT_MOST = 2
    now = timezone.now()
    post_factory(
        title="Harbour lights",
        body="Harbour, harbour, harbour.",
        published_at=now - timezone.timedelta(days=3),
    )
    post_factory(
        title="A quiet week",
        body="Rain on the harbour.",
        published_at=now - timezone.timedelta(days=1),
    )
    # Ranked while the matches are few: the title match first.
    assert found_titles("harbour") == ["Harbour lights", "A quiet week"]
    response = client.get(reverse("search:results"), {"q": "harbour"})
    assert "newest come first" not in response.content.decode()

    post_factory(
        title="Later still",
        body="A ferry leaves the harbour.",
        published_at=now - timezone.timedelta(hours=1),
    )
    # Past the limit, the newest that many, newest first.
    assert found_titles("harbour") == ["Later still", "A quiet week"]
    html = client.get(reverse("search:results"), {"q": "harbour"}).content.decode()
    assert "More than 2 results" in html
    assert "the newest 2 are listed, newest first" in html
    assert "<mark>harbour</mark>" in html
    # Not yet due: left out of the count and the pages alike.
    post_factory(
        title="Tomorrow's harbour",
        body="Harbour.",
        status=Post.Status.SCHEDULED,
        published_at=now + timezone.timedelta(days=1),
    )
    assert SearchResults("harbour").matches() == 3
    assert found_titles("harbour")[0] == "Later still"
    settings.AFTERWORD_SEARCH_RANKED_AT_MOST = 3
    assert found_titles("harbour")[0] == "Harbour lights"


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="prefix matches are SQLite's (FTS5)"
)
def test_a_post_found_through_the_prefix_alone_shows_the_words_it_matched(
    client, post_factory
):
    post_factory(title="Ship log", body="Dunes again, and more dunes.")
    [result] = SearchResults("dun")[0:10]
    assert result.title == "Ship log"
    html = client.get(reverse("search:results"), {"q": "dun"}).content.decode()
    assert "<mark>Dunes</mark> again, and more <mark>dunes</mark>." in html


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's planner settings"
)
def test_counting_and_ranking_leave_the_planner_as_they_found_it(post_factory):
    post_factory(title="Noir", body="Rain and smoke.")
    assert SearchResults("noir").count() == 1
    assert [r.title for r in SearchResults("noir")[0:10]] == ["Noir"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
        cursor.execute("SHOW enable_indexscan")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's planner estimate"
)
def test_a_query_the_planner_expects_to_be_broad_is_not_counted(
    post_factory, settings, django_assert_num_queries
):
    for number in range(40):
        post_factory(title=f"Harbour {number}", body="The harbour at dawn.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchdocument")
    settings.AFTERWORD_SEARCH_RANKED_AT_MOST = 2
    results = SearchResults("harbour")
    # The estimate alone: 40 expected, more than ten times the limit.
    with django_assert_num_queries(1):
        assert results.matches() == 3
    assert results.newest_first
    assert results[0:2][0].title == "Harbour 39"
    settings.AFTERWORD_SEARCH_RANKED_AT_MOST = 5
    assert SearchResults("harbour").matches() == 6
