"""Every change to the media library, as named actions.

The admin's "add image" form, the editor's drag-and-drop upload, the
importers and the demo loader upload through :class:`UploadImage`; the
admin's change form and the editor's "use this image" save words through
:class:`SaveImage` and :class:`FillImageBlanks`; deleting removes the files
too. Pages follow from the declared models (``media.apps``).
"""

from __future__ import annotations

from django.db import transaction

from afterword.core.actions import Action, DeleteObject, SaveObject

from . import services
from .models import Image


class UploadImage(Action):
    """Check an uploaded file and add it to the library, with its renditions.

    The same bytes uploaded again return the image already there (filling in
    words it lacked). Raises ``ValidationError`` for anything that is not an
    acceptable image, leaving the library as it was.
    """

    name = "media.upload_image"
    permission = "media.add_image"

    def __init__(
        self,
        file,
        *,
        user=None,
        alt_text: str = "",
        caption: str = "",
        credit: str = "",
        title: str = "",
        uploaded_by=None,
    ):
        super().__init__(user=user)
        self.file = file
        # Who appears as the uploader: the acting user unless the caller (the
        # demo loader, an importer) acts for someone else.
        self.uploaded_by = uploaded_by or user
        self.words = {"alt_text": alt_text, "caption": caption, "credit": credit}
        self.title = title.strip()

    def execute(self) -> Image:
        image = services.ingest_upload(self.file, user=self.uploaded_by, **self.words)
        if self.title and image.title != self.title:
            image.title = self.title
            image.save(update_fields=["title"])
        return image


class SaveImage(SaveObject):
    """Change an image's title, alt text, caption or credit."""

    name = "media.save_image"


class FillImageBlanks(Action):
    """Give an image the alt text or caption it lacked (the editor does, when a
    writer types them for one use of the image)."""

    name = "media.fill_image_blanks"
    permission = "media.change_image"

    def __init__(self, image: Image, *, user=None, **words: str):
        super().__init__(user=user)
        self.image, self.words = image, words

    def execute(self) -> Image:
        services.fill_blanks(self.image, **self.words)
        return self.image


class DeleteImage(DeleteObject):
    """Remove an image from the library, its renditions and their files.

    The files go only once the deletion is committed, so a refusal or a
    rollback leaves every file in place.
    """

    name = "media.delete_image"

    def execute(self) -> Image:
        image = self.instance
        files = [image.file, *(r.file for r in image.renditions.all())]
        names = [(f.storage, f.name) for f in files if f.name]
        image.delete()
        transaction.on_commit(lambda: _remove_files(names), robust=True)
        return image


def _remove_files(names) -> None:
    for storage, name in names:
        storage.delete(name)
