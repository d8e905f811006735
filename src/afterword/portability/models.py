"""What the importers remember about the sites they read.

An :class:`ImportRecord` maps one object of a source site (a WordPress post
id, comment id, author login, term slug, attachment id) to the object it
became here. It is the natural key that makes an import idempotent: running
the same file again, or finishing a run that was killed halfway, creates
nothing twice. Attachments that were not copied yet keep their original
address here until ``afterword fetch-media`` brings them in.
"""

from django.db import models
from django.utils import timezone


class ImportRecord(models.Model):
    class Kind(models.TextChoices):
        AUTHOR = "author", "Author"
        CATEGORY = "category", "Category"
        TAG = "tag", "Tag"
        # Posts and pages share WordPress's id space (?p=ID works for both).
        POST = "post", "Post or page"
        COMMENT = "comment", "Comment"
        ATTACHMENT = "attachment", "Attachment"

    source = models.CharField(
        max_length=300, help_text="The source site, e.g. its base address."
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    source_id = models.CharField(max_length=300)
    # The primary key of the object it became (User, Category, Tag, Post,
    # Comment, media Image); empty for an attachment not fetched yet.
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    # The original address: a post's permalink, an attachment's file.
    url = models.CharField(max_length=1000, blank=True)
    # Small facts with no home in our models: a comment's type (pingback,
    # trackback), an attachment's title, alt text, caption and parent.
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "source_id"], name="one_record_per_source_id"
            )
        ]
        indexes = [models.Index(fields=["kind", "source_id"])]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.source_id} -> {self.object_id}"


class JournalEntry(models.Model):
    """One public row that changed, and where in the order of changes.

    The static build's journal (``portability.journal``): a row per public
    object ever changed, moved forward (a higher ``seq``) by each later
    change, so it never holds more rows than the site has public ones. A
    build remembers the highest ``seq`` it read and, next time, renders again
    only the pages that show what changed after it.
    """

    # ``app_label.model_name`` of the changed model; "*" for "everything".
    model = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    seq = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["model", "object_id"], name="one_journal_entry_per_object"
            )
        ]
        indexes = [models.Index(fields=["seq"], name="journal_by_seq")]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} at {self.seq}"
