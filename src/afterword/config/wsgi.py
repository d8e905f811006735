"""WSGI entry point used by granian (``afterword serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "afterword.config.settings.base")
application = get_wsgi_application()
