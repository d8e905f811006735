"""Demo comments for the demo review blog (called by ``afterword load_demo``).

A few threaded conversations between readers and the writer under the demo
posts; a post that already has comments is left alone, so loading twice
duplicates nothing.
"""

from __future__ import annotations

from datetime import timedelta

from . import actions
from .models import Comment

# post slug -> conversations: (name, email, text, [replies]); a reply whose
# name is None is the post's author answering.
CONVERSATIONS = {
    "perfect-blue": [
        (
            "Harumi",
            "harumi@example.org",
            "The mirror shots make more sense to me on every viewing. I had never "
            "noticed how often the train windows do the same job.",
            [
                (
                    None,
                    "",
                    "Yes! Kon uses every reflective surface he can find. The train "
                    "scenes are my favourite example too.",
                    [
                        (
                            "Tadashi",
                            "tadashi@example.org",
                            "And the fish tank in her flat, which empties as she does.",
                            [],
                        )
                    ],
                )
            ],
        ),
        (
            "Lou",
            "lou@example.org",
            "Is the 4K restoration worth it over the old DVD? The colours on mine "
            "look *very* washed out.",
            [],
        ),
    ],
    "outer-wilds": [
        (
            "Rin",
            "rin@example.org",
            "I stopped reading at the spoiler warning and went straight back to the "
            "game. Came back after the ending: you were right about the museum.",
            [
                (
                    None,
                    "",
                    "Thank you for coming back! The museum is where it clicked for me.",
                    [],
                )
            ],
        )
    ],
    "tokyo-godfathers": [
        (
            "Sam",
            "sam@example.org",
            "My family watches this every December now. Coincidence is the plot, "
            "and somehow it works.",
            [],
        )
    ],
}


def _add(post, entry, author, when, parent=None) -> int:
    name, email, text, replies = entry
    if name is None:
        comment = actions.add_comment(
            post,
            name=author.public_name,
            email=author.email,
            body=text,
            parent=parent,
            user=author,
            created_at=when,
        )
    else:
        comment = actions.add_comment(
            post, name=name, email=email, body=text, parent=parent, created_at=when
        )
    made = 1
    for offset, reply in enumerate(replies, start=1):
        made += _add(post, reply, author, when + timedelta(hours=3 * offset), comment)
    return made


def load(context) -> None:
    made = 0
    for slug, conversations in CONVERSATIONS.items():
        post = context.posts.get(slug)
        if post is None or not post.is_live(context.now):
            continue
        if Comment.objects.filter(post=post).exists():
            continue
        start = (post.published_at or context.now) + timedelta(hours=5)
        for index, conversation in enumerate(conversations):
            made += _add(post, conversation, post.author, start + timedelta(days=index))
    context.log(f"Demo comments: {made} added.")
