from django.urls import reverse

BODY = """Opening paragraph.

![A rusted space station drifting over a gas giant](/media/station.png)
The derelict in *Magnetic Rose*, first seen through a porthole.

Later text.

![A second image](/media/second.png)
Second caption.
"""


def test_listing_shows_the_first_figure_with_its_caption(client, post_factory):
    post_factory(title="Magnetic Rose", body=BODY)

    html = client.get(reverse("posts:home")).content.decode()

    assert "<figcaption>The derelict in <em>Magnetic Rose</em>, first seen" in html
    assert 'alt="A rusted space station drifting over a gas giant"' in html
    assert "second.png" not in html


def test_lead_figure_follows_edits(post_factory):
    post = post_factory(body=BODY)
    assert "station.png" in post.lead_figure_html

    post.body = "No pictures any more."
    from afterword.posts.actions import save_post

    save_post(post)
    assert post.lead_figure_html == ""


def test_post_page_time_has_no_microseconds(client, post_factory):
    """HTML's datetime syntax allows at most milliseconds."""
    from django.utils import timezone

    a_minute_ago = timezone.now() - timezone.timedelta(minutes=1)
    post = post_factory(published_at=a_minute_ago.replace(microsecond=123456))

    html = client.get(post.get_absolute_url()).content.decode()

    stamp = timezone.localtime(post.published_at).replace(microsecond=0).isoformat()
    assert f'datetime="{stamp}"' in html
    assert 'datetime="' + stamp[:19] + ".123456" not in html
