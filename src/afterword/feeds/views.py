"""robots.txt and the sitemap's index and parts; the feeds are Django's own
views (see urls.py)."""

from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from afterword.core import memo

from .absolute import site_url
from .sitemaps import SITEMAPS, part_path, parts
from .urlset import urlset

# Crawlers may read everything public; the admin and account pages are not.
DISALLOWED = ["/admin/", "/accounts/"]


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "Allow: /"]
    lines += ["", f"Sitemap: {site_url(reverse('feeds:sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """``/sitemap.xml``: the address of every part, on the site's own host.

    Written once per content version (``core.memo``), like the parts: a site
    of 100,000 posts has fifty parts of posts, and writing their entries on
    each request made the index grow with the site (1.0 to 1.8 ms).
    """

    def written() -> str:
        items = [
            SitemapIndexItem(site_url(part_path(section, page)), None)
            for section, page in parts()
        ]
        return render_to_string("sitemap_index.xml", {"sitemaps": items})

    xml = memo.remember("sitemap-index", written)
    return HttpResponse(xml, content_type="application/xml")


@require_GET
def sitemap_part(request: HttpRequest, section: str, page: int = 1) -> HttpResponse:
    """One section's part: at most 2,000 addresses (``SiteSitemap.limit``).

    Written once per content version (``core.memo``): a part of posts is
    70–100 ms of CPU for 340 KB at 100,000 posts, and finding the terms that have a live
    post is a query whose compiling alone cost 3 ms of the authors' part.
    Both change only with the content.
    """
    if section not in SITEMAPS or request.path != part_path(section, page):
        # Only the address the index names: not "-1", "-02" or "posts-x".
        raise Http404("No such sitemap.")

    def written() -> str:
        try:
            return urlset(SITEMAPS[section]().get_urls(page=page))
        except (EmptyPage, PageNotAnInteger) as error:
            # Raised through the memo, which keeps nothing for it.
            raise Http404("No such sitemap part.") from error

    xml = memo.remember(f"sitemap-part:{section}:{page}", written)
    return HttpResponse(xml, content_type="application/xml")
