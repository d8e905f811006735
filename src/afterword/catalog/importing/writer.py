"""Write catalog records to the database, one row at a time, and report.

Every row is saved inside its own savepoint: a row that fails (an unknown
person, a parent cycle, a bad value) is rolled back alone and reported with
its number and reason; rows before and after it are kept. Rows are matched
by natural keys (slugs, and for credits, releases and relations the slugs
they join), so importing the same file twice updates instead of duplicating.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import actions
from ..models import Credit, Organisation, Person, Release, Role, Work, WorkRelation
from .records import (
    CreditRecord,
    OrganisationRecord,
    PersonRecord,
    RelationRecord,
    ReleaseRecord,
    WorkRecord,
)

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"


@dataclass
class RowResult:
    kind: str
    row: int
    key: str
    status: str
    reason: str = ""


@dataclass
class Report:
    results: list[RowResult] = field(default_factory=list)

    def add(self, kind: str, row: int, key: str, status: str, reason: str = "") -> None:
        self.results.append(RowResult(kind, row, key, status, reason))

    @property
    def rejected(self) -> list[RowResult]:
        return [r for r in self.results if r.status == REJECTED]

    def counts(self) -> dict[str, Counter]:
        counts: dict[str, Counter] = {}
        for r in self.results:
            counts.setdefault(r.kind, Counter())[r.status] += 1
        return counts

    def lines(self) -> list[str]:
        """The report as text: one summary line per kind, then each rejected row."""
        out = []
        for kind, counter in self.counts().items():
            summary = ", ".join(
                f"{counter[s]} {s}" for s in (CREATED, UPDATED, UNCHANGED, REJECTED)
            )
            out.append(f"{kind}: {summary}")
        for r in self.rejected:
            out.append(
                f"Rejected {r.kind} row {r.row} ({r.key or 'no key'}): {r.reason}"
            )
        return out


def _message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(msgs)}" if name != "__all__" else " ".join(msgs)
            for name, msgs in error.message_dict.items()
        )
    return " ".join(error.messages)


def _lookup(model, slug: str, label: str):
    if not slug:
        return None
    obj = model.objects.filter(slug=slug).first()
    if obj is None:
        raise ValidationError(
            f"There is no {label} “{slug}” in the catalog or the file."
        )
    return obj


def _upsert(model, lookup: dict[str, Any], values: dict[str, Any]) -> tuple[Any, str]:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        status = CREATED
    else:
        if all(getattr(obj, k) == v for k, v in values.items()):
            return obj, UNCHANGED
        for k, v in values.items():
            setattr(obj, k, v)
        status = UPDATED
    actions.save_catalog_object(obj)
    return obj, status


def _organisation(r: OrganisationRecord):
    return _upsert(
        Organisation,
        {"slug": r.slug},
        {
            "name": r.name,
            "kind": r.kind,
            "native_name": r.native_name,
            "description": r.description,
            "website": r.website,
        },
    )


def _person(r: PersonRecord):
    return _upsert(
        Person,
        {"slug": r.slug},
        {
            "name": r.name,
            "native_name": r.native_name,
            "alternative_names": "\n".join(r.alternative_names),
            "bio": r.bio,
            "links": "\n".join(r.links),
        },
    )


def _work(r: WorkRecord):
    values = {
        "title": r.title,
        "kind": r.kind,
        "year": r.year,
        "original_title": r.original_title,
        "alternative_titles": "\n".join(r.alternative_titles),
        "runtime": r.runtime,
        "country": r.country,
        "synopsis": r.synopsis,
        "part_order": r.part_order,
    }
    existing = Work.objects.filter(slug=r.slug).first()
    # A new part whose parent comes later in the file is created without it;
    # the parents pass then links it.
    values["parent"] = existing.parent if existing else None
    return _upsert(Work, {"slug": r.slug}, values)


def _work_parent(r: WorkRecord) -> str:
    work = Work.objects.get(slug=r.slug)
    parent = _lookup(Work, r.parent, "work") if r.parent else None
    if work.parent_id == (parent.pk if parent else None):
        return UNCHANGED
    work.parent = parent
    actions.save_catalog_object(work)
    return UPDATED


def _credit(r: CreditRecord):
    if bool(r.person) == bool(r.organisation):
        raise ValidationError("A credit names either a person or an organisation.")
    lookup = {
        "work": _lookup(Work, r.work, "work"),
        "role": _lookup(Role, r.role, "role"),
        "character_name": r.character_name,
    }
    if r.person:
        lookup["person"] = _lookup(Person, r.person, "person")
    else:
        lookup["organisation"] = _lookup(Organisation, r.organisation, "organisation")
    return _upsert(Credit, lookup, {"applies_to_parts": r.applies_to_parts})


def _release(r: ReleaseRecord):
    lookup = {
        "work": _lookup(Work, r.work, "work"),
        "format": r.format,
        "region": r.region,
        "edition": r.edition,
    }
    values = {
        "distributor": _lookup(Organisation, r.distributor, "organisation"),
        "year": r.year or (r.date.year if r.date else None),
        "date": r.date,
        "aspect_ratio": r.aspect_ratio,
        "audio_languages": r.audio_languages,
        "subtitle_languages": r.subtitle_languages,
        "in_print": r.in_print,
        "notes": r.notes,
    }
    return _upsert(Release, lookup, values)


def _relation(r: RelationRecord):
    lookup = {
        "source": _lookup(Work, r.source, "work"),
        "target": _lookup(Work, r.target, "work"),
        "kind": r.kind,
    }
    return _upsert(WorkRelation, lookup, {"note": r.note})


WRITERS = {
    "organisations": _organisation,
    "people": _person,
    "works": _work,
    "credits": _credit,
    "releases": _release,
    "relations": _relation,
}


def _key(record) -> str:
    for name in ("slug", "work", "source"):
        if hasattr(record, name):
            return getattr(record, name)
    return ""


def write(parsed: dict[str, list[tuple[int, Any]]], report: Report) -> Report:
    """Write parsed rows (``kind -> [(row number, record or RowError)]``)."""
    work_rows = []
    for kind, rows in parsed.items():
        for number, record in rows:
            if isinstance(record, Exception):
                report.add(kind, number, "", REJECTED, str(record))
                continue
            try:
                with transaction.atomic():
                    _, status = WRITERS[kind](record)
            except ValidationError as error:
                report.add(kind, number, _key(record), REJECTED, _message(error))
                continue
            report.add(kind, number, _key(record), status)
            if kind == "works":
                work_rows.append((number, record, len(report.results) - 1))
        if kind == "works":
            _write_parents(work_rows, report)
    return report


def _write_parents(work_rows, report: Report) -> None:
    """Second pass over works: link parents once every work of the file exists."""
    for number, record, index in work_rows:
        try:
            with transaction.atomic():
                status = _work_parent(record)
        except ValidationError as error:
            reason = (
                _message(error)
                + " The work's other fields were saved; its parent was not."
            )
            report.results[index] = RowResult(
                "works", number, record.slug, REJECTED, reason
            )
            continue
        if status == UPDATED and report.results[index].status == UNCHANGED:
            report.results[index].status = UPDATED
