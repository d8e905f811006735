"""Two app servers behind nginx, a read replica, Redis and a bucket (issue 15).

Every part is a real server on loopback, started by ``cluster.py`` with the
commands docs/deploy.md gives under "Several app servers". Each test does
what a writer or a reader does, over HTTP, on one node, and looks at the
other node, at nginx, at the SMTP server, at the webhook receiver and at
the databases.
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
import uuid
import zipfile
from io import BytesIO
from urllib.parse import urlencode, urlsplit

import pytest
from PIL import Image as PILImage

from .cluster import BUCKET, HOST, LEASE_SECONDS, REPLICA_WINDOW, Cluster

pytestmark = [pytest.mark.serial, pytest.mark.postgres, pytest.mark.redis]

PROPAGATION_LIMIT = 1.0


def wait_for(check, timeout: float, step: float = 0.02) -> float:
    """Seconds until ``check()`` is true; fails after ``timeout``."""
    started = time.monotonic()
    while True:
        if check():
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            pytest.fail(f"not within {timeout} s: {check.__doc__ or check}")
        time.sleep(step)


def publish(cluster: Cluster, node, title: str, body: str = "") -> dict:
    status, headers, answer = cluster.api(
        node,
        "POST",
        "/posts",
        {"title": title, "body": body or f"{title}: a review.", "status": "published"},
    )
    assert status == 201, answer[:500]
    post = json.loads(answer)
    post["path"] = urlsplit(post["url"]).path
    post["headers"] = headers
    return post


def text_of(answer) -> str:
    return answer[2].decode("utf-8", "replace")


def test_a_publish_and_a_delete_on_one_node_reach_the_other_and_nginx_within_a_second(
    cluster, record_property
):
    front = cluster.front()
    # Both nodes and nginx's page files hold the home page before the change.
    assert front.request("GET", "/")[0] == 200
    status, headers, _ = front.request("GET", "/")
    assert (status, headers["X-Page-Cache"]) == (200, "nginx")
    assert cluster.b.get("/")[0] == 200

    title = f"Tampopo {uuid.uuid4().hex[:6]}"
    post = publish(cluster, cluster.a, title)
    published = time.monotonic()

    def on_b():
        """node B serves the new post and lists it on its home page"""
        return cluster.b.get(post["path"])[0] == 200 and title in text_of(
            cluster.b.get("/")
        )

    def from_nginx_files():
        """nginx serves a page file of the home page listing the post"""
        answer = front.request("GET", "/")
        return answer[1]["X-Page-Cache"] == "nginx" and title in text_of(answer)

    wait_for(on_b, 5)
    b_publish = time.monotonic() - published
    wait_for(from_nginx_files, 5)
    nginx_publish = time.monotonic() - published

    status, _, _ = cluster.api(cluster.a, "DELETE", f"/posts/{post['id']}")
    assert status == 204
    deleted = time.monotonic()

    def gone_on_b():
        """node B no longer serves or lists the post"""
        return cluster.b.get(post["path"])[0] in (404, 410) and title not in text_of(
            cluster.b.get("/")
        )

    def gone_from_nginx():
        """nginx's page file of the home page no longer lists it"""
        answer = front.request("GET", "/")
        return answer[1]["X-Page-Cache"] == "nginx" and title not in text_of(answer)

    wait_for(gone_on_b, 5)
    b_delete = time.monotonic() - deleted
    wait_for(gone_from_nginx, 5)
    nginx_delete = time.monotonic() - deleted
    assert front.request("GET", post["path"])[0] in (404, 410)

    figures = {
        "publish on A, seen on B": b_publish,
        "publish on A, in nginx's page file": nginx_publish,
        "delete on A, gone on B": b_delete,
        "delete on A, gone from nginx's page file": nginx_delete,
    }
    record_property(
        "figure",
        "multinode propagation (s): "
        + ", ".join(f"{name} {value:.3f}" for name, value in figures.items()),
    )
    for name, seconds in figures.items():
        assert seconds <= PROPAGATION_LIMIT, f"{name}: {seconds:.3f} s"


def readers(cluster: Cluster) -> list[str]:
    return [f"reader{number}@example.org" for number in range(cluster.FOLLOWERS)]


