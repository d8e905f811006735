"""robots.txt; the feeds and the sitemap are Django's own views (see urls.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from .absolute import site_url

# Crawlers may read everything public; the admin and account pages are not.
DISALLOWED = ["/admin/", "/accounts/"]


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "Allow: /"]
    lines += ["", f"Sitemap: {site_url(reverse('feeds:sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
