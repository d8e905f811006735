"""Flood control: one client is throttled with 429, others still comment.

The same behind a real nginx, as docs/deploy.md sets it up, is in
tests/deploy/test_nginx_client_address.py.
"""

import time

import pytest
from django.urls import reverse

from afterword.discussion import defences
from afterword.discussion.models import Comment
from afterword.outbox.models import OutgoingEmail

from .conftest import guest_data
from .test_contact import contact_data


def test_500_posts_from_one_client_are_throttled_while_another_reader_comments(
    post, client, policy
):
    policy.flood_ip_limit = 10
    policy.flood_identity_limit = 1000
    policy.hold_first_comment = False
    policy.save()
    url = reverse("discussion:post", args=[post.pk])
    started = time.monotonic()

    statuses = [
        client.post(
            url,
            guest_data(post, body=f"Flood number {n}", email=f"bot{n}@example.test"),
            REMOTE_ADDR="203.0.113.7",
        ).status_code
        for n in range(500)
    ]

    assert time.monotonic() - started < 30
    assert statuses[:10] == [303] * 10
    assert set(statuses[10:]) == {429}
    refused = client.post(
        url, guest_data(post, body="One more"), REMOTE_ADDR="203.0.113.7"
    )
    assert "Too many posts from your network" in refused.content.decode()
    assert Comment.objects.count() == 10

    other = client.post(
        url, guest_data(post, body="I am someone else."), REMOTE_ADDR="198.51.100.20"
    )
    assert other.status_code == 303
    assert Comment.objects.filter(body="I am someone else.").exists()
    assert client.get(post.get_absolute_url()).status_code == 200


def test_one_identity_is_throttled_across_addresses(post, client, policy):
    policy.flood_ip_limit = 1000
    policy.flood_identity_limit = 3
    policy.hold_first_comment = False
    policy.save()
    url = reverse("discussion:post", args=[post.pk])

    statuses = [
        client.post(
            url, guest_data(post, body=f"Again {n}"), REMOTE_ADDR=f"192.0.2.{n + 1}"
        ).status_code
        for n in range(5)
    ]

    assert statuses == [303, 303, 303, 429, 429]
    assert Comment.objects.count() == 3


def test_throttled_json_post_gets_429_with_a_message(post, client, policy):
    policy.flood_ip_limit = 1
    policy.save()
    url = reverse("discussion:post", args=[post.pk])
    client.post(url, guest_data(post), HTTP_ACCEPT="application/json")

    response = client.post(
        url, guest_data(post, body="Second"), HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 429
    assert "wait a few minutes" in response.json()["message"]


@pytest.fixture
def author(writer):
    writer.email = "writer-private@example.test"
    writer.save()
    return writer


def flood(client, url, data_for, count, **extra) -> list[int]:
    return [client.post(url, data_for(n), **extra).status_code for n in range(count)]


def test_a_comment_flood_leaves_the_contact_form_open(post, author, client, policy):
    """Issue 11: comments and contact shared one counter per address."""
    policy.flood_ip_limit = 3
    policy.flood_identity_limit = 1000
    policy.save()
    comments = reverse("discussion:post", args=[post.pk])
    contact = reverse("discussion:contact", args=[author.username])

    statuses = flood(
        client,
        comments,
        lambda n: guest_data(post, body=f"Flood {n}", email=f"b{n}@example.test"),
        4,
    )
    message = client.post(contact, contact_data(author))

    assert statuses == [303, 303, 303, 429]
    assert message.status_code == 200
    assert "Message sent" in message.content.decode()
    assert OutgoingEmail.objects.filter(key__startswith="contact:").count() == 1


def test_a_contact_flood_leaves_the_comment_form_open(post, author, client, policy):
    policy.flood_ip_limit = 3
    policy.flood_identity_limit = 1000
    policy.save()
    comments = reverse("discussion:post", args=[post.pk])
    contact = reverse("discussion:contact", args=[author.username])

    statuses = flood(
        client,
        contact,
        lambda n: contact_data(author, message=f"Note {n}", email=f"c{n}@ex.test"),
        4,
    )
    refused = client.post(contact, contact_data(author, message="Once more"))
    comment = client.post(comments, guest_data(post, body="Still welcome here."))

    assert statuses == [200, 200, 200, 429]
    assert "Too many messages from your network" in refused.content.decode()
    assert comment.status_code == 303
    assert Comment.objects.filter(body="Still welcome here.").exists()


def test_a_comment_flood_leaves_the_follow_box_open(post, client, policy):
    policy.flood_ip_limit = 2
    policy.flood_identity_limit = 1000
    policy.save()
    comments = reverse("discussion:post", args=[post.pk])

    statuses = flood(
        client,
        comments,
        lambda n: guest_data(post, body=f"Flood {n}", email=f"f{n}@example.test"),
        3,
    )
    follow = client.post(
        reverse("subscriptions:follow"),
        {
            "email": "new-follower@example.test",
            "target": "site",
            "token": defences.make_token("follow", now=time.time() - 10),
            defences.HONEYPOT_FIELD: "",
        },
    )

    assert statuses == [303, 303, 429]
    assert follow.status_code == 200
    assert "Check your inbox" in follow.content.decode()


def test_ipv6_readers_are_counted_per_64(post, client, policy):
    """Rotating addresses inside one /64 does not escape the limit."""
    policy.flood_ip_limit = 2
    policy.flood_identity_limit = 1000
    policy.save()
    url = reverse("discussion:post", args=[post.pk])

    def comment(n: int, address: str) -> int:
        data = guest_data(post, body=f"From v6 {n}", email=f"v{n}@example.test")
        return client.post(url, data, REMOTE_ADDR=address).status_code

    same_64 = [comment(n, f"2001:db8:5:6::{n + 1:x}") for n in range(4)]
    next_64 = comment(9, "2001:db8:5:7::1")

    assert same_64 == [303, 303, 429, 429]
    assert next_64 == 303
    assert Comment.objects.get(body="From v6 1").ip_address == "2001:db8:5:6::2"
