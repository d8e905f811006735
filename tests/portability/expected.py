"""Counting a WXR file with plain ElementTree, independently of the importer.

The rules are WordPress's: elements count only in its export namespaces;
trashed and auto-draft items are not imported; comments belong to the posts
and pages that are imported.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

WP = re.compile(r"^\{https?://wordpress\.org/export/1\.[0-2]/\}(.+)$")
IMPORTED_STATUSES = {"publish", "draft", "pending", "private", "future"}


def wp_children(element: ET.Element) -> dict[str, str]:
    found = {}
    for child in element:
        match = WP.match(child.tag)
        if match:
            found[match.group(1)] = (child.text or "").strip()
    return found


def expected_counts(path: Path) -> dict:
    channel = ET.parse(path).getroot().find("channel")
    counts = Counter()
    categories, tags = set(), set()
    statuses, types, parents = Counter(), Counter(), 0
    for element in channel:
        match = WP.match(element.tag)
        name = match.group(1) if match else element.tag
        data = wp_children(element)
        if name == "category" and data.get("category_nicename"):
            categories.add(data["category_nicename"])
        elif name == "tag" and data.get("tag_slug"):
            tags.add(data["tag_slug"])
        elif name == "term" and data.get("term_taxonomy") == "category":
            categories.add(data["term_slug"])
        elif name == "term" and data.get("term_taxonomy") == "post_tag":
            tags.add(data["term_slug"])
        elif name == "author" and data.get("author_login"):
            counts["authors"] += 1
        elif name == "item":
            kind, status = data.get("post_type"), data.get("status")
            if kind == "attachment":
                counts["attachments"] += 1
            if kind not in ("post", "page") or status not in IMPORTED_STATUSES:
                continue
            counts[kind + "s"] += 1
            for term in element.findall("category"):
                slug = term.get("nicename")
                if term.get("domain") == "category":
                    categories.add(slug)
                elif term.get("domain") == "post_tag" and kind == "post":
                    tags.add(slug)
            for comment in element:
                if WP.match(comment.tag) and comment.tag.endswith("}comment"):
                    fields = wp_children(comment)
                    counts["comments"] += 1
                    statuses[fields.get("comment_approved", "1")] += 1
                    types[fields.get("comment_type") or "comment"] += 1
                    parents += fields.get("comment_parent", "0") not in ("", "0")
    counts["categories"] = len(categories)
    counts["tags"] = len(tags)
    return {
        **counts,
        "statuses": statuses,
        "types": types,
        "replies": parents,
    }
