# ruff: noqa: E501  (one role per line reads best as a table)
"""The curated roles every site starts with; writers add more in the admin.

The seeding migration and the test fixtures both use :func:`seed_roles`, so
the list lives in one place.
"""

from __future__ import annotations

# slug, name, plural label, kind, sort order, key role, schema.org property,
# names a character
DEFAULT_ROLES = [
    ("original-creator", "Original creator", "Original story", "person", 10, True, "author", False),
    ("director", "Director", "Directors", "person", 20, True, "director", False),
    ("screenplay", "Screenplay", "Screenplay", "person", 30, True, "author", False),
    ("author", "Author", "Authors", "person", 35, True, "author", False),
    ("music", "Music", "Music", "person", 40, True, "musicBy", False),
    ("character-design", "Character design", "Character design", "person", 50, True, "", False),
    ("art-director", "Art director", "Art direction", "person", 55, False, "", False),
    ("animation-director", "Animation director", "Animation direction", "person", 60, False, "", False),
    ("cinematography", "Cinematography", "Cinematography", "person", 65, False, "", False),
    ("editor", "Editor", "Editing", "person", 70, False, "", False),
    ("producer", "Producer", "Producers", "person", 75, False, "producer", False),
    ("cast", "Cast", "Cast", "person", 80, False, "actor", True),
    ("voice", "Voice", "Voice cast", "person", 85, False, "actor", True),
    ("illustrator", "Illustrator", "Illustration", "person", 90, False, "illustrator", False),
    ("animation-studio", "Animation studio", "Animation studio", "organisation", 110, True, "productionCompany", False),
    ("developer", "Developer", "Developers", "organisation", 115, True, "author", False),
    ("production-company", "Production company", "Production", "organisation", 120, False, "productionCompany", False),
    ("publisher", "Publisher", "Publishers", "organisation", 130, False, "publisher", False),
    ("distributor", "Distributor", "Distribution", "organisation", 140, False, "", False),
]  # fmt: skip


def seed_roles(role_model) -> None:
    """Create the default roles that are missing (existing ones are kept as edited)."""
    for slug, name, plural, kind, order, key, prop, character in DEFAULT_ROLES:
        role_model.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "plural_label": plural,
                "kind": kind,
                "sort_order": order,
                "is_key": key,
                "jsonld_property": prop,
                "has_character": character,
            },
        )
