from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "afterword.subscriptions"
    label = "subscriptions"
