"""A request reads the content version once, and sees its own new versions."""

from __future__ import annotations

import pytest

from afterword.pagecache.state import current_state, new_version, one_read_per_request
from afterword.pagecache.version import STATE_KEY, shared_cache

pytestmark = pytest.mark.django_db


def another_process_starts_a_version(name: str) -> None:
    shared_cache().set(STATE_KEY, (name, 1.0, None), None)


def test_a_request_keeps_the_version_it_read_first():
    another_process_starts_a_version("first")
    with one_read_per_request():
        assert current_state().version == "first"
        another_process_starts_a_version("second")
        # The page under way is rendered from one version throughout.
        assert current_state().version == "first"
    # The next request reads afresh.
    assert current_state().version == "second"
    with one_read_per_request():
        assert current_state().version == "second"


def test_a_request_sees_the_version_its_own_change_started():
    another_process_starts_a_version("first")
    with one_read_per_request():
        assert current_state().version == "first"
        started = new_version()
        assert current_state().version == started.version != "first"


def test_a_scheduled_time_passing_mid_request_still_starts_a_version():
    shared_cache().set(STATE_KEY, ("first", 1.0, 50.0), None)
    with one_read_per_request():
        assert current_state(now=10.0).version == "first"
        later = current_state(now=60.0)
        assert later.version != "first"
        assert current_state(now=61.0).version == later.version
