"""How the public site looks, as the writer set it on the desk.

One row (``SiteAppearance.load()``): the site's title and tagline, the accent
colour, the footer line, whether posts show their series box, and the colour
scheme readers get. Empty text falls back to the installation's settings
(``SITE_NAME``, ``SITE_DESCRIPTION``), so a new site looks as before.
The row is read once per process per change: ``load()`` keeps it in the
cache, which ``theme.apps`` empties when the row changes.
"""

from __future__ import annotations

import contextlib

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import colours

CACHE_KEY = "afterword:theme:appearance"


def validate_accent(value: str) -> None:
    """A hex colour on which white text (and which, as links, on a white page)
    reads at WCAG AA contrast."""
    if not value:
        return
    try:
        colour = colours.normalise(value)
    except ValueError:
        raise ValidationError(
            _("Write the colour as a hex code such as #8a2b17."), code="invalid"
        ) from None
    ratio = colours.contrast(colour, colours.WHITE)
    if ratio < colours.AA_TEXT:
        raise ValidationError(
            _(
                "%(colour)s is too light: white text on it (and links in it on a "
                "white page) has a contrast of %(ratio).1f:1, below the 4.5:1 "
                "people need to read it. Choose a darker shade."
            ),
            code="low_contrast",
            params={"colour": colour, "ratio": ratio},
        )


class SiteAppearance(models.Model):
    class Scheme(models.TextChoices):
        AUTO = "auto", _("Follow the reader's system setting")
        LIGHT = "light", _("Always light")
        DARK = "dark", _("Always dark")

    site_title = models.CharField(
        _("site title"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the name set when the site was installed."),
    )
    tagline = models.CharField(
        _("tagline"),
        max_length=300,
        blank=True,
        help_text=_("One line about the site, shown beside every page."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        blank=True,
        validators=[validate_accent],
        help_text=_(
            "Links and buttons in the light scheme, as a hex code (#8a2b17). "
            "Empty: the theme's own."
        ),
    )
    footer_text = models.CharField(
        _("footer text"),
        max_length=300,
        blank=True,
        help_text=_("A line at the foot of every page, after the copyright."),
    )
    show_series_box = models.BooleanField(
        _("show the series box on posts"),
        default=True,
        help_text=_("The list of a series' parts at the top of each part."),
    )
    colour_scheme = models.CharField(
        _("colour scheme"),
        max_length=5,
        choices=Scheme.choices,
        default=Scheme.AUTO,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("site appearance")
        verbose_name_plural = _("site appearance")

    def __str__(self) -> str:
        return str(_("Site appearance"))

    def clean(self) -> None:
        super().clean()
        if self.accent_colour:
            # A value that is no colour is left for the field's validator.
            with contextlib.suppress(ValueError):
                self.accent_colour = colours.normalise(self.accent_colour)

    @classmethod
    def load(cls) -> SiteAppearance:
        """The current appearance (the defaults before anyone saved one)."""
        current = cache.get(CACHE_KEY)
        if current is None:
            current = cls.objects.filter(pk=1).first() or cls(pk=1)
            cache.set(CACHE_KEY, current, None)
        return current

    @property
    def version(self) -> int:
        """Changes whenever the row is saved: part of the stylesheet's address."""
        return int(self.updated_at.timestamp()) if self.updated_at else 0

    @property
    def accent_hover(self) -> str:
        return colours.darken(self.accent_colour) if self.accent_colour else ""
