"""What the demo blog holds, checked against one shared load (see conftest)."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from afterword.instance.demo.content import load_texts
from afterword.instance.demo.images import IMAGES
from afterword.media.models import Image
from afterword.posts.actions import save_post
from afterword.posts.models import Category, Post, Tag
from tests.setup.helpers import counts

# The core demo's own posts; other apps' demo modules may add more.
CORE_POSTS = {text.slug for text in load_texts() if text.kind == "post"}


def test_demo_is_a_review_blog_with_posts_a_page_terms_and_a_sticky_post(demo_site, db):
    posts = Post.objects.posts().filter(slug__in=CORE_POSTS)
    live = posts.live()

    assert posts.count() == len(CORE_POSTS) == 8
    assert live.count() == 6
    assert list(Post.objects.pages().values_list("slug", "title")) == [
        ("about", "About")
    ]
    assert set(Category.objects.values_list("name", flat=True)) == {
        "Anime",
        "Film",
        "Books",
        "Games",
    }
    assert list(posts.filter(sticky=True).values_list("slug", flat=True)) == [
        "start-here"
    ]
    reviews = live.exclude(slug="start-here")
    assert all(post.tags.exists() for post in reviews)
    assert all(post.categories.exists() for post in reviews)
    assert Tag.objects.get(slug="stanisław-lem").name == "Stanisław Lem"
    assert set(
        Category.objects.get(slug="games").posts.values_list("slug", flat=True)
    ) == {"outer-wilds"}


def test_memories_series_has_part_one_published_part_two_drafted_and_a_promise(
    demo_site, db
):
    part1 = Post.objects.get(slug="memories-part-1-magnetic-rose")
    part2 = Post.objects.get(slug="memories-part-2-stink-bomb")

    assert part1.title == "Memories, Part 1: Magnetic Rose"
    assert part1.is_live()
    assert "I will link Parts 2 and 3 here" in part1.body_html
    for credit in ("Koji Morimoto", "Satoshi Kon", "Yoko Kanno", "Katsuhiro Otomo"):
        assert credit in part1.body_html
    assert part2.status == Post.Status.DRAFT
    assert part2.published_at is None
    assert "Tensai Okamura" in part2.body_html
    assert not Post.objects.filter(slug__contains="part-3").exists()


def test_one_demo_post_is_scheduled_a_few_days_ahead(demo_site, db):
    scheduled = Post.objects.get(status=Post.Status.SCHEDULED)

    ahead = scheduled.published_at - timezone.now()
    assert scheduled.slug == "millennium-actress"
    assert timezone.timedelta(days=2) < ahead < timezone.timedelta(days=4)
    assert not Post.objects.live().filter(pk=scheduled.pk).exists()


def test_demo_bodies_render_figures_a_table_footnotes_a_video_and_links(demo_site, db):
    html = {post.slug: post.body_html for post in Post.objects.all()}

    without_figures = {slug for slug, body in html.items() if "<figure" not in body}
    assert without_figures == {"start-here"}
    assert html["perfect-blue"].count("<figcaption>") == 1
    assert "Two halves of one reflection" in html["perfect-blue"]
    featured = {
        post.slug: post.featured_image
        for post in Post.objects.exclude(featured_image=None)
    }
    for slug, image in featured.items():
        assert image.file.name not in html[slug], f"{slug} repeats its featured image"
    assert featured["perfect-blue"].alt_text == IMAGES["perfect-blue-stage"].alt_text
    assert "<table" in html["tokyo-godfathers"]
    assert "<table" in html["outer-wilds"]
    assert 'class="footnotes' in html["solaris-novel"]
    assert "<details" in html["solaris-novel"]
    solaris = Post.objects.get(slug="solaris-novel")
    assert "Kelvin does not go home" in solaris.body_html
    assert "MJmK5SOeQBc" in html["perfect-blue"]
    assert "<iframe" not in html["perfect-blue"]  # nothing loads before a click
    tokyo = Post.objects.get(slug="tokyo-godfathers")
    assert f'href="{tokyo.get_absolute_url()}"' in html["perfect-blue"]
    assert "demo-image:" not in "".join(Post.objects.values_list("body", flat=True))


def test_demo_images_are_real_files_with_alt_text_captions_and_renditions(
    demo_site, db
):
    images = list(Image.objects.all())

    assert {image.mime_type for image in images} == {"image/jpeg", "image/png"}
    for image in images:
        assert len(image.alt_text) > 40
        assert image.caption
        assert image.credit == "demo illustration"
        assert (image.width, image.height) in {(1280, 720), (1600, 900)}
        assert image.renditions.filter(width=480).exists()
        with image.file.open("rb") as handle:
            assert handle.read(4) in {b"\xff\xd8\xff\xe0", b"\x89PNG"}
    featured = Post.objects.get(slug="outer-wilds").featured_image
    assert featured.mime_type == "image/png"


def test_forced_reload_reuses_every_object_and_keeps_the_writers_edits(demo_site, db):
    before = counts()
    post = Post.objects.get(slug="perfect-blue")
    post.title = "Perfect Blue, revisited"
    save_post(post)
    before["Revision"] += 1

    out = StringIO()
    call_command("load_demo", "--force", stdout=out)
    output = out.getvalue()

    assert counts() == before
    assert Post.objects.get(slug="perfect-blue").title == "Perfect Blue, revisited"
    assert "Demo content: 8 posts, 1 page(s), 14 images" in output
