from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "afterword.discussion"
    label = "discussion"
