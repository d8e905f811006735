"""Forms for adding images to the library; every upload is an ``UploadImage``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from . import actions, services
from .models import Image


class ImageUploadForm(forms.ModelForm):
    """The admin's "add image" form: a file plus the words that go with it.

    The file is checked here, so a refusal shows next to the field with the
    writer's alt text and caption still filled in; ``save`` hands the file
    to the ``UploadImage`` action, which may return an image already in the
    library when the same file was uploaded before.
    """

    upload = forms.FileField(
        label="Image file",
        help_text=(
            "JPEG, PNG, WebP or GIF. Saved upright and without what the camera "
            "wrote into it (location, device, times)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    class Meta:
        model = Image
        fields = ["upload", "title", "alt_text", "caption", "credit"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        try:
            data = services.read_upload(upload)
            # Everything the upload will go through, every frame re-encoded
            # included, so a refusal shows here and not as a failed save.
            services.original_to_store(data, *services.decode_image(data))
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from error
        return upload

    def save(self, commit: bool = True) -> Image:
        image = actions.UploadImage(
            self.cleaned_data["upload"],
            user=self.user,
            alt_text=self.cleaned_data.get("alt_text", ""),
            caption=self.cleaned_data.get("caption", ""),
            credit=self.cleaned_data.get("credit", ""),
            title=self.cleaned_data.get("title", ""),
        ).run()
        self.instance = image
        return image

    def save_m2m(self) -> None:
        """Images have no many-to-many fields; the admin still calls this."""
