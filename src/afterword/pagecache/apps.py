from django.apps import AppConfig


class PagecacheConfig(AppConfig):
    name = "afterword.pagecache"
    label = "pagecache"
