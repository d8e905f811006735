"""A writer with a password, and the site's address set to the test server's."""

from __future__ import annotations

import pytest

from tests import factories
from tests.support.peers import peers  # noqa: F401

from .flow import PASSWORD  # noqa: F401


@pytest.fixture
def author(db):
    """A writer with a published post, so her author page (her ``me``) answers."""
    writer = factories.writer("author", username="ines")
    factories.save(factories.PostFactory.build(author=writer, title="Paprika, again"))
    return writer


@pytest.fixture
def new_writer(db):
    """A writer who has published nothing yet: no author page."""
    return factories.writer("author", username="nadia")


@pytest.fixture
def site(settings, live_server):
    """The live server as the site: ``me`` and ``iss`` are built on it."""
    settings.SITE_URL = live_server.url
    return live_server.url
