"""The ``afterword`` command: Django's management commands, with our settings.

Every sub-command is a management command: Afterword's own (``setup_site``,
``serve``, ``load_demo`` and those other apps add) and Django's (``migrate``,
``createsuperuser``, ``db_worker`` ...). The command works from any directory:
it reads the site's configuration from environment variables (see
docs/configuration.md), so one installation can operate on several sites::

    AFTERWORD_DATA_DIR=/srv/site-a afterword setup_site
    AFTERWORD_DATA_DIR=/srv/site-b afterword serve --port 8001

A configuration mistake is reported as one clear line, not a traceback.
"""

from __future__ import annotations

import gc
import os
import sys

DEFAULT_SETTINGS = "afterword.config.settings.base"
HELP_WORDS = {"help", "--help", "-h"}


def main(argv: list[str] | None = None) -> None:
    """Run one ``afterword`` sub-command (``argv`` defaults to the real ones)."""
    args = sys.argv[1:] if argv is None else list(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)

    from django.core.exceptions import ImproperlyConfigured

    try:
        _load_settings()
    except ImproperlyConfigured as error:
        print(f"afterword: configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None

    if not args or (len(args) == 1 and args[0] in HELP_WORDS):
        print(help_text())
        return

    from django.core.management import execute_from_command_line

    # `afterword import-wxr` runs the module import_wxr: command modules
    # cannot have hyphens in their names, people like typing them.
    if not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["afterword", *args])
    if args[0] == "build":
        # Done, and the process about to end: what the build still holds
        # (templates, posts, addresses; its files are written and closed)
        # is frozen, so that the interpreter's last collection does not walk
        # it all on the way out. That walk was 0.2 s of the 1.5 s a build
        # after one edit took.
        gc.freeze()


def _load_settings() -> None:
    """Import the settings now, so a bad variable fails before any command."""
    from django.conf import settings

    settings.INSTALLED_APPS  # noqa: B018 -- touching a setting imports them all


def help_text() -> str:
    """Afterword's own commands first, with their purpose, then all the others."""
    import django
    from django.conf import settings
    from django.core.management import get_commands, load_command_class

    django.setup()
    ours: list[tuple[str, str]] = []
    others: dict[str, list[str]] = {}
    for name, app in sorted(get_commands().items()):
        if app.startswith("afterword."):
            ours.append((name, _first_sentence(load_command_class(app, name).help)))
        else:
            label = "django" if app == "django.core" else app.rpartition(".")[2]
            others.setdefault(label, []).append(name)

    width = max((len(name) for name, _ in ours), default=0)
    lines = [
        "Usage: afterword <command> [options]   (afterword help <command> for details)",
        "",
        f"Site data: {settings.DATA_DIR}",
        "  (AFTERWORD_DATA_DIR, default ./var; see docs/configuration.md)",
        "",
        "Afterword commands:",
        *(f"  {name.ljust(width)}  {summary}" for name, summary in ours),
        "",
        "Django and library commands:",
    ]
    for app, names in sorted(others.items()):
        lines.append(f"  [{app}] {', '.join(names)}")
    return "\n".join(lines)


def _first_sentence(text: str) -> str:
    sentence = " ".join(text.split()).split(". ")[0]
    return sentence if sentence.endswith(".") else f"{sentence}."


if __name__ == "__main__":
    main()
