"""Values every theme template can use."""

from django.conf import settings

from afterword.posts.seo import site_description

from .models import SiteAppearance

# Where the values are kept on the request: a page and what it renders with
# the same request (the comment section under a post) read the appearance
# once between them, not once per template.
ON_REQUEST = "_afterword_site_context"


def site(request):
    """The site's name, public address and one-line description, and the
    appearance the writer chose (``APPEARANCE``). The installation's
    ``SITE_NAME`` and description stand in for an empty title or tagline."""
    values = getattr(request, ON_REQUEST, None)
    if values is not None:
        return values
    appearance = SiteAppearance.load()
    values = {
        "SITE_NAME": appearance.site_title or settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SITE_DESCRIPTION": appearance.tagline or site_description(),
        "APPEARANCE": appearance,
    }
    if request is not None:
        setattr(request, ON_REQUEST, values)
    return values
