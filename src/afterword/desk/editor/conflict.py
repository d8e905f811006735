"""Two writers, one post: the second save is stopped and shown both texts.

The editor sends the revision its text was loaded from. When the post has a
newer revision by someone else, saving would silently drop their work, so
the submitted text is kept as this writer's autosave instead (reachable from
the editor again), and the page shows theirs, ours and a comparison, with an
explicit "save mine anyway".
"""

from __future__ import annotations

from dataclasses import dataclass

from afterword.posts.editor import DiffLine, diff_text
from afterword.posts.models import Post, Revision

from .actions import WriteAutosave
from .forms import EditorForm
from .saving import someone_else_saved


@dataclass
class Conflict:
    theirs: Revision
    title: str
    body: str
    diff: list[DiffLine]

    @property
    def who(self) -> str:
        author = self.theirs.author
        if author is None:
            return "someone"
        return getattr(author, "display_name", "") or author.get_username()


def check(post: Post, form: EditorForm, user, overwriting: int | None):
    """The conflict this save would cause, or None when it may go ahead."""
    if post.pk is None:
        return None
    base = form.cleaned_data.get("base_revision")
    theirs = someone_else_saved(post, base, user)
    if theirs is None or theirs.pk == overwriting:
        return None
    data = form.cleaned_data
    WriteAutosave(
        post,
        user=user,
        title=data["title"],
        body=data["body"],
        excerpt=data["excerpt"],
        base_revision=Revision.objects.filter(pk=base).first() if base else None,
    ).run()
    return Conflict(
        theirs=theirs,
        title=data["title"],
        body=data["body"],
        diff=diff_text(theirs.body, data["body"]),
    )
