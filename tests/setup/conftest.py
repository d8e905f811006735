"""Fixtures for the set-up tests: the demo site, loaded once per module."""

import pytest
from django.db import transaction

from afterword.instance.demo.loader import load_demo


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The demo blog, loaded once for a module of tests that only read it.

    Loading takes seconds (images, renditions, Markdown), so the read-only
    tests share one load inside an outer transaction that is rolled back when
    the module ends; each test's own transaction nests inside it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo(log=lambda message: None)
        transaction.set_rollback(True)
