"""The sliding window behind the API's rate limit and the forms' flood control."""

import pytest
from django.core.cache import cache

from afterword.core.ratecount import count_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def counts(key, times, window=60):
    return [count_attempt(key, window, now=at) for at in times]


def test_a_burst_across_a_window_edge_is_still_one_burst():
    # The failure a fixed window had: two attempts just before the minute
    # turned and two just after all came in under a limit of three.
    attempts = counts("edge", [119.97, 119.98, 120.01, 120.02])
    assert [a.over(3) for a in attempts] == [False, False, False, True]


def test_a_client_cannot_spend_two_allowances_across_the_edge():
    early = counts("two", [59.0] * 3)
    assert not any(a.over(3) for a in early)
    # A second later the window has turned; the first three still count.
    assert count_attempt("two", 60, now=60.5).over(3)


def test_the_previous_window_fades_as_time_passes():
    counts("fade", [30.0] * 4)
    # Halfway into the next window, four earlier attempts weigh two.
    halfway = count_attempt("fade", 60, now=90.0)
    assert halfway.count == pytest.approx(3.0)
    assert not halfway.over(3)
    # Two windows later nothing earlier is left.
    assert count_attempt("fade", 60, now=185.0).count == 1


def test_retry_after_is_when_one_more_attempt_would_pass():
    attempts = counts("retry", [10.0] * 4)
    refused = attempts[-1]
    assert refused.over(3)
    wait = refused.seconds_until_allowed(3)
    # Four attempts in the window: the next is allowed once they weigh
    # at most two, 30 s into the next window, 80 s from now.
    assert wait == 80
    assert not count_attempt("retry-probe", 60, now=10.0).over(3)  # own key
    later = count_attempt("retry", 60, now=10.0 + wait)
    assert not later.over(3)


def test_retry_after_within_the_window_when_the_previous_one_fades():
    counts("within", [50.0] * 3)
    refused = count_attempt("within", 60, now=61.0)
    assert refused.over(3)
    wait = refused.seconds_until_allowed(3)
    assert 1 <= wait < 59
    assert not count_attempt("within", 60, now=61.0 + wait).over(3)


def test_keys_do_not_share_counts():
    counts("one", [5.0] * 5)
    assert count_attempt("other", 60, now=5.0).count == 1
