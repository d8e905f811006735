"""The reading pages: what each one lists, and what readers must not see."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from afterword.posts.models import Post
from tests import factories

pytestmark = pytest.mark.django_db


def ago(**kwargs) -> datetime:
    return timezone.now() - timezone.timedelta(**kwargs)


def listed_titles(response) -> list[str]:
    return [p.title for p in response.context["posts"]]


def test_home_lists_sticky_posts_first_then_newest(client, post_factory, writer):
    post_factory(author=writer, title="Old", published_at=ago(days=30))
    post_factory(author=writer, title="Pinned", published_at=ago(days=60), sticky=True)
    post_factory(author=writer, title="Newest", published_at=ago(hours=1))
    post_factory(author=writer, title="Middle", published_at=ago(days=3))

    response = client.get("/")

    assert response.status_code == 200
    assert listed_titles(response) == ["Pinned", "Newest", "Middle", "Old"]
    html = response.content.decode()
    assert html.index(">Pinned<") < html.index(">Newest<") < html.index(">Old<")
    assert '<span class="badge">Pinned</span>' in html


def test_home_is_paginated_with_accessible_links(
    client, post_factory, writer, settings
):
    settings.AFTERWORD_PAGE_SIZE = 2
    for day in range(5):
        post_factory(author=writer, title=f"Day {day}", published_at=ago(days=day + 1))

    first = client.get("/")
    second = client.get(reverse("posts:home-page", kwargs={"page": 2}))
    third = client.get("/page/3/")

    assert listed_titles(first) == ["Day 0", "Day 1"]
    assert listed_titles(second) == ["Day 2", "Day 3"]
    assert listed_titles(third) == ["Day 4"]
    html = second.content.decode()
    assert '<nav class="pagination" aria-label="Pages">' in html
    assert '<a href="/page/2/" aria-current="page">' in html
    assert '<a href="/" rel="prev">' in html
    assert '<a href="/page/3/" rel="next">' in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/page/2/">' in html
    assert client.get("/page/4/").status_code == 404


def test_a_single_page_of_posts_has_no_pagination(client, post_factory, writer):
    post_factory(author=writer)
    assert 'class="pagination"' not in client.get("/").content.decode()


def test_archives_list_exactly_their_posts(client, post_factory, writer):
    other = factories.UserFactory(username="other", display_name="Other Critic")
    drama = factories.TagFactory(name="Drama", slug="drama")
    film = factories.CategoryFactory(name="Film", slug="film")
    in_march = datetime(2024, 3, 10, 12, tzinfo=UTC)
    tagged = post_factory(author=writer, title="Tagged", published_at=in_march)
    tagged.tags.add(drama)
    filed = post_factory(author=other, title="Filed", published_at=ago(days=2))
    filed.categories.add(film)
    post_factory(author=writer, title="Elsewhere", published_at=ago(days=3))

    assert listed_titles(client.get("/tag/drama/")) == ["Tagged"]
    assert listed_titles(client.get("/category/film/")) == ["Filed"]
    assert listed_titles(client.get("/author/other/")) == ["Filed"]
    assert listed_titles(client.get("/author/writer/")) == ["Elsewhere", "Tagged"]
    march = client.get(reverse("posts:month", kwargs={"year": 2024, "month": "03"}))
    assert listed_titles(march) == ["Tagged"]
    assert "<h1>March 2024</h1>" in march.content.decode()
    assert "<h1>Tag: Drama</h1>" in client.get("/tag/drama/").content.decode()


def test_a_month_archive_follows_the_sites_calendar(
    client, post_factory, writer, settings
):
    # Auckland is 13 hours ahead of UTC in its summer: the first hours of a
    # New Year are still the old year in UTC, and the last of January's are
    # February's there.
    settings.TIME_ZONE = "Pacific/Auckland"
    post_factory(
        author=writer,
        title="First hour",
        published_at=datetime(2023, 12, 31, 11, tzinfo=UTC),
    )
    post_factory(
        author=writer,
        title="Old year",
        published_at=datetime(2023, 12, 31, 10, 59, tzinfo=UTC),
    )
    post_factory(
        author=writer,
        title="Last minute",
        published_at=datetime(2024, 1, 31, 10, 59, tzinfo=UTC),
    )
    post_factory(
        author=writer,
        title="February",
        published_at=datetime(2024, 1, 31, 11, tzinfo=UTC),
    )

    assert listed_titles(client.get("/2024/01/")) == ["Last minute", "First hour"]
    assert listed_titles(client.get("/2023/12/")) == ["Old year"]
    assert listed_titles(client.get("/2024/02/")) == ["February"]
    assert client.get("/9999/12/").status_code == 404
    assert client.get("/0001/01/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/tag/missing/",
        "/category/missing/",
        "/author/nobody/",
        "/2024/13/",
        "/1999/01/",
    ],
)
def test_unknown_archives_are_404(client, url):
    assert client.get(url).status_code == 404


def test_a_reader_without_posts_has_no_public_profile(client, post_factory, writer):
    factories.UserFactory(username="lurker")
    assert client.get("/author/lurker/").status_code == 404
    # An administrator with only a draft has no profile either (issue 11):
    # the address must not tell which accounts exist.
    post_factory(author=writer, status=Post.Status.DRAFT, published_at=None)
    assert client.get("/author/writer/").status_code == 404
    post_factory(author=writer)
    assert client.get("/author/writer/").status_code == 200


def test_author_page_shows_the_profile_with_rel_me_links(client, post_factory, writer):
    writer.display_name = "Mira Holt"
    writer.bio = "Writes about *slow cinema*."
    writer.website = "https://mira.example.test/"
    writer.profile_links = [
        {"label": "Mastodon", "url": "https://social.example.test/@mira"},
        {"label": "Sneaky", "url": "javascript:alert(1)"},
        "not a link",
    ]
    writer.save()
    post_factory(author=writer, title="By Mira")

    html = client.get("/author/writer/").content.decode()

    assert '<h1 class="p-name">Mira Holt</h1>' in html
    assert "<em>slow cinema</em>" in html
    assert (
        '<a class="u-url" href="https://mira.example.test/" rel="me">Website</a>'
        in html
    )
    assert '<a href="https://social.example.test/@mira" rel="me">Mastodon</a>' in html
    assert "javascript:" not in html
    assert "Sneaky" not in html
    assert ">By Mira<" in html


def test_post_page_shows_title_date_author_terms_and_neighbours(
    client, post_factory, writer
):
    drama = factories.TagFactory(name="Drama", slug="drama")
    film = factories.CategoryFactory(name="Film", slug="film")
    when = datetime(2024, 5, 4, 18, 30, tzinfo=UTC)
    older = post_factory(
        author=writer, title="Older", published_at=when - timezone.timedelta(days=1)
    )
    post = post_factory(author=writer, title="The one", published_at=when)
    newer = post_factory(
        author=writer, title="Newer", published_at=when + timezone.timedelta(days=1)
    )
    post.tags.add(drama)
    post.categories.add(film)

    response = client.get(f"/2024/05/{post.slug}/")
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count("<h1") == 1
    stamp = '<time class="dt-published" datetime="2024-05-04T18:30:00+00:00">'
    assert stamp + "4 May 2024</time>" in html
    assert '<a href="/2024/05/">' in html
    byline = '<a class="p-author" href="/author/writer/" rel="author">'
    assert f"{byline}{writer.public_name}</a>" in html
    assert '<a href="/category/film/">Film</a>' in html
    assert '<a href="/tag/drama/" rel="tag">Drama</a>' in html
    assert f'<a href="{older.get_absolute_url()}" rel="prev">' in html
    assert f'<a href="{newer.get_absolute_url()}" rel="next">' in html
    assert "<em>thoughts</em>" in html


def test_post_page_prints_stored_html_without_rendering_markdown(
    client, post_factory, writer
):
    post = post_factory(author=writer, body="Plain *source*")
    # Stored HTML is what readers get: the Markdown is not read on request.
    Post.objects.filter(pk=post.pk).update(body="*changed source*")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<em>source</em>" in html
    assert "changed source" not in html


def test_featured_image_has_size_srcset_alt_and_caption(
    client, post_factory, writer, image_factory
):
    image = image_factory(
        size=(1200, 675),
        alt="A ferry leaving port",
        caption="The last ferry.",
        credit="Studio",
    )
    post = post_factory(author=writer, featured_image=image)

    html = client.get(post.get_absolute_url()).content.decode()

    widths = sorted(r.width for r in image.renditions.all())
    assert widths == [480, 960, 1200]
    img = re.search(r'<figure class="featured-image">\s*(<img [^>]+>)', html).group(1)
    assert 'width="1200" height="675"' in img
    assert 'alt="A ferry leaving port"' in img
    assert f"{image.renditions.get(width=480).file.url} 480w" in img
    assert f"{image.renditions.get(width=1200).file.url} 1200w" in img
    assert f'src="{image.file.url}"' in img
    assert 'fetchpriority="high"' in img
    assert (
        '<figcaption>The last ferry. <small class="credit">Studio</small></figcaption>'
        in html
    )


def test_drafts_and_future_posts_are_invisible_until_their_time(
    client, post_factory, writer
):
    draft = post_factory(
        author=writer, title="Draft", status=Post.Status.DRAFT, published_at=ago(days=1)
    )
    future = post_factory(
        author=writer,
        title="Future",
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() + timezone.timedelta(hours=2),
    )
    post_factory(author=writer, title="Visible")

    assert listed_titles(client.get("/")) == ["Visible"]
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(future.get_absolute_url()).status_code == 404

    # A scheduled post whose time has come is live with no task having run.
    Post.objects.filter(pk=future.pk).update(published_at=ago(minutes=1))
    future.refresh_from_db()
    assert future.status == Post.Status.SCHEDULED
    assert client.get(future.get_absolute_url()).status_code == 200
    assert listed_titles(client.get("/")) == ["Future", "Visible"]


def test_draft_pages_are_404(client, post_factory, writer):
    post_factory(
        author=writer, kind=Post.Kind.PAGE, slug="colophon", status=Post.Status.DRAFT
    )
    assert client.get("/colophon/").status_code == 404


def test_a_post_at_the_wrong_year_or_month_is_404(client, post_factory, writer):
    post = post_factory(
        author=writer,
        slug="harbour",
        published_at=datetime(2023, 7, 1, 9, tzinfo=UTC),
    )
    assert post.get_absolute_url() == "/2023/07/harbour/"
    assert client.get("/2023/07/harbour/").status_code == 200
    assert client.get("/2022/07/harbour/").status_code == 404
    assert client.get("/2023/08/harbour/").status_code == 404
    assert client.get("/2023/7/harbour/").status_code == 404


def test_page_is_served_at_its_slug(client, post_factory, writer):
    post_factory(
        author=writer,
        kind=Post.Kind.PAGE,
        title="About",
        slug="about",
        body="Hello *there*.",
    )
    response = client.get("/about/")
    assert response.status_code == 200
    assert '<h1 class="post-title">About</h1>' in response.content.decode()
    assert "<em>there</em>" in response.content.decode()


def test_404_page_wears_the_theme(client):
    response = client.get("/no/such/place/at/all/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<meta name="robots" content="noindex">' in html


def test_500_page_renders_without_a_database(db, django_assert_num_queries):
    from afterword.theme.views import server_error

    with django_assert_num_queries(0):
        response = server_error(None)
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in html
    assert 'href="/static/afterword/site.css"' in html


def test_header_lists_top_level_categories_and_live_pages_only(
    client, post_factory, writer
):
    """Categories show once a live post is filed in them: an empty one, or
    one only drafts use, may be named for something not announced yet."""
    film = factories.CategoryFactory(name="Film", slug="film")
    noir = factories.CategoryFactory(name="Noir", slug="noir", parent=film)
    anime = factories.CategoryFactory(name="Anime", slug="anime")
    secret = factories.CategoryFactory(name="Secret project", slug="secret")
    factories.CategoryFactory(name="Empty", slug="empty")
    post_factory(author=writer).categories.set([film, noir])
    post_factory(author=writer).categories.set([anime])
    post_factory(author=writer, status=Post.Status.DRAFT).categories.set([secret])
    post_factory(author=writer, kind=Post.Kind.PAGE, title="About", slug="about")
    post_factory(
        author=writer,
        kind=Post.Kind.PAGE,
        title="Draft page",
        slug="draft-page",
        status=Post.Status.DRAFT,
    )
    post_factory(
        author=writer,
        kind=Post.Kind.PAGE,
        title="Later page",
        slug="later-page",
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() + timezone.timedelta(days=1),
    )

    html = client.get("/").content.decode()
    nav = re.search(r'<nav class="site-nav"[^>]*>(.*?)</nav>', html, re.S).group(1)

    assert re.findall(r'<a href="([^"]+)"', nav) == [
        "/",
        "/category/anime/",
        "/category/film/",
        "/about/",
    ]
    assert '<a href="/" aria-current="page">Home</a>' in nav


def test_previous_and_next_skip_drafts_and_future_posts(client, post_factory, writer):
    when = datetime(2024, 5, 4, 12, tzinfo=UTC)
    older = post_factory(author=writer, title="Older", published_at=when)
    post_factory(
        author=writer,
        title="Hidden draft",
        status=Post.Status.DRAFT,
        published_at=when + timezone.timedelta(hours=1),
    )
    # Same publication time as the older post: ties are broken by creation order.
    middle = post_factory(author=writer, title="Middle", published_at=when)
    post_factory(
        author=writer,
        title="Not yet",
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() + timezone.timedelta(days=1),
    )

    html = client.get(middle.get_absolute_url()).content.decode()
    assert f'<a href="{older.get_absolute_url()}" rel="prev">' in html
    assert 'rel="next"' not in html
    assert "Hidden draft" not in html
    assert "Not yet" not in html

    html = client.get(older.get_absolute_url()).content.decode()
    assert f'<a href="{middle.get_absolute_url()}" rel="next">' in html
    assert 'rel="prev"' not in html
