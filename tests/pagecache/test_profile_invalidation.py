from django.contrib.auth.models import update_last_login

from afterword.pagecache.state import read_state
from tests.factories import UserFactory


def test_editing_a_profile_starts_a_new_content_version(db):
    author = UserFactory(display_name="Old name")
    before = read_state()

    author.display_name = "New name"
    author.save()

    after = read_state()
    assert after is not None
    assert before is None or after.version != before.version


def test_signing_in_leaves_cached_pages_alone(db):
    reader = UserFactory()
    before = read_state()

    update_last_login(None, reader)

    assert read_state() == before
