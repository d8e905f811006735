"""The catalog's rules about values, shared by the models' validation and the
actions: ratings on the site's scale, and works that cannot be their own
ancestors. Nothing here writes; nothing here imports the models (the models
import this module)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Parents deeper than this are almost certainly a mistake (or a cycle that
# slipped past); walking stops here so a bad row can never loop forever.
MAX_PARENT_DEPTH = 32


def rating_scale() -> int:
    """The site's rating scale: 5 (stars), 10, or 0 (no ratings)."""
    return int(getattr(settings, "AFTERWORD_RATING_SCALE", 5))


def check_rating(rating) -> Decimal | None:
    """Return the rating as a Decimal, or raise a ValidationError naming the scale.

    Ratings go from 0 to the scale in steps of one half.
    """
    if rating in (None, ""):
        return None
    scale = rating_scale()
    if scale == 0:
        raise ValidationError(
            {
                "rating": _(
                    "This site does not use ratings (AFTERWORD_RATING_SCALE is 0)."
                )
            }
        )
    try:
        value = Decimal(str(rating))
    except InvalidOperation:
        raise ValidationError({"rating": f"“{rating}” is not a number."}) from None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(scale):
        raise ValidationError(
            {"rating": f"A rating must be between 0 and {scale}; {rating} is not."}
        )
    if (value * 2) % 1:
        raise ValidationError({"rating": _("Ratings go in steps of 0.5.")})
    return value


def check_parent(work, parent) -> None:
    """Refuse a parent that is the work itself or one of its own descendants."""
    if parent is None:
        return
    if work.pk and parent.pk == work.pk:
        raise ValidationError({"parent": "A work cannot be its own parent."})
    works = type(work)._base_manager
    seen = set()
    current = parent
    depth = 0
    while current is not None:
        if work.pk and current.pk == work.pk:
            raise ValidationError(
                {
                    "parent": f"“{parent}” is already a part of “{work}” "
                    "(directly or further down), so it cannot also be its parent."
                }
            )
        if current.pk in seen or depth > MAX_PARENT_DEPTH:
            raise ValidationError({"parent": _("The chain of parents loops.")})
        seen.add(current.pk)
        depth += 1
        current = (
            works.filter(pk=current.parent_id).first() if current.parent_id else None
        )
