"""The ``afterword`` command: Django's management commands, with our settings.

``afterword serve`` starts the production server and the task worker;
every other sub-command is a Django management command (``migrate``,
``createsuperuser``, ``load_demo``, ``db_worker`` ...).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "afterword.config.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["afterword", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
