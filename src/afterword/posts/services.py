"""Rendering a post's Markdown and checking it can be published.

The rules of changing posts live in ``posts.actions`` (one class per change:
save, publish, schedule, unpublish, delete, restore); the actions and the
admin form share these helpers.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from afterword.core.markdown import RenderedMarkdown, render_markdown
from afterword.media.services import describe_image

from .models import Post
from .tasks import publish_due_posts

SUMMARY_WORDS = 55
PROTECTED_NOTICE = gettext_lazy("This post is password protected.")


def render_post(post: Post) -> RenderedMarkdown:
    """Fill the stored HTML (page, feed, lead figure) and ``summary`` from the
    Markdown; return the render."""
    rendered = render_markdown(post.body, image_resolver=describe_image)
    post.body_html = rendered.html
    post.feed_html = rendered.spoiler_free_html
    post.lead_figure_html = rendered.lead_figure_html
    if post.visibility == Post.Visibility.PASSWORD:
        # What leaves the page (listings, meta description, JSON-LD, feeds,
        # search, emails, the static build) is only a notice: the text is
        # for readers who give the password.
        post.summary = str(PROTECTED_NOTICE)
        post.feed_html = format_html(
            "<p>{}</p>", gettext("This post is password protected.")
        )
        post.lead_figure_html = ""
    elif post.excerpt.strip():
        post.summary = render_markdown(post.excerpt).plain_text
    else:
        post.summary = Truncator(rendered.plain_text).words(SUMMARY_WORDS)
    return rendered


def check_publishable(post: Post, rendered: RenderedMarkdown | None = None) -> None:
    """Refuse to publish a post whose images lack alternative text.

    Pass the body's render when it is at hand, so it is not rendered twice.
    """
    if post.status == Post.Status.DRAFT:
        return
    if rendered is None:
        rendered = render_markdown(post.body, image_resolver=describe_image)
    missing_alt = [
        _("The image %(src)s has no alt text.") % {"src": image.src}
        for image in rendered.images
        if not image.alt.strip()
    ]
    if post.featured_image_id and not post.featured_image.alt_text.strip():
        missing_alt.append(_("The featured image has no alt text."))
    problems = []
    if missing_alt:
        problems.append(
            _("Add alternative text before publishing: %(problems)s")
            % {"problems": " ".join(missing_alt)}
        )
    if post.status == Post.Status.SCHEDULED and post.published_at is None:
        problems.append(_("A scheduled post needs a publish time."))
    if problems:
        raise ValidationError(problems)


def schedule_firing(when: datetime) -> None:
    publish_due_posts.using(run_after=when).enqueue()
