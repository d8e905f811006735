"""What followers receive when a writer publishes, edits and deletes."""

from __future__ import annotations

import json

import pytest

from afterword.catalog.models import PostWork, Work
from afterword.federation import signatures
from afterword.federation.actors import author_actor
from afterword.federation.models import Delivery, Follower, Instance, RemoteActor
from afterword.posts import actions as post_actions
from tests.federation.conftest import RemoteAccount
from tests.support.peers import send

# The task worker runs in the test (run_tasks) and ends its own database
# connection: only a transactional test survives that on PostgreSQL.
pytestmark = pytest.mark.django_db(transaction=True)

AS = "application/activity+json"


def befriend(account: RemoteAccount, author) -> Follower:
    """``account`` follows ``author``, as the inbox would record it."""
    remote = RemoteActor.objects.create(
        uri=account.uri,
        inbox=f"{account.peer.url}{account.inbox_path}",
        shared_inbox=f"{account.peer.url}{account.shared_path}"
        if account.shared_path
        else "",
        domain="127.0.0.1",
        username=account.name,
        key_id=account.key_id,
        public_key_pem=account.public_pem,
    )
    return Follower.objects.create(
        actor=author_actor(author),
        remote=remote,
        state=Follower.State.ACCEPTED,
        follow_id=account.new_id(),
    )


def received(account, kind=None):
    found = account.deliveries()
    return [a for a in found if kind is None or a["type"] == kind]


def test_publishing_sends_a_signed_create_article(
    remote_account, author, post_factory, run_tasks, django_capture_on_commit_callbacks
):
    post_factory(author=author, slug="warmup")  # makes the author an actor
    befriend(remote_account, author)
    post = post_factory(
        author=author,
        title="Stink Bomb",
        slug="stink-bomb",
        body="The second segment.\n\n![A lab](/media/lab.png)",
    )
    run_tasks()
    create = received(remote_account, "Create")[-1]
    article = create["object"]
    assert create["actor"] == "http://testserver/author/ada/"
    assert article["type"] == "Article"
    assert article["name"] == "Stink Bomb"
    assert article["url"] == f"http://testserver{post.get_absolute_url()}"
    assert article["attachment"][0]["name"] == "A lab"
    assert article["sensitive"] is False
    # The signature verifies with the key the actor document publishes.
    request = [r for r in remote_account.peer.received if r.method == "POST"][-1]
    headers = {k.lower(): v for k, v in request.headers.items()}
    signed = signatures.parse(headers)
    signatures.check_digest(headers, request.body)
    signatures.verify(
        signed, "POST", request.path, headers, author_actor(author).public_key_pem
    )


def test_a_spoiler_becomes_a_content_warning(
    remote_account, author, post_factory, run_tasks, django_capture_on_commit_callbacks
):
    post_factory(author=author, slug="warmup")
    befriend(remote_account, author)
    work = Work.objects.create(title="Magnetic Rose", slug="magnetic-rose", year=1995)
    draft = post_factory(
        author=author,
        slug="magnetic",
        title="Magnetic Rose, reviewed",
        status="draft",
        published_at=None,
        body="Opera.\n\n::: spoiler The ending\nShe was never there.\n:::\n",
    )
    PostWork.objects.create(post=draft, work=work, is_primary=True, rating=4.5)
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.PublishPost(draft).run()
    run_tasks()
    article = received(remote_account, "Create")[-1]["object"]
    assert article["sensitive"] is True
    assert article["summary"] == "Spoilers: Magnetic Rose"
    assert "Magnetic Rose (1995)</a> — rated 4.5 out of 5" in article["content"]


