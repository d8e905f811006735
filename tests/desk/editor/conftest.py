import pytest

from afterword.accounts.actions import SetRole
from tests import factories


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def make_writer(db):
    """An account with one of the four roles, made the way an admin makes it."""

    def make(role: str, username: str | None = None):
        account = factories.UserFactory(username=username or role)
        SetRole(account, role).run()
        return account

    return make


@pytest.fixture
def author(make_writer):
    return make_writer("author")


@pytest.fixture
def contributor(make_writer):
    return make_writer("contributor")


@pytest.fixture
def editor(make_writer):
    return make_writer("editor")
