import pytest
from django.core.cache import cache

from tests.support.oauth_servers import oauth_server  # noqa: F401
from tests.support.peers import peers  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()
