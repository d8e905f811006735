"""A writer with a password, and the site's address set to the test server's."""

from __future__ import annotations

import pytest

from tests import factories
from tests.support.peers import peers  # noqa: F401

from .flow import PASSWORD  # noqa: F401


@pytest.fixture
def author(db):
    return factories.writer("author", username="ines")


@pytest.fixture
def site(settings, live_server):
    """The live server as the site: ``me`` and ``iss`` are built on it."""
    settings.SITE_URL = live_server.url
    return live_server.url
