"""schema.org structured data for reviews, works and people.

Built as plain dicts so tests can compare values; ``to_script`` turns one
into a ``<script type="application/ld+json">`` element that is safe to put
in a page (no ``</script>`` can escape from the data).
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from afterword.core.jsonld import script_json
from afterword.core.urls import absolute

from .models import Person, PostWork, Work

SCHEMA_TYPES = {
    Work.Kind.FILM: "Movie",
    Work.Kind.ANIME_FILM: "Movie",
    Work.Kind.SHORT: "Movie",
    Work.Kind.SEGMENT: "Movie",
    Work.Kind.TV_SERIES: "TVSeries",
    Work.Kind.EPISODE: "Episode",
    Work.Kind.NOVEL: "Book",
    Work.Kind.BOOK: "Book",
    Work.Kind.MANGA: "Book",
    Work.Kind.SHORT_STORY: "ShortStory",
    Work.Kind.GAME: "VideoGame",
    Work.Kind.ALBUM: "MusicAlbum",
}


def schema_type(work: Work) -> str:
    return SCHEMA_TYPES.get(work.kind, "CreativeWork")


def _agent(obj) -> dict:
    if isinstance(obj, Person):
        return {
            "@type": "Person",
            "name": obj.name,
            "url": absolute(obj.get_absolute_url()),
        }
    return {
        "@type": "Organization",
        "name": obj.name,
        "url": absolute(obj.get_absolute_url()),
    }


def work_summary(work: Work) -> dict:
    """The short form of a work, used inside other objects."""
    data = {
        "@type": schema_type(work),
        "name": work.title,
        "url": absolute(work.get_absolute_url()),
    }
    if work.year:
        data["dateCreated"] = str(work.year)
    return data


def work_data(work: Work, people: dict[str, list], parts: list[Work]) -> dict:
    """A work page's object: its facts, its makers, its parts."""
    data = {"@context": "https://schema.org", **work_summary(work)}
    alternates = [t for t in [work.original_title, *work.alternative_title_list] if t]
    if alternates:
        data["alternateName"] = alternates
    if work.year:
        data["datePublished"] = str(work.year)
    if work.synopsis:
        data["description"] = work.synopsis
    if work.image_id:
        data["image"] = absolute(work.image.url)
    if work.runtime and schema_type(work) == "Movie":
        data["duration"] = f"PT{work.runtime}M"
    if work.country:
        data["countryOfOrigin"] = {"@type": "Country", "name": work.country}
    for prop, agents in people.items():
        data[prop] = [_agent(a) for a in agents]
    if parts:
        data["hasPart"] = [work_summary(p) for p in parts]
    if work.parent_id:
        data["isPartOf"] = work_summary(work.parent)
    return data


def person_data(person: Person, job_titles: list[str]) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": person.name,
        "url": absolute(person.get_absolute_url()),
    }
    alternates = [n for n in [person.native_name, *person.alternative_name_list] if n]
    if alternates:
        data["alternateName"] = alternates
    if job_titles:
        data["jobTitle"] = job_titles
    if person.bio:
        data["description"] = person.bio
    if person.link_list:
        data["sameAs"] = person.link_list
    if person.image_id:
        data["image"] = absolute(person.image.url)
    return data


def format_rating(value) -> str:
    """4.0 -> "4", 3.5 -> "3.5" (never scientific notation)."""
    return str(int(value)) if value == value.to_integral_value() else str(value)


def review_data(post, link: PostWork, scale: int) -> dict:
    """A review post's object, reviewing its primary (or first) work."""
    data = {
        "@context": "https://schema.org",
        "@type": "Review",
        "name": post.title,
        "url": absolute(post.get_absolute_url()),
        "itemReviewed": work_summary(link.work),
        "author": {"@type": "Person", "name": post.author.public_name},
    }
    if post.published_at:
        data["datePublished"] = post.published_at.isoformat()
    if link.rating is not None and scale:
        data["reviewRating"] = {
            "@type": "Rating",
            "ratingValue": format_rating(link.rating),
            "bestRating": str(scale),
            "worstRating": "0",
        }
    return data


def to_script(data: dict, nonce: str = "") -> SafeString:
    """A JSON-LD script element; ``<``, ``>`` and ``&`` are escaped as JSON."""
    text = script_json(data)
    if nonce:
        return format_html(
            '<script type="application/ld+json" nonce="{}">{}</script>',
            nonce,
            mark_safe(text),
        )
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text)
    )
