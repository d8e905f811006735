"""The catalog in a static copy: every page of its long lists is built and
linked as a folder, and its filters, which need the server, go to the live
site or are left out."""

from __future__ import annotations

from afterword.catalog import actions
from afterword.catalog.models import Person
from afterword.catalog.queries import POSTS_PER_PAGE
from afterword.catalog.views import INDEX_PAGE_SIZE
from afterword.portability.staticsite import BuildOptions, build_site, check_links


def test_every_page_of_the_catalog_lists_is_built_and_linked(
    make_work, review, tmp_path, settings, client
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    works = [make_work(title=f"Work {n:03}") for n in range(INDEX_PAGE_SIZE + 1)]
    for n in range(INDEX_PAGE_SIZE + 1):
        actions.save_catalog_object(Person(name=f"Person {n:03}", slug=f"person-{n}"))
    for n in range(POSTS_PER_PAGE + 1):
        review(works[0], title=f"Review {n}")
    # The live site pages with a query, its filters on the page.
    live = client.get("/catalog/").content.decode()
    assert 'href="/catalog/?page=2"' in live and "catalog-filters" in live

    out = tmp_path / "public"
    build_site(out)

    # The works are the catalog's own address.
    for index in ("/catalog/", "/catalog/people/"):
        first = (out / index.lstrip("/") / "index.html").read_text()
        assert f'href="{index}page/2/"' in first
        # No server to filter on: no form that would only reload the page.
        assert "catalog-filters" not in first
        second = (out / index.lstrip("/") / "page/2/index.html").read_text()
        assert f'href="{index}" rel="prev"' in second
    work = works[0].get_absolute_url().lstrip("/")
    assert "Review 0" in (out / work / "page/2/index.html").read_text()
    assert check_links(out) == []


def test_a_copy_with_a_server_filters_the_catalog_there(make_work, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    make_work(title="Memories")
    out = tmp_path / "public"
    build_site(out, BuildOptions(comments_endpoint="https://live.example"))
    first = (out / "catalog/index.html").read_text()
    assert 'action="https://live.example/catalog/"' in first