def test_edit_update_and_delete(
    client,
    remote_account,
    author,
    post_factory,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    post_factory(author=author, slug="warmup")
    befriend(remote_account, author)
    post = post_factory(author=author, slug="edited", title="Before")
    pk = post.pk
    post.title = "After"
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.save_post(post)
    run_tasks()
    update = received(remote_account, "Update")[-1]
    assert update["object"]["name"] == "After"
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.delete_post(post)
    run_tasks()
    gone = received(remote_account, "Delete")[-1]
    assert gone["object"]["id"] == f"http://testserver/ap/posts/{pk}"
    tomb = client.get(f"/ap/posts/{pk}", HTTP_ACCEPT=AS)
    assert tomb.status_code == 410
    assert tomb.json()["type"] == "Tombstone"


def test_unpublishing_or_making_private_sends_delete(
    remote_account, author, post_factory, run_tasks, django_capture_on_commit_callbacks
):
    post_factory(author=author, slug="warmup")
    befriend(remote_account, author)
    first = post_factory(author=author, slug="first")
    second = post_factory(author=author, slug="second")
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.UnpublishPost(first).run()
        second.visibility = "private"
        post_actions.save_post(second)
    run_tasks()
    gone = {a["object"]["id"] for a in received(remote_account, "Delete")}
    assert gone == {
        f"http://testserver/ap/posts/{first.pk}",
        f"http://testserver/ap/posts/{second.pk}",
    }


def test_private_unlisted_and_drafts_send_nothing(
    remote_account, author, post_factory, run_tasks
):
    post_factory(author=author, slug="warmup")
    befriend(remote_account, author)
    before = len(received(remote_account))
    post_factory(author=author, slug="p", visibility="private", title="Secret")
    post_factory(author=author, slug="u", visibility="unlisted", title="Quiet")
    post_factory(author=author, slug="d", status="draft", published_at=None)
    run_tasks()
    sent = received(remote_account)[before:]
    assert sent == []
    assert "Secret" not in json.dumps(list(Delivery.objects.values_list("payload")))


def test_one_delivery_per_server_with_a_shared_inbox(
    peers, author, post_factory, run_tasks
):
    post_factory(author=author, slug="warmup")
    server = peers()
    first, second = RemoteAccount(server, "one"), RemoteAccount(server, "two")
    lonely_server = peers()
    lonely_a = RemoteAccount(lonely_server, "a", shared=False)
    lonely_b = RemoteAccount(lonely_server, "b", shared=False)
    for account in (first, second, lonely_a, lonely_b):
        befriend(account, author)
    post_factory(author=author, slug="news")
    run_tasks()
    posts = [r for r in server.received if r.method == "POST"]
    assert [r.path for r in posts] == ["/inbox"]
    lonely = sorted(r.path for r in lonely_server.received if r.method == "POST")
    assert lonely == ["/users/a/inbox", "/users/b/inbox"]


def test_the_blog_actor_boosts_to_its_own_followers(
    peers, author, post_factory, run_tasks
):
    from afterword.federation.actors import site_actor

    post_factory(author=author, slug="warmup")
    account = RemoteAccount(peers(), "fan")
    follower = befriend(account, author)
    follower.actor = site_actor()
    follower.save()
    post = post_factory(author=author, slug="boosted")
    run_tasks()
    boost = received(account, "Announce")[-1]
    assert boost["actor"] == "http://testserver/"
    assert boost["object"] == f"http://testserver/ap/posts/{post.pk}"


def test_a_failing_server_is_retried_then_marked_and_skipped_when_dead(
    remote_account, author, post_factory, run_tasks, settings
):
    from datetime import timedelta

    from django.utils import timezone

    post_factory(author=author, slug="warmup")
    befriend(remote_account, author)
    answers = [500, 502]

    def flaky(handler):
        send(handler, answers.pop(0) if answers else 202)

    remote_account.peer.routes["/inbox"] = flaky
    post_factory(author=author, slug="retried")
    for _ in range(3):
        run_tasks()
    delivery = Delivery.objects.get(payload__type="Create", inbox__endswith="/inbox")
    assert delivery.state == "delivered"
    assert delivery.attempts == 3
    assert Instance.objects.get().failing_since is None
    # A server failing for over a week is skipped.
    Instance.objects.update(failing_since=timezone.now() - timedelta(days=8))
    creates = Delivery.objects.filter(payload__type="Create").count()
    post_factory(author=author, slug="skipped")
    assert Delivery.objects.filter(payload__type="Create").count() == creates


def test_deliveries_in_flight_to_one_server_are_bounded(
    remote_account, author, post_factory, settings
):
    from django.utils import timezone

    from afterword.federation import delivery

    settings.AFTERWORD_FEDERATION_PER_SERVER = 1
    post_factory(author=author, slug="warmup")
    befriend(remote_account, author)
    post_factory(author=author, slug="bounded")
    [waiting] = Delivery.objects.filter(payload__type="Create")
    busy = Delivery.objects.create(
        activity_id="http://testserver/ap/activities/other",
        inbox=waiting.inbox,
        domain=waiting.domain,
        signer=waiting.signer,
        payload={},
        state=Delivery.State.SENDING,
    )
    later = []
    assert (
        delivery.deliver(waiting.pk, lambda pk, when: later.append((pk, when))) is False
    )
    waiting.refresh_from_db()
    assert (waiting.state, waiting.attempts) == ("pending", 0)
    assert later and later[0][0] == waiting.pk and later[0][1] > timezone.now()
    busy.delete()
    assert delivery.deliver(waiting.pk, lambda pk, when: None) is True
