"""The thread written in Python is the shipped template's thread, byte for byte."""

from __future__ import annotations

from datetime import timedelta

from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.utils import timezone

from afterword.discussion import thread_html, threads
from afterword.discussion.models import Comment, DiscussionSettings


def add(post, name, *, parent=None, **fields):
    return Comment.objects.create(
        post=post,
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        author_name=name,
        author_email=f"{len(name)}@example.test",
        body=name,
        body_html=f"<p>{name} &amp; more</p>",
        status=Comment.Status.APPROVED,
        **fields,
    )


def items_of(post, *, is_open: bool):
    policy = DiscussionSettings.load()
    return [
        threads.ThreadItem.of(
            comment,
            avatar=threads.avatar_url(comment, policy),
            opens=opens,
            closes=range(closes),
            can_reply=is_open and comment.depth < policy.max_depth - 1,
        )
        for comment, opens, closes in threads.flatten(threads.approved_comments(post))
    ]


def test_python_thread_matches_the_template(post):
    now = timezone.now()
    first = add(post, 'Ann <"the critic">', author_url="https://ann.test/?a=1&b='2'")
    reply = add(post, "Bob", parent=first, is_post_author=True, edited_at=now)
    deeper = add(post, "Cy & Di", parent=reply)
    add(post, "Eve", parent=deeper)
    add(post, "Fay", created_at=now + timedelta(minutes=5))
    add(post, "Gus", parent=first, created_at=now + timedelta(minutes=6))
    url = post.get_absolute_url() + "?x=<y>"
    for is_open in (True, False):
        items = items_of(post, is_open=is_open)
        expected = render_to_string(
            thread_html.TEMPLATE, {"items": items, "post_url": url}
        )
        assert thread_html.write(items, url) == expected
        assert expected.count('<li id="comment-') == 6
    # The strings made in Python are what the template's filters printed.
    for item in items:
        created = item.comment.created_at
        assert item.machine_time == date_filter(created, "c")
        assert item.shown_time == date_filter(created, "j F Y, H:i")
        assert item.anchor == f"comment-{item.comment.pk}"
    assert thread_html.write([], url) == render_to_string(
        thread_html.TEMPLATE, {"items": [], "post_url": url}
    )


def test_an_overridden_template_is_rendered_as_such(post, settings, tmp_path):
    add(post, "Ann")
    folder = tmp_path / "discussion"
    folder.mkdir()
    (folder / "thread.html").write_text(
        "{% for item in items %}<p>{{ item.comment.author_name }}</p>{% endfor %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    items = items_of(post, is_open=True)
    assert thread_html.render(items, post.get_absolute_url()) == "<p>Ann</p>"
