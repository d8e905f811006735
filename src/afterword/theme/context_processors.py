"""Values every theme template can use."""

from django.conf import settings

from afterword.posts.seo import site_description

from .models import SiteAppearance


def site(request):
    """The site's name, public address and one-line description, and the
    appearance the writer chose (``APPEARANCE``). The installation's
    ``SITE_NAME`` and description stand in for an empty title or tagline."""
    appearance = SiteAppearance.load()
    return {
        "SITE_NAME": appearance.site_title or settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SITE_DESCRIPTION": appearance.tagline or site_description(),
        "APPEARANCE": appearance,
    }
