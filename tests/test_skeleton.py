from django.urls import reverse


def test_home_lists_a_published_post(client, post_factory):
    post = post_factory(title="Memories, part one")
    response = client.get(reverse("posts:home"))
    assert response.status_code == 200
    assert post.title in response.content.decode()
