"""``{% stats_page %}``: the signed name of the page, for the beacon's tag."""

from django import template

from afterword.posts.models import Post

from ..pages import page_of, token_for

register = template.Library()


@register.simple_tag(takes_context=True)
def stats_page(context) -> str:
    """The page's token, or "" when this page is not counted (then the
    beacon sends nothing): a draft's preview, a 404, a form."""
    request = context.get("request")
    if request is None:
        return ""
    post = context.get("post")
    rendered = getattr(context, "template", None)
    page = page_of(
        request,
        post if isinstance(post, Post) else None,
        not_found=getattr(rendered, "name", "") == "404.html",
    )
    return token_for(page) if page else ""
