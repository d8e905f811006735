from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "afterword.accounts"
    label = "accounts"
