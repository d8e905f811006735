"""Changing how the public site looks: one action, used by the desk and admin."""

from __future__ import annotations

from afterword.core.actions import SaveObject

from .models import SiteAppearance


class SaveAppearance(SaveObject):
    """Validate and store the site's appearance (always the one row)."""

    name = "theme.save_appearance"

    def __init__(self, instance: SiteAppearance, *, user=None, change=None):
        instance.pk = 1
        super().__init__(instance, user=user, change=True if change is None else change)

    def execute(self) -> SiteAppearance:
        self.instance.save()
        return self.instance
