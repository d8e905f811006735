"""One allow-list for every piece of user-written HTML on the site.

Posts, pages, excerpts and comments all pass through :func:`clean_html`. The
``"comment"`` profile is not a second policy but a restriction of the same
one: fewer tags, no ids, and a forced ``rel="nofollow ugc noopener"``.

What is allowed is what the Markdown pipeline emits plus common, harmless
HTML a writer may type by hand. Classes and ``data-`` attributes are listed
one by one (never a prefix), and the values of the attributes that carry
meaning for our scripts and styles are checked, so that stored HTML cannot
smuggle in anything the theme's JavaScript would act on.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

import nh3

URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Passes of the cleaner until its output stops changing (see clean_html).
MAX_PASSES = 4

POST_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd",
        "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
        "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp",
        "section", "small", "span", "strong", "sub", "summary", "sup", "table",
        "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
    }
)  # fmt: skip

# Comments: what the comment profile of the Markdown pipeline emits (and the
# catalog's reference links and spans), nothing else.
COMMENT_TAGS = frozenset(
    {
        "a", "blockquote", "br", "code", "details", "em", "li", "ol", "p",
        "pre", "span", "strong", "summary", "ul",
    }
)  # fmt: skip

# Attributes whose any value is harmless (URLs are checked by nh3 itself:
# only URL_SCHEMES or relative URLs survive in href/src/cite).
POST_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"lang", "dir", "title"},
    "a": {"href", "id", "rel", "aria-label", "hreflang"},
    "abbr": set(),
    "blockquote": {"cite"},
    "code": {"class"},
    "del": {"cite", "datetime"},
    # Spoilers have ids so that feeds and emails can link to them.
    "details": {"id"},
    "div": {"data-video-id"},
    "h1": {"id"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes"},
    "ins": {"cite", "datetime"},
    "li": {"id", "value"},
    "ol": {"start", "reversed"},
    "q": {"cite"},
    "section": {"aria-label"},
    "span": set(),
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
}

# Attributes restricted to a fixed set of values.
ATTRIBUTE_VALUES: dict[str, dict[str, set[str]]] = {
    "div": {"data-provider": {"youtube", "vimeo"}},
    "img": {"loading": {"lazy", "eager"}, "decoding": {"async", "sync", "auto"}},
    "a": {"data-ref-kind": {"work", "person", "organisation"}},
    "span": {"data-ref-kind": {"work", "person", "organisation"}},
}

# Classes, one by one, per tag (nh3 drops any other class).
ALLOWED_CLASSES: dict[str, set[str]] = {
    "a": {
        "video-embed-link", "footnote-backref",
        "ref", "ref-work", "ref-person", "ref-missing",
    },
    "details": {"spoiler"},
    "div": {"video-embed"},
    "figure": {"figure"},
    "hr": {"footnotes-sep"},
    "li": {"footnote-item"},
    "ol": {"footnotes-list"},
    "section": {"footnotes"},
    "span": {"ref-missing"},
    "sup": {"footnote-ref"},
    "td": {"align-left", "align-center", "align-right"},
    "th": {"align-left", "align-center", "align-right"},
}  # fmt: skip

# data-ref-slug is allowed on links and spans, checked by _filter_attribute.
_SLUG_TAGS = ("a", "span")

_URL_ATTRIBUTES = frozenset({"href", "src", "cite", "srcset", "poster"})
_RE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_RE_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}|[0-9]{1,12}")
_RE_SLUG = re.compile(r"[\w-]{1,200}")
_RE_NUMBER = re.compile(r"[0-9]{1,5}")
_RE_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")
_REL_VALUES = frozenset(
    {"noopener", "noreferrer", "nofollow", "ugc", "external", "me", "tag",
     "author", "license", "help", "bookmark", "sponsored"}
)  # fmt: skip


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    """Check the values of attributes that are allowed on their own."""
    if name in _URL_ATTRIBUTES and _RE_CONTROL.search(value):
        # No real address holds control characters; with them hidden inside
        # a scheme ("java\x01script:") an address is a disguise, not a link.
        return None
    if name == "data-video-id":
        return value if _RE_VIDEO_ID.fullmatch(value) else None
    if name == "data-ref-slug":
        return value if _RE_SLUG.fullmatch(value) else None
    if name in {"width", "height", "colspan", "rowspan", "start", "value"}:
        return value if _RE_NUMBER.fullmatch(value) else None
    if name == "cite":
        # nh3 checks the schemes of href and src only.
        try:
            scheme = urlsplit(value.strip()).scheme.lower()
        except ValueError:
            return None
        return value if scheme in URL_SCHEMES or not scheme else None
    if name == "class" and tag == "code":
        # <code> is the one tag with free classes: only a fence's language.
        kept = [c for c in value.split() if _RE_LANGUAGE_CLASS.fullmatch(c)]
        return " ".join(kept) or None
    if name == "rel":
        kept = [r for r in value.lower().split() if r in _REL_VALUES]
        return " ".join(kept) or None
    return value


def _post_attributes() -> dict[str, set[str]]:
    attributes = {tag: set(names) for tag, names in POST_ATTRIBUTES.items()}
    for tag in _SLUG_TAGS:
        attributes[tag].add("data-ref-slug")
    return attributes


@functools.cache
def _cleaner(profile: str) -> nh3.Cleaner:
    attributes = _post_attributes()
    if profile == "post":
        return nh3.Cleaner(
            tags=set(POST_TAGS),
            attributes=attributes,
            attribute_filter=_filter_attribute,
            tag_attribute_values=ATTRIBUTE_VALUES,
            allowed_classes=ALLOWED_CLASSES,
            url_schemes=set(URL_SCHEMES),
            # Links carry the rel the Markdown renderer chose (checked above).
            link_rel=None,
        )
    if profile == "comment":
        # The same lists, cut down: comment tags only, no ids (a comment must
        # not be able to take an id the page relies on) and a forced rel.
        attributes = {
            tag: names - {"id", "rel"}
            for tag, names in attributes.items()
            if tag in COMMENT_TAGS or tag == "*"
        }
        return nh3.Cleaner(
            tags=set(COMMENT_TAGS),
            attributes=attributes,
            attribute_filter=_filter_attribute,
            tag_attribute_values={
                tag: values
                for tag, values in ATTRIBUTE_VALUES.items()
                if tag in COMMENT_TAGS
            },
            allowed_classes={
                tag: classes
                for tag, classes in ALLOWED_CLASSES.items()
                if tag in COMMENT_TAGS
            },
            url_schemes=set(URL_SCHEMES),
            link_rel="nofollow ugc noopener",
        )
    raise ValueError(f"Unknown sanitiser profile {profile!r}.")


def clean_html(html: str, *, profile: str = "post") -> str:
    """Return ``html`` with everything outside the allow-list removed.

    Scripts and styles are dropped with their content; event handlers,
    ``style`` attributes, unknown classes and ``javascript:``/``data:`` URLs
    are removed.

    The result is a fixed point: cleaning it again changes nothing. One pass
    is not always enough, because dropping a tag can leave its children
    where HTML cannot hold them (a ``<p>`` inside a ``<p>`` once a
    ``<button>`` between them is gone, a link inside a link): the text then
    describes another tree than the one cleaned, and a browser builds that
    other tree. Cleaning the output again settles it, in practice at the
    second pass; the number of passes is bounded all the same.
    """
    cleaner = _cleaner(profile)
    cleaned = cleaner.clean(html)
    for _ in range(MAX_PASSES - 1):
        again = cleaner.clean(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned
