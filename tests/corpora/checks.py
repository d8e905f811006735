"""What sanitised HTML must never contain, checked on a real HTML5 parse.

The markup is parsed by html5lib, which builds the tree a browser would, so
an attribute hidden by odd quoting or a tag split across entities is seen as
the browser sees it; no regular expression is involved.
"""

from __future__ import annotations

import re

import html5lib

from afterword.core.sanitize import COMMENT_TAGS, POST_TAGS, clean_html

# Elements that run script, load other documents, submit data, restyle or
# re-base the page. Named here on their own, not read from the sanitiser's
# allow-list, so that a wrong allow-list is caught too.
FORBIDDEN_TAGS = frozenset(
    {
        "script", "iframe", "frame", "frameset", "object", "embed", "applet",
        "style", "link", "meta", "base", "form", "input", "button", "select",
        "textarea", "option", "svg", "math", "template", "noscript", "xmp",
        "plaintext", "noembed", "noframes", "title", "portal", "video",
        "audio", "source", "track", "canvas", "param", "isindex", "keygen",
        "marquee", "dialog", "slot",
    }
)  # fmt: skip
# Attributes whose value a browser follows as an address.
URL_ATTRIBUTES = frozenset(
    {
        "href", "src", "cite", "action", "formaction", "poster", "background",
        "data", "codebase", "longdesc", "usemap", "xlink:href", "ping",
        "manifest", "icon", "lowsrc", "dynsrc", "profile", "srcset",
    }
)  # fmt: skip
# Browsers ignore these characters inside a scheme ("java\tscript:").
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "livescript:")
PROFILE_TAGS = {"post": POST_TAGS, "comment": COMMENT_TAGS}


def hazards(markup: str, *, profile: str = "post") -> list[str]:
    """Each thing in ``markup`` that could run script or escape its place."""
    found = []
    fragment = html5lib.parseFragment(markup, namespaceHTMLElements=False)
    for element in fragment.iter():
        tag = element.tag
        if not isinstance(tag, str):  # comments and processing instructions
            found.append("an HTML comment survived")
            continue
        if "}" in tag:  # an element outside the HTML namespace (svg, math)
            found.append(f"<{tag}>")
            continue
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}>")
        elif tag != "DOCUMENT_FRAGMENT" and tag not in PROFILE_TAGS[profile]:
            found.append(f"<{tag}> outside the {profile} allow-list")
        for name, value in element.attrib.items():
            found.extend(_attribute_hazards(tag, str(name), value, profile))
    return found


def _attribute_hazards(tag: str, name: str, value: str, profile: str) -> list[str]:
    name = name.lower()
    if name.startswith("on"):
        return [f"<{tag} {name}>"]
    if name == "style":
        return [f"<{tag} style>"]
    if profile == "comment" and name == "id":
        return [f"<{tag} id> in a comment"]
    if name in URL_ATTRIBUTES:
        addresses = value.split(",") if name == "srcset" else [value]
        for address in addresses:
            squeezed = _IGNORED_IN_SCHEME.sub("", address).lower()
            if squeezed.startswith(DANGEROUS_SCHEMES):
                return [f"<{tag} {name}={value[:60]!r}>"]
    return []


def not_a_fixed_point(markup: str, *, profile: str) -> str | None:
    """None when cleaning ``markup`` again changes nothing; else the new text."""
    again = clean_html(markup, profile=profile)
    return None if again == markup else again


def problems(markup: str, *, profile: str) -> list[str]:
    """Hazards plus a failed fixed point, as readable lines."""
    found = hazards(markup, profile=profile)
    again = not_a_fixed_point(markup, profile=profile)
    if again is not None:
        found.append(f"cleaning again changes it: {markup[:120]!r} -> {again[:120]!r}")
    return found
