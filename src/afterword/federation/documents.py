"""The site's things as ActivityStreams documents: actors, posts, comments.

Only what any reader may already see is described: ``federates(post)`` is
the rule (a live, public post; never a draft, a private, unlisted or
password-protected post, nor a page). A post is an ``Article`` whose id is
stable (``/ap/posts/<id>``, so a changed slug does not make a new object)
and whose ``url`` is its page. Spoilers travel behind a content warning:
when the post has spoiler blocks or is marked as spoiling a work,
``summary`` names the work ("Spoilers: Magnetic Rose") and ``sensitive`` is
true, which Mastodon shows before the text.
"""

from __future__ import annotations

import re
from datetime import UTC
from html.parser import HTMLParser

from django.utils.html import escape
from django.utils.translation import gettext as _

from afterword.posts.models import Post
from afterword.posts.seo import absolute_url

from . import actors
from .models import LocalActor

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
CONTEXT = [
    "https://www.w3.org/ns/activitystreams",
    "https://w3id.org/security/v1",
    {
        "toot": "http://joinmastodon.org/ns#",
        "schema": "http://schema.org#",
        "sensitive": "as:sensitive",
        "Hashtag": "as:Hashtag",
        "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        "featured": {"@id": "toot:featured", "@type": "@id"},
        "discoverable": "toot:discoverable",
        "PropertyValue": "schema:PropertyValue",
        "value": "schema:value",
    },
]
CONTENT_TYPE = "application/activity+json"
# Relative addresses in stored HTML, made absolute for other servers.
RELATIVE = re.compile(r'(\s(?:href|src))="/(?!/)')


def federates(post: Post) -> bool:
    """The one rule for what reaches the fediverse."""
    return (
        post.kind == Post.Kind.POST
        and post.visibility == Post.Visibility.PUBLIC
        and post.is_live()
    )


def iso(moment) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def absolute_html(html: str) -> str:
    return RELATIVE.sub(lambda m: f'{m.group(1)}="{actors.site_root()}/', html)


# Actors ---------------------------------------------------------------------


def site_name() -> str:
    """The blog's name, as its pages show it (theme.context_processors)."""
    from django.conf import settings

    from afterword.theme.models import SiteAppearance

    return SiteAppearance.load().site_title or settings.SITE_NAME


def actor_document(actor: LocalActor) -> dict:
    from afterword.core.markdown import render_markdown
    from afterword.posts.seo import site_description
    from afterword.theme.models import SiteAppearance

    ident = actors.actor_id(actor)
    document = {
        "@context": CONTEXT,
        "id": ident,
        "preferredUsername": actor.handle,
        "inbox": actors.collection_url(actor, "inbox"),
        "outbox": actors.collection_url(actor, "outbox"),
        "followers": actors.collection_url(actor, "followers"),
        "following": actors.collection_url(actor, "following"),
        "featured": actors.collection_url(actor, "featured"),
        "endpoints": {"sharedInbox": actors.shared_inbox_url()},
        "manuallyApprovesFollowers": actor.approve_followers,
        "discoverable": True,
        "publicKey": {
            "id": actors.key_id(actor),
            "owner": ident,
            "publicKeyPem": actor.public_key_pem,
        },
        "published": iso(actor.created_at),
    }
    if actor.is_site:
        tagline = SiteAppearance.load().tagline or site_description()
        document |= {
            "type": "Service",
            "name": site_name(),
            "summary": f"<p>{escape(tagline)}</p>" if tagline else "",
            "url": ident,
        }
        return document
    user = actor.user
    document |= {
        "type": "Person",
        "name": user.public_name,
        "summary": render_markdown(user.bio, profile="comment").html
        if user.bio
        else "",
        "url": ident,
        "attachment": [
            {
                "type": "PropertyValue",
                "name": str(link.get("label") or link.get("url"))[:100],
                "value": (
                    f'<a href="{escape(link["url"])}" rel="me nofollow noopener" '
                    f'target="_blank">{escape(link["url"])}</a>'
                ),
            }
            for link in (user.profile_links or [])
            if isinstance(link, dict) and str(link.get("url", "")).startswith("http")
        ],
    }
    if user.avatar:
        document["icon"] = {
            "type": "Image",
            "mediaType": "image/png"
            if user.avatar.name.lower().endswith(".png")
            else "image/jpeg",
            "url": absolute_url(user.avatar.url),
        }
    return document


# Posts ----------------------------------------------------------------------


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            values = dict(attrs)
            if values.get("src"):
                self.found.append((values["src"], values.get("alt") or ""))


