import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def desk(client, writer):
    """A client logged in as the writer."""
    client.force_login(writer)
    return client


@pytest.fixture
def reader_page(browser):
    """A second browser, not logged in: how an anonymous reader sees the site."""
    context = browser.new_context()
    reader = context.new_page()
    reader.set_default_timeout(10_000)
    yield reader
    # Closed here, not at the end of the session, so that its open
    # connections to the live server end while the server still runs.
    context.close()
