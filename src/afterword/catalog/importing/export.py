"""Read the catalog into records, for the JSON and CSV formats."""

from __future__ import annotations

from ..models import Credit, Organisation, Person, Release, Work, WorkRelation
from .records import (
    CreditRecord,
    OrganisationRecord,
    PersonRecord,
    RelationRecord,
    ReleaseRecord,
    WorkRecord,
)


def catalog_records() -> dict[str, list]:
    """Every catalog row as a record, in a stable order (by natural key)."""
    return {
        "organisations": [
            OrganisationRecord(
                o.slug, o.name, o.kind, o.native_name, o.description, o.website
            )
            for o in Organisation.objects.order_by("slug")
        ],
        "people": [
            PersonRecord(
                p.slug,
                p.name,
                p.native_name,
                p.alternative_name_list,
                p.bio,
                p.link_list,
            )
            for p in Person.objects.order_by("slug")
        ],
        "works": [
            WorkRecord(
                slug=w.slug,
                title=w.title,
                kind=w.kind,
                year=w.year,
                original_title=w.original_title,
                alternative_titles=w.alternative_title_list,
                runtime=w.runtime,
                country=w.country,
                synopsis=w.synopsis,
                parent=w.parent.slug if w.parent else "",
                part_order=w.part_order,
            )
            for w in Work.objects.select_related("parent").order_by("slug")
        ],
        "credits": [
            CreditRecord(
                work=c.work.slug,
                role=c.role.slug,
                person=c.person.slug if c.person else "",
                organisation=c.organisation.slug if c.organisation else "",
                character_name=c.character_name,
                applies_to_parts=c.applies_to_parts,
            )
            for c in Credit.objects.select_related(
                "work", "role", "person", "organisation"
            ).order_by("work__slug", "role__sort_order", "id")
        ],
        "releases": [
            ReleaseRecord(
                work=r.work.slug,
                format=r.format,
                region=r.region,
                edition=r.edition,
                distributor=r.distributor.slug if r.distributor else "",
                year=r.year,
                date=r.date,
                aspect_ratio=r.aspect_ratio,
                audio_languages=r.audio_languages,
                subtitle_languages=r.subtitle_languages,
                in_print=r.in_print,
                notes=r.notes,
            )
            for r in Release.objects.select_related("work", "distributor").order_by(
                "work__slug", "id"
            )
        ],
        "relations": [
            RelationRecord(r.source.slug, r.target.slug, r.kind, r.note)
            for r in WorkRelation.objects.select_related("source", "target").order_by(
                "source__slug", "target__slug", "kind"
            )
        ],
    }