def images_of(html: str) -> list[dict]:
    parser = _Images()
    parser.feed(html)
    seen, attachments = set(), []
    for src, alt in parser.found:
        url = absolute_url(src)
        if url in seen:
            continue
        seen.add(url)
        kind = "image/png" if url.lower().endswith(".png") else "image/jpeg"
        if url.lower().endswith(".webp"):
            kind = "image/webp"
        attachments.append(
            {"type": "Image", "mediaType": kind, "url": url, "name": alt}
        )
    return attachments


def reviewed_works(post: Post) -> list:
    if "catalog_works" in getattr(post, "_prefetched_objects_cache", {}):
        # A page of the outbox prefetched them with their works.
        return list(post.catalog_works.all())
    return list(post.catalog_works.select_related("work"))


def review_line(links) -> str:
    """The works a post reviews and their ratings, as a sentence."""
    from afterword.catalog.rules import rating_scale

    parts = []
    for link in links:
        work = link.work
        title = escape(work.title) + (f" ({work.year})" if work.year else "")
        named = f'<a href="{escape(absolute_url(work.get_absolute_url()))}">{title}</a>'
        if link.rating is not None and rating_scale():
            rating = f"{link.rating.normalize():f}"
            named += " — " + escape(
                _("rated %(rating)s out of %(scale)s")
                % {"rating": rating, "scale": rating_scale()}
            )
        parts.append(named)
    if not parts:
        return ""
    return "<p>" + escape(_("About:")) + " " + "; ".join(parts) + "</p>"


def content_warning(post: Post, links) -> str:
    """The warning shown before the text, or '' when the post spoils nothing."""
    spoils = 'class="spoiler"' in post.body_html or any(
        link.contains_spoilers for link in links
    )
    if not spoils:
        return ""
    primary = next((link.work for link in links if link.is_primary), None)
    primary = primary or (links[0].work if links else None)
    if primary is None:
        return _("Spoilers")
    return _("Spoilers: %(work)s") % {"work": primary.title}


def article(post: Post, site: LocalActor | None = None) -> dict:
    """The post as an ActivityStreams ``Article``; ``site`` is the blog's
    actor when the caller has it already (a page of the outbox)."""
    links = reviewed_works(post)
    author = actors.author_actor(post.author)
    warning = content_warning(post, links)
    content = absolute_html(post.body_html) + review_line(links)
    tags = list(post.tags.all())
    document = {
        "id": actors.post_object_id(post.pk),
        "type": "Article",
        "attributedTo": actors.actor_id(author),
        "name": post.title,
        "summary": warning or escape(post.summary),
        "sensitive": bool(warning),
        "content": content,
        "mediaType": "text/html",
        "url": absolute_url(post.get_absolute_url()),
        "published": iso(post.published_at),
        "to": [PUBLIC],
        "cc": [
            actors.collection_url(author, "followers"),
            actors.collection_url(site or actors.site_actor(), "followers"),
        ],
        "attachment": images_of(post.body_html),
        "tag": [
            {
                "type": "Hashtag",
                "name": "#" + re.sub(r"\W+", "", tag.name) if tag.name else "#",
                "href": absolute_url(tag.get_absolute_url()),
            }
            for tag in tags
        ],
    }
    if post.updated_at and post.published_at and post.updated_at > post.published_at:
        document["updated"] = iso(post.updated_at)
    return document


def tombstone(object_id: str, deleted_at) -> dict:
    return {
        "@context": CONTEXT,
        "id": object_id,
        "type": "Tombstone",
        "formerType": "Article",
        "deleted": iso(deleted_at),
    }


def with_context(document: dict) -> dict:
    return {"@context": CONTEXT, **document}


# Comments -------------------------------------------------------------------


def note(comment, in_reply_to: str, mention) -> dict:
    """The writer's reply under a post, as a Note answering ``in_reply_to``."""
    author = actors.author_actor(comment.user)
    post_followers = actors.collection_url(author, "followers")
    to = [PUBLIC]
    cc = [post_followers]
    tag = []
    html = comment.body_html
    if mention is not None:
        cc.insert(0, mention.uri)
        tag.append({"type": "Mention", "href": mention.uri, "name": mention.handle})
        profile = escape(mention.url or mention.uri)
        html = (
            f'<p><span class="h-card"><a href="{profile}" class="u-url mention">'
            f"{escape(mention.handle)}</a></span></p>" + html
        )
    return {
        "id": actors.comment_object_id(comment.pk),
        "type": "Note",
        "attributedTo": actors.actor_id(author),
        "inReplyTo": in_reply_to,
        "content": absolute_html(html),
        "url": absolute_url(comment.get_absolute_url()),
        "published": iso(comment.created_at),
        "to": to,
        "cc": cc,
        "tag": tag,
    }