def test_tasks_run_on_both_nodes_and_each_email_and_webhook_arrives_once(cluster):
    sink, hooks = cluster.sink, cluster.hooks
    before = {address: sink.recipients[address] for address in readers(cluster)}
    hooks_before = len(hooks.received)
    nodes = [cluster.a, cluster.b, cluster.a, cluster.b]
    posts = [
        publish(cluster, node, f"Night {number} {uuid.uuid4().hex[:6]}")
        for number, node in enumerate(nodes)
    ]

    def all_arrived():
        """every follower has an email for each post, every webhook arrived"""
        return all(
            sink.recipients[address] >= before[address] + len(posts)
            for address in readers(cluster)
        ) and len(hooks.received) >= hooks_before + len(posts)

    wait_for(all_arrived, 40, step=0.1)
    time.sleep(1.5)  # time for a duplicate to show up
    assert {
        address: sink.recipients[address] - before[address]
        for address in readers(cluster)
    } == {address: len(posts) for address in readers(cluster)}
    assert set(sink.received.values()) == {1}, "an email arrived twice"
    assert set(hooks.received.values()) == {1}, "a webhook arrived twice"
    published = [
        body["data"]["post"]["id"]
        for event, body in hooks.events
        if event == "post.published"
    ]
    assert sorted(published[-len(posts) :]) == sorted(p["id"] for p in posts)

    ran_on = {
        cluster.node_of_worker(worker)
        for (worker,) in cluster.sql(
            "select distinct worker_ids ->> -1 from django_tasks_database_dbtaskresult"
            " where status = 'SUCCESSFUL' and jsonb_array_length(worker_ids) > 0"
        )
    }
    assert {"a", "b"} <= ran_on, f"tasks ran on {ran_on}"


def test_a_task_worker_killed_mid_send_loses_no_email_and_repeats_none(
    cluster, record_property
):
    from django.test import override_settings

    from afterword.outbox.delivery import message_id_for

    sink = cluster.sink
    before = {address: sink.recipients[address] for address in readers(cluster)}
    holding = sink.hold_next()
    publish(cluster, cluster.b, f"Killed mid-send {uuid.uuid4().hex[:6]}")
    assert holding.wait(30), "no email reached DATA"
    [held] = sink.held[-1:]

    with override_settings(
        SECRET_KEY=cluster.env["AFTERWORD_SECRET_KEY"],
        SITE_URL=cluster.env["AFTERWORD_SITE_URL"],
    ):
        # The Message-ID a sender set, else the outbox's own.
        ids = {
            (headers or {}).get("Message-ID") or message_id_for(key): claimed_by
            for key, headers, claimed_by in cluster.sql(
                "select key, headers, claimed_by from outbox_outgoingemail"
                " where status = 'sending'"
            )
        }
    worker = ids[held]
    node_name = cluster.node_of_worker(worker)
    node = {"a": cluster.a, "b": cluster.b}[node_name]
    victim = node.task_worker()
    [(lease_pid,)] = cluster.sql(
        "select pid from taskworker_workerlease where worker_id = %s", worker
    )
    assert victim == lease_pid, "the worker inside DATA is the one killed"
    os.kill(victim, signal.SIGKILL)
    killed = time.monotonic()
    wait_for(lambda: node.task_worker() not in (None, victim), 15)
    restarted = time.monotonic() - killed
    sink.release()

    def all_arrived():
        """every follower has the post's email, the held one included"""
        return sink.received[held] == 1 and all(
            sink.recipients[address] >= before[address] + 1
            for address in readers(cluster)
        )

    wait_for(all_arrived, 40, step=0.1)
    resent = time.monotonic() - killed
    time.sleep(1.5)
    assert {
        address: sink.recipients[address] - before[address]
        for address in readers(cluster)
    } == dict.fromkeys(readers(cluster), 1)
    assert set(sink.received.values()) == {1}
    record_property(
        "figure",
        f"multinode kill -9 of node {node_name}'s task worker inside SMTP DATA: "
        f"restarted by serve after {restarted:.2f} s, held email sent once "
        f"{resent:.2f} s after the kill (lease {LEASE_SECONDS} s)",
    )


