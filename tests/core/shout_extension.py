"""A small Markdown extension used to prove the extension mechanism.

``!!word!!`` becomes ``<mark>WORD</mark>``, each use is counted in
``extras["shout"]``, and an empty ``!!!!`` is reported as a warning. It adds an
inline rule, a core rule and a renderer rule: the three hooks real extensions
(such as the catalog's references) use.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from afterword.core.markdown import MarkdownExtension


def parse_shout(state, silent):
    if not state.src.startswith("!!", state.pos):
        return False
    end = state.src.find("!!", state.pos + 2)
    if end < 0:
        return False
    if not silent:
        token = state.push("shout", "mark", 0)
        token.content = state.src[state.pos + 2 : end]
    state.pos = end + 2
    return True


def count_shouts(state):
    found = [
        child.content
        for token in state.tokens
        if token.type == "inline"
        for child in token.children or []
        if child.type == "shout"
    ]
    afterword = state.env["afterword"]
    afterword["extras"]["shout"] = found
    if any(not word.strip() for word in found):
        afterword["warnings"].append("An empty shout.")


def render_shout(self, tokens, idx, options, env):
    return f"<mark>{escapeHtml(tokens[idx].content.upper())}</mark>"


class ShoutExtension(MarkdownExtension):
    name = "shout"
    profiles = frozenset({"post", "comment"})

    def setup(self, md: MarkdownIt) -> None:
        md.inline.ruler.before("link", "shout", parse_shout)
        md.core.ruler.push("shout_count", count_shouts)
        md.add_render_rule("shout", render_shout)


class PostOnlyExtension(ShoutExtension):
    name = "post_only_shout"
    profiles = frozenset({"post"})


class NotAnExtension:
    """Listed by mistake in the setting: refused with a clear error."""
