"""Behind nginx as docs/deploy.md configures it, each reader has their own address.

nginx runs the documented server block (tests/deploy/nginx.py swaps only the
certificate, ports, folders and upstream) in front of the app's live server,
with ``AFTERWORD_TRUSTED_PROXIES=127.0.0.1`` as the documented environment
file sets it. Readers connect over TLS from distinct loopback addresses
(127.0.0.2, 127.0.0.3: Linux routes all of 127/8 to ``lo``), so nginx sees
two different clients, exactly as it would two people on the internet.
"""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from afterword.discussion import defences
from afterword.discussion.models import Comment, DiscussionSettings
from afterword.outbox.models import OutgoingEmail

from . import nginx

pytestmark = pytest.mark.django_db(transaction=True)

READER_A = "127.0.0.2"
READER_B = "127.0.0.3"
ORIGIN = nginx.ORIGIN
LIMIT = 3


class Reader(nginx.Client):
    """A reader who comments and writes to authors, through nginx."""

    def comment(self, post, n: int, **headers) -> int:
        data = {
            "token": defences.make_token(f"post:{post.pk}", now=time.time() - 10),
            "name": f"Reader {self.address}",
            "email": f"reader-{n}@example.test",
            "url": "",
            "body": f"Comment number {n} from {self.address}.",
            "parent": "",
        }
        path = reverse("discussion:post", args=[post.pk])
        return self.request("POST", path, data, **headers)[0]

    def contact(self, author, n: int) -> tuple[int, str]:
        data = {
            "token": defences.make_token(f"contact:{author.pk}", now=time.time() - 10),
            "name": "Curious Reader",
            "email": f"curious-{n}@example.test",
            "subject": f"Question {n}",
            "message": f"Message number {n} from {self.address}.",
        }
        path = reverse("discussion:contact", args=[author.username])
        status, _, body = self.request("POST", path, data)
        return status, body.decode()


@pytest.fixture
def site(front, settings, writer):
    """The documented environment: behind nginx, which alone is trusted."""
    settings.AFTERWORD_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SITE_URL = ORIGIN
    settings.AFTERWORD_PAGE_CACHE_DIR = str(front["pages"])
    policy = DiscussionSettings.load()
    policy.flood_ip_limit = LIMIT
    policy.flood_identity_limit = 1000
    policy.flood_window_seconds = 300
    policy.save()
    writer.email = "writer-private@example.test"
    writer.save()
    return front


@pytest.fixture
def readers(site):
    return Reader(site["port"], READER_A), Reader(site["port"], READER_B)


@pytest.fixture
def post(post_factory, writer):
    return post_factory(author=writer, title="Tokyo Godfathers", slug="godfathers")


def addresses_of(reader: Reader) -> list[str]:
    return list(
        Comment.objects.filter(author_name=f"Reader {reader.address}")
        .order_by("pk")
        .values_list("ip_address", flat=True)
    )


def test_two_readers_behind_nginx_are_limited_separately(readers, post):
    """Issue 11: behind nginx everyone was 127.0.0.1 and shared one counter."""
    a, b = readers

    statuses_a = [a.comment(post, n) for n in range(LIMIT + 2)]
    status_b = b.comment(post, 99)

    assert statuses_a == [303] * LIMIT + [429, 429]
    assert status_b == 303
    assert addresses_of(a) == [READER_A] * LIMIT
    assert addresses_of(b) == [READER_B]


SPOOFED = [
    "203.0.113.9",
    "198.51.100.1, 203.0.113.9",
    READER_B,  # reader B's real address
    f"{READER_B}, 127.0.0.1",  # B, apparently forwarded by the trusted nginx
    "127.0.0.1",
    "unknown",
    "[2001:db8::1]:443, , nonsense",
]


def test_a_forwarded_for_header_sent_by_the_client_changes_nothing(readers, post):
    a, b = readers

    statuses_a = [
        a.comment(post, n, **{"X-Forwarded-For": spoofed})
        for n, spoofed in enumerate(SPOOFED)
    ]
    status_b = b.comment(post, 99)

    assert statuses_a == [303] * LIMIT + [429] * (len(SPOOFED) - LIMIT)
    assert addresses_of(a) == [READER_A] * LIMIT
    assert status_b == 303
    assert addresses_of(b) == [READER_B]


def test_page_files_through_nginx_carry_x_page_cache_nginx(
    site, readers, post, settings
):
    settings.AFTERWORD_PAGE_CACHE = True
    a, b = readers
    path = post.get_absolute_url()

    first_status, first_headers, first_body = a.request("GET", path)
    second_status, second_headers, second_body = b.request("GET", path)

    assert (first_status, first_headers["X-Page-Cache"]) == (200, "miss")
    assert (second_status, second_headers["X-Page-Cache"]) == (200, "nginx")
    assert second_body == first_body
    assert b"Tokyo Godfathers" in second_body
    [written] = site["pages"].rglob("index.html")
    assert written.relative_to(site["pages"]).parts[1:] == (
        nginx.SERVER_NAME,
        *path.strip("/").split("/"),
        "index.html",
    )


def test_a_comment_flood_leaves_the_contact_form_open_behind_nginx(
    readers, post, writer
):
    a, _ = readers

    comments = [a.comment(post, n) for n in range(LIMIT + 1)]
    contact_status, contact_page = a.contact(writer, 1)

    assert comments == [303] * LIMIT + [429]
    assert contact_status == 200
    assert "Message sent" in contact_page
    assert OutgoingEmail.objects.filter(key__startswith="contact:").count() == 1


def test_a_contact_flood_leaves_the_comment_form_open_behind_nginx(
    readers, post, writer
):
    a, b = readers

    contacts = [a.contact(writer, n)[0] for n in range(LIMIT + 1)]
    comment = a.comment(post, 1)
    contact_b = b.contact(writer, 99)[0]

    assert contacts == [200] * LIMIT + [429]
    assert comment == 303
    assert contact_b == 200
    assert addresses_of(a) == [READER_A]
