from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "afterword.posts"
    label = "posts"
