from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "afterword.social"
    label = "social"
    verbose_name = "Social login"
