"""Serving uploaded files, and the editor's endpoints: upload, pick, figure."""

from __future__ import annotations

import mimetypes
import posixpath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET, require_POST
from django.views.static import serve

from afterword.core.numbers import ascii_number

from . import actions, services, storage
from .models import Image


def serve_media(request, path):
    """An uploaded file, from MEDIA_ROOT or from the bucket (``storage``)."""
    if storage.is_local(default_storage):
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    else:
        response = _from_bucket(path)
    # Uploaded files never change under the same name: renditions and
    # originals get new names when replaced.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def _from_bucket(path: str) -> FileResponse:
    name = posixpath.normpath(path).lstrip("/")
    if name != path or name.startswith(".") or not name:
        raise Http404("No such file.")
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, SuspiciousFileOperation):
        raise Http404("No such file.") from None
    content_type, _encoding = mimetypes.guess_type(name)
    response = FileResponse(
        handle, content_type=content_type or "application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# How many library images the editor's picker shows at once.
CHOICES_SHOWN = 24


@require_POST
def upload_image(request: HttpRequest) -> JsonResponse:
    """Take one image from the editor and answer with the figure Markdown.

    Mounted inside the admin (``ImageAdmin.get_urls``), so only staff reach
    it and Django's CSRF check applies.
    """
    if not request.user.has_perm("media.add_image"):
        return JsonResponse(
            {"error": "Your account may not add images to the library."}, status=403
        )
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"error": "Choose an image file to upload."}, status=400)
    try:
        image = actions.UploadImage(
            upload,
            user=request.user,
            alt_text=request.POST.get("alt_text", ""),
            caption=request.POST.get("caption", ""),
            credit=request.POST.get("credit", ""),
        ).run()
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse(_figure_payload(request, image))


@require_POST
def figure_for_image(request: HttpRequest) -> JsonResponse:
    """The figure Markdown for an image already in the library.

    Alt text or a caption typed for it fill in what the library lacked, so
    the next use of the image starts with them.
    """
    if not request.user.has_perm("media.view_image"):
        return JsonResponse(
            {"error": "Your account may not use the library."}, status=403
        )
    image_id = request.POST.get("id", "")
    pk = ascii_number(image_id)
    image = Image.objects.filter(pk=pk).first() if pk is not None else None
    if image is None:
        return JsonResponse(
            {"error": "That image is no longer in the library."}, status=400
        )
    if request.user.has_perm("media.change_image"):
        actions.FillImageBlanks(
            image,
            user=request.user,
            alt_text=request.POST.get("alt_text", ""),
            caption=request.POST.get("caption", ""),
        ).run()
    return JsonResponse(_figure_payload(request, image))


def _figure_payload(request: HttpRequest, image: Image) -> dict:
    return {
        "id": image.pk,
        "url": image.file.url,
        "width": image.width,
        "height": image.height,
        "alt_text": image.alt_text,
        "caption": image.caption,
        # What the writer typed for this use wins over the library's words.
        "markdown": services.figure_markdown(
            image,
            alt=request.POST.get("alt_text", "").strip() or None,
            caption=request.POST.get("caption", "").strip() or None,
        ),
    }


@require_GET
def image_choices(request: HttpRequest) -> JsonResponse:
    """The newest library images (or those matching ``q``) for the picker."""
    if not request.user.has_perm("media.view_image"):
        return JsonResponse(
            {"error": "Your account may not use the library."}, status=403
        )
    images = Image.objects.prefetch_related("renditions")
    query = request.GET.get("q", "").strip()
    if query:
        images = images.filter(
            Q(title__icontains=query)
            | Q(alt_text__icontains=query)
            | Q(caption__icontains=query)
        )
    return JsonResponse(
        {
            "images": [
                {
                    "id": image.pk,
                    "thumbnail": services.thumbnail_url(image),
                    "title": str(image),
                    "alt_text": image.alt_text,
                    "caption": image.caption,
                    "width": image.width,
                    "height": image.height,
                }
                for image in images[:CHOICES_SHOWN]
            ]
        }
    )
