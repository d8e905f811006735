"""Serving uploaded files when no reverse proxy does it (the embedded set-up)."""

from django.views.static import serve

from django.conf import settings


def serve_media(request, path):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # Uploaded files never change under the same name: renditions and
    # originals get new names when replaced.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
