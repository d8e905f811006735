"""A part's page shows its title through the series' pattern."""


def test_part_page_heading_follows_the_series_pattern(client, memories):
    _, one, _ = memories

    html = client.get(one.get_absolute_url()).content.decode()

    assert '<h1 class="post-title p-name">Memories Part 1: Magnetic Rose</h1>' in html


def test_heading_is_the_posts_own_title_when_the_pattern_is_off(client, memories):
    series, one, _ = memories
    series.title_pattern = ""
    series.save()

    html = client.get(one.get_absolute_url()).content.decode()

    assert '<h1 class="post-title p-name">Magnetic Rose</h1>' in html


def test_heading_of_a_post_outside_any_series_is_its_title(client, post_factory):
    post = post_factory(title="Perfect Blue")

    html = client.get(post.get_absolute_url()).content.decode()

    assert '<h1 class="post-title p-name">Perfect Blue</h1>' in html
