"""``afterword setup_site``: what ``make run`` does before it serves."""

import re
from io import StringIO

import pytest
from django.contrib.sites.models import Site
from django.core.management import call_command

from afterword.accounts.models import User
from afterword.posts.models import Post
from tests.setup.helpers import counts

pytestmark = pytest.mark.django_db

PASSWORD_LINE = re.compile(r"password: (\S+)")


def setup_site(*args: str) -> str:
    out = StringIO()
    call_command("setup_site", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_setup_site_prints_the_admin_password_once_and_it_works(settings):
    settings.SITE_URL = "https://reviews.example.org"

    first = setup_site("--no-demo")
    second = setup_site("--no-demo")

    passwords = PASSWORD_LINE.findall(first)
    assert len(passwords) == 1
    admin = User.objects.get(is_superuser=True)
    assert admin.username == "admin"
    assert admin.check_password(passwords[0])
    assert "password" not in second
    assert User.objects.filter(is_superuser=True).count() == 1
    assert Site.objects.get(pk=settings.SITE_ID).domain == "reviews.example.org"


def test_setup_site_loads_the_demo_into_an_empty_site_only_once():
    first = setup_site()
    after_first = counts()
    second = setup_site()

    assert "Demo content: 8 posts" in first
    assert "demo content not loaded" in second
    assert counts() == after_first
    assert Post.objects.filter(slug="memories-part-1-magnetic-rose").count() == 1


def test_setup_site_leaves_a_non_admin_user_called_admin_alone():
    User.objects.create_user(username="admin", password="their own password")
    err = StringIO()

    call_command("setup_site", "--no-demo", stdout=StringIO(), stderr=err)

    assert "exists but is not a superuser" in err.getvalue()
    assert not User.objects.filter(is_superuser=True).exists()
    assert User.objects.get(username="admin").check_password("their own password")
