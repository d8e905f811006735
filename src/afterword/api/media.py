"""The image library: list, upload (``media.UploadImage``: only real images,
no decompression bombs, stored without camera data), words, delete."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from afterword.credentials import scopes
from afterword.media.actions import DeleteImage, SaveImage, UploadImage
from afterword.media.models import Image

from .auth import need, user
from .conditional import check_if_match
from .errors import ApiError
from .pagination import DEFAULT_LIMIT, MAX_LIMIT, Keyset, paginate
from .responses import DELETING, reading, writing
from .schemas import ImageOut, ImagePage, ImagePatch

router = Router()
KEYSET = Keyset("media", "uploaded_at")


def images():
    return Image.objects.select_related("uploaded_by")


@router.get("", response=reading(ImagePage), summary="List images, newest first")
def list_images(
    request,
    cursor: str | None = Query(None, max_length=500),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
):
    return paginate(images(), KEYSET, cursor, limit)


@router.get("/{int:image_id}", response=reading(ImageOut), summary="Read an image")
def get_image(request, image_id: int):
    return get_object_or_404(images(), pk=image_id)


@router.post(
    "",
    response=writing(ImageOut, 201),
    summary="Upload an image",
    description=(
        "A JPEG, PNG, WebP or GIF as multipart `file`. The same bytes uploaded "
        "again answer with the image already in the library."
    ),
)
def upload_image(
    request,
    file: File[UploadedFile],
    alt_text: Form[str] = "",
    caption: Form[str] = "",
    credit: Form[str] = "",
    title: Form[str] = "",
):
    need(request, scopes.DRAFT)
    try:
        image = UploadImage(
            file,
            user=user(request),
            alt_text=alt_text[:500],
            caption=caption[:500],
            credit=credit[:300],
            title=title[:200],
        ).run()
    except ValidationError as exc:
        if getattr(exc, "code", "") == "too_large":
            raise ApiError(413, " ".join(exc.messages)) from None
        raise ApiError(
            422, " ".join(exc.messages), fields={"file": " ".join(exc.messages)}
        ) from None
    return Status(201, images().get(pk=image.pk))


@router.patch("/{int:image_id}", response=writing(ImageOut), summary="Change words")
def update_image(request, image_id: int, payload: ImagePatch):
    need(request, scopes.DRAFT)
    with transaction.atomic():
        image = get_object_or_404(images().select_for_update(of=("self",)), pk=image_id)
        check_if_match(request, ImageOut, image)
        for field, value in payload.model_dump(exclude_unset=True).items():
            setattr(image, field, (value or "").strip())
        SaveImage(image, user=user(request)).run()
    return images().get(pk=image.pk)


@router.delete("/{int:image_id}", response=DELETING, summary="Delete an image")
def delete_image(request, image_id: int):
    need(request, scopes.DRAFT)
    with transaction.atomic():
        image = get_object_or_404(images().select_for_update(of=("self",)), pk=image_id)
        check_if_match(request, ImageOut, image)
        DeleteImage(image, user=user(request)).run()
    return Status(204, None)
