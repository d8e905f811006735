"""Values every theme template can use."""

from django.conf import settings

from afterword.posts.seo import site_description


def site(request):
    """The site's name, public address and one-line description."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SITE_DESCRIPTION": site_description(),
    }
