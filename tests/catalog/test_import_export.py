"""Catalog import and export: JSON and CSV, reports, idempotent re-imports."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from afterword.catalog.importing import FileError, import_file
from afterword.catalog.models import Credit, Person, Release, Work, WorkRelation

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
