from django.apps import AppConfig


class DemoAppConfig(AppConfig):
    name = "tests.setup.demo_app"
    label = "setup_demo_app"
