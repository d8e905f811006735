from django.contrib.auth.models import update_last_login

from afterword.pagecache.state import read_state
from tests.factories import UserFactory


def test_editing_a_writers_profile_starts_a_new_content_version(
    db, django_capture_on_commit_callbacks
):
    author = UserFactory(display_name="Old name", is_staff=True)
    before = read_state()

    author.display_name = "New name"
    with django_capture_on_commit_callbacks(execute=True):
        author.save()

    after = read_state()
    assert after is not None
    assert before is None or after.version != before.version


def test_signing_in_leaves_cached_pages_alone(db, django_capture_on_commit_callbacks):
    reader = UserFactory(is_staff=True)
    before = read_state()

    with django_capture_on_commit_callbacks(execute=True):
        update_last_login(None, reader)

    assert read_state() == before
