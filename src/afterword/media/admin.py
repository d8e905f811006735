"""The media library in the admin: thumbnails, alt text, and uploads.

Every write is one of ``media.actions`` (``core.admin.ActionAdmin``).
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import path
from django.utils.html import format_html

from afterword.core.admin import ActionAdmin

from . import services, views
from .forms import ImageUploadForm
from .models import Image


def _thumbnail_html(image: Image, width: int = 120):
    """A small preview, from the smallest rendition when there is one."""
    url = services.thumbnail_url(image)
    height = round(image.height * width / image.width) if image.width else width
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="" class="afterword-thumb" '
        'loading="lazy">',
        url,
        width,
        height,
    )


@admin.register(Image)
class ImageAdmin(ActionAdmin):
    list_display = ["thumbnail", "name", "alt_text", "size", "uploaded_at"]
    list_display_links = ["thumbnail", "name"]
    search_fields = ["title", "alt_text", "caption", "credit"]
    list_filter = ["mime_type", "uploaded_at"]
    readonly_fields = ["preview", "file_url", "size", "mime_type", "uploaded_by"]
    fields = [
        "preview",
        "file_url",
        "title",
        "alt_text",
        "caption",
        "credit",
        "size",
        "mime_type",
        "uploaded_by",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ImageUploadForm
            kwargs["fields"] = ImageUploadForm.Meta.fields
            # The upload form runs its own action (UploadImage) when saved.
            form = admin.ModelAdmin.get_form(self, request, obj, change, **kwargs)

            # The form needs the uploader; the admin builds it without one.
            class UserBoundUploadForm(form):
                def __init__(self, *args, **kw):
                    super().__init__(*args, user=request.user, **kw)

            return UserBoundUploadForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ImageUploadForm.Meta.fields
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        # On add, the form's save already ran UploadImage (possibly reusing
        # an identical earlier upload); a change is SaveImage's.
        if change:
            super().save_model(request, obj, form, change)

    def get_urls(self):
        upload = path(
            "upload/",
            self.admin_site.admin_view(views.upload_image),
            name="media_image_upload",
        )
        figure = path(
            "figure/",
            self.admin_site.admin_view(views.figure_for_image),
            name="media_image_figure",
        )
        choices = path(
            "choices/",
            self.admin_site.admin_view(views.image_choices),
            name="media_image_choices",
        )
        return [upload, figure, choices, *super().get_urls()]

    @admin.display(description="Title", ordering="title")
    def name(self, obj: Image) -> str:
        return str(obj)

    @admin.display(description="Image")
    def thumbnail(self, obj: Image):
        return _thumbnail_html(obj)

    @admin.display(description="Preview")
    def preview(self, obj: Image):
        return _thumbnail_html(obj, width=320)

    @admin.display(description="Address")
    def file_url(self, obj: Image):
        return format_html("<code>{}</code>", obj.file.url)

    @admin.display(description="Size")
    def size(self, obj: Image):
        return f"{obj.width}×{obj.height}, {obj.bytes / 1024:.0f} KB"
