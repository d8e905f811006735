"""Atom and RSS feeds of the posts about a work, or about anything by a person.

They extend the site's post feed (``afterword.feeds.feeds.PostFeed``), so
they carry the same full content, absolute URLs and spoiler-free summaries;
only the choice of posts differs. “New reviews of anything by this
director” is the person feed: posts about any work the person is credited
on (or about a part of a work whose credit applies to its parts), and posts
that mention them.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from afterword.feeds.absolute import site_url
from afterword.feeds.feeds import ContentAtomFeed, PostFeed

from .models import Person, Work
from .queries import person_feed_condition, work_feed_condition


class WorkFeed(PostFeed):
    """Posts about a work or any of its parts (RSS 2.0)."""

    url_name = "catalog:work-rss"

    def get_object(self, request, slug: str) -> Work:
        return get_object_or_404(Work, slug=slug)

    def filter_posts(self, posts, obj: Work):
        return posts.filter(work_feed_condition(obj))

    def title(self, obj: Work) -> str:
        return _("%(site)s: posts about %(work)s") % {
            "site": settings.SITE_NAME,
            "work": obj,
        }

    def description(self, obj: Work) -> str:
        return _("New posts about %(work)s and its parts on %(site)s.") % {
            "work": obj,
            "site": settings.SITE_NAME,
        }

    def link(self, obj: Work) -> str:
        return site_url(obj.get_absolute_url())


class WorkAtomFeed(WorkFeed):
    feed_type = ContentAtomFeed
    url_name = "catalog:work-atom"


class PersonFeed(PostFeed):
    """Posts about anything the person made, or mentioning them (RSS 2.0)."""

    url_name = "catalog:person-rss"

    def get_object(self, request, slug: str) -> Person:
        return get_object_or_404(Person, slug=slug)

    def filter_posts(self, posts, obj: Person):
        return posts.filter(person_feed_condition(obj))

    def title(self, obj: Person) -> str:
        return _("%(site)s: posts about works by %(name)s") % {
            "site": settings.SITE_NAME,
            "name": obj.name,
        }

    def description(self, obj: Person) -> str:
        return _("New posts about %(name)s and the works they made.") % {
            "name": obj.name
        }

    def link(self, obj: Person) -> str:
        return site_url(obj.get_absolute_url())


class PersonAtomFeed(PersonFeed):
    feed_type = ContentAtomFeed
    url_name = "catalog:person-atom"
