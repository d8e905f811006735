"""Pingbacks and trackbacks imported from WordPress show in the Mentions
section; importing pings nobody (the old site told those links long ago)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from afterword.posts.models import Post
from afterword.webmention.models import SentWebmention

pytestmark = pytest.mark.django_db(transaction=True)


def import_file(path) -> None:
    call_command("import_wxr", str(path), stdout=StringIO(), stderr=StringIO())


def test_imported_pings_show_under_mentions_and_not_again_as_sent(
    wxr_dir,
    client,
    run_tasks,
):
    import_file(wxr_dir / "theme-unit-test-data.xml")
    post = Post.objects.get(slug="template-pingbacks-an-trackbacks")
    page = client.get(post.get_absolute_url()).content.decode()
    section = page[
        page.index('id="mentions"') : page.index(
            "</section>", page.index('id="mentions"')
        )
    ]
    assert "Linked from" in section
    assert section.count('class="mention-link mention-ping"') == 4
    assert (
        '<a href="http://tellyworth.wordpress.com/2007/11/21/ping-4/"'
        ' rel="nofollow ugc">'
        "Ping 4 « What’s a tellyworth?</a>" in section
    )
    assert "Ping 2 with a much longer title" in section  # no address: not a link
    assert "John Doe" not in section  # a comment, not a ping

    marked = SentWebmention.objects.all()
    assert marked.count() > 10
    assert set(marked.values_list("outcome", flat=True)) == {"imported"}
    run_tasks()  # the queued sends find every link already told
    assert set(SentWebmention.objects.values_list("outcome", flat=True)) == {"imported"}