def jpeg() -> bytes:
    buffer = BytesIO()
    PILImage.new("RGB", (640, 420), (30, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def multipart(fields: dict[str, str], file: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        f"{value}\r\n".encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="harbour.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
        + file
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.fixture(scope="module")
def uploaded(cluster) -> dict:
    """An image uploaded through the API on node A."""
    body, content_type = multipart({"alt_text": "A harbour at dusk"}, jpeg())
    status, _, answer = cluster.api(
        cluster.a, "POST", "/media", body, headers={"Content-Type": content_type}
    )
    assert status == 201, answer[:500]
    image = json.loads(answer)
    image["path"] = urlsplit(image["url"]).path
    image["key"] = image["path"].removeprefix("/media/")
    image["bytes"] = (
        cluster.moto.client().get_object(Bucket=BUCKET, Key=image["key"])["Body"].read()
    )
    return image


def test_an_upload_on_one_node_is_served_by_the_other_from_the_bucket(
    cluster, uploaded
):
    assert uploaded["key"] in cluster.moto.keys(BUCKET)
    assert not any((cluster.folder / "data").glob("media/**/*.jpg"))
    status, headers, body = cluster.b.get(uploaded["path"])
    assert status == 200
    assert headers["Content-Type"] == "image/jpeg"
    assert body == uploaded["bytes"]
    status, _, body = cluster.front().request("GET", uploaded["path"])
    assert (status, body) == (200, uploaded["bytes"])


def test_a_read_goes_to_the_replica_and_the_writer_reads_its_write_from_the_primary(
    cluster, record_property
):
    def caught_up():
        """the replica has replayed everything the primary wrote"""
        [(lsn,)] = cluster.sql("select pg_current_wal_lsn()::text")
        [(replayed,)] = cluster.sql(
            "select pg_last_wal_replay_lsn() >= %s::pg_lsn", lsn, replica=True
        )
        return replayed

    wait_for(caught_up, 10)
    cluster.sql("select pg_wal_replay_pause()", replica=True)
    try:
        post = publish(cluster, cluster.a, f"Paused {uuid.uuid4().hex[:6]}")
        written = time.monotonic()
        marker = post["headers"].get_all("Set-Cookie") or []
        [cookie] = [
            c.split(";")[0] for c in marker if c.startswith("afterword_primary=")
        ]
        # The writer's next page, on the other node: from the primary.
        assert cluster.b.get(post["path"], Cookie=cookie)[0] == 200
        assert time.monotonic() - written < REPLICA_WINDOW
        # The replica does not have the post yet ...
        [(count,)] = cluster.sql(
            "select count(*) from posts_post where id = %s", post["id"], replica=True
        )
        assert count == 0
        # ... so a reader, once the window has passed, does not see it: the
        # read went to the replica.
        time.sleep(max(0.0, REPLICA_WINDOW + 0.3 - (time.monotonic() - written)))
        assert cluster.b.get(post["path"])[0] == 404
        assert cluster.a.get(post["path"])[0] == 404
    finally:
        cluster.sql("select pg_wal_replay_resume()", replica=True)
    resumed = wait_for(lambda: cluster.b.get(post["path"])[0] == 200, 10)
    record_property(
        "figure",
        f"multinode replica: reader sees the post {resumed:.3f} s after replay resumed",
    )


def test_a_writer_signed_in_on_one_node_is_signed_in_on_the_other_through_redis(
    cluster,
):
    status, headers, answer = cluster.a.get("/accounts/login/")
    assert status == 200
    [csrf] = [
        c.split(";")[0]
        for c in headers.get_all("Set-Cookie") or []
        if c.startswith("csrftoken=")
    ]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.decode())
    form = urlencode(
        {
            "login": "ada",
            "password": "not-used-here",
            "csrfmiddlewaretoken": token.group(1),
        }
    )
    status, headers, _ = cluster.a.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": csrf,
            "Referer": f"https://{HOST}/accounts/login/",
        },
    )
    assert status == 302
    [session] = [
        c.split(";")[0]
        for c in headers.get_all("Set-Cookie") or []
        if c.startswith("sessionid=")
    ]
    assert cluster.b.get("/desk/", Cookie=session)[0] == 200
    # The other node read it from Redis: with its database row gone, the
    # session still opens the desk there.
    cluster.sql("delete from django_session")
    status, _, answer = cluster.b.get("/desk/", Cookie=session)
    assert status == 200, answer[:300]
    assert "ada" in answer.decode()


def test_export_and_the_static_build_read_media_from_the_bucket(
    cluster, uploaded, tmp_path
):
    archive = tmp_path / "site.zip"
    cluster.afterwords(["export", str(archive)], ["build", str(tmp_path / "site")])
    with zipfile.ZipFile(archive) as packed:
        assert packed.read(f"media/{uploaded['key']}") == uploaded["bytes"]
    built = tmp_path / "site" / "media" / uploaded["key"]
    assert built.read_bytes() == uploaded["bytes"]
