from django.apps import AppConfig


class WebmentionConfig(AppConfig):
    name = "afterword.webmention"
    label = "webmention"
    verbose_name = "Webmention"
