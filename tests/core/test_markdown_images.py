"""Images completed from the media library through an image resolver."""

from dataclasses import dataclass

from afterword.core.markdown import ImageRef, render_markdown


@dataclass
class LibraryImage:
    width: int | None
    height: int | None
    srcset: str
    sizes: str
    alt: str


LIBRARY = {
    "/media/images/tank.png": LibraryImage(
        1600,
        900,
        "/media/r/tank-480.webp 480w, /media/r/tank-960.webp 960w",
        "(min-width: 42rem) 42rem, 100vw",
        "A tank on ice",
    ),
    "/media/images/poster.jpg": LibraryImage(800, 1200, "", "", ""),
}


def resolve(src: str) -> LibraryImage | None:
    return LIBRARY.get(src)


def test_resolved_image_gets_dimensions_srcset_and_lazy_loading():
    html = render_markdown(
        "![First](/media/images/poster.jpg)\n\n![Markdown alt](/media/images/tank.png)",
        image_resolver=resolve,
    ).html

    assert (
        '<img src="/media/images/poster.jpg" alt="First" width="800" height="1200"'
        ' decoding="async">'
    ) in html
    assert (
        '<img src="/media/images/tank.png" alt="Markdown alt" width="1600"'
        ' height="900" srcset="/media/r/tank-480.webp 480w, /media/r/tank-960.webp'
        ' 960w" sizes="(min-width: 42rem) 42rem, 100vw" loading="lazy"'
        ' decoding="async">'
    ) in html


def test_library_alt_text_fills_an_empty_markdown_alt():
    rendered = render_markdown(
        "![](/media/images/tank.png)\nCaption.", image_resolver=resolve
    )

    assert 'alt="A tank on ice"' in rendered.html
    assert rendered.images == [
        ImageRef("/media/images/tank.png", "A tank on ice", "Caption.")
    ]
    assert rendered.warnings == []


def test_image_with_no_alt_anywhere_is_reported_with_empty_alt():
    rendered = render_markdown("![](/media/images/poster.jpg)", image_resolver=resolve)

    assert rendered.images == [ImageRef("/media/images/poster.jpg", "", "")]
    assert rendered.warnings == ["The image /media/images/poster.jpg has no alt text."]


def test_images_the_resolver_does_not_know_are_left_as_written():
    calls = []

    def resolver(src):
        calls.append(src)
        return None

    html = render_markdown(
        "![Remote](https://images.example/a.png)", image_resolver=resolver
    ).html

    assert calls == ["https://images.example/a.png"]
    assert html == (
        '<figure class="figure"><img src="https://images.example/a.png"'
        ' alt="Remote" decoding="async"></figure>\n'
    )


def test_hostile_resolver_values_are_escaped_or_dropped():
    def resolver(src):
        return LibraryImage(
            width='1" onerror="alert(1)',  # type: ignore[arg-type]
            height=10,
            srcset='/a.png 1x" onload="alert(2)',
            sizes="100vw",
            alt='"><script>alert(3)</script>',
        )

    html = render_markdown("![](/x.png)", image_resolver=resolver).html

    assert 'onerror="' not in html
    assert 'onload="' not in html
    assert "<script" not in html
    assert 'width="' not in html
    assert 'alt="&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"' in html
