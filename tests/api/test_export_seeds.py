"""Exports of the seed articles (two reviews and an adjudication): contents in every
format, filters, the export command."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from claims.models import Claim
from tests.api.exports import body, export, foreign_minister
from tests.module_world import world_per_module


def load_seeds():
    call_command("load_seeds", stdout=io.StringIO())


# Loaded once for the module (the seeds hold Ann, Ben and Eve, whom the cast fixtures
# find); each test's changes are rolled back.
seeds_of_the_module = world_per_module(load_seeds)


@pytest.fixture
def seeded(seeds_of_the_module, db):
    pass


def test_seed_export_holds_the_foreign_minister_correction_and_its_source(
    seeded, editor_eve, api_as
):
    lines = export(api_as(editor_eve), "format=jsonl").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == Claim.objects.count()
    tag = foreign_minister(records)
    assert (tag["start"], tag["end"]) == (65, 81)
    assert tag["error_type"] == "wrong-title"
    assert tag["error_type_name"] == "Wrong title or role"
    assert tag["correction"] == "Secretary of State"
    assert tag["reviewer"] == "ann"
    assert tag["sources"][0]["url"] == "https://www.state.gov/biographies/antony-j-blinken/"


def test_record_shape(seeded, editor_eve, api_as):
    records = json.loads(export(api_as(editor_eve), "format=json&has_errors=true"))
    first = records[0]
    assert set(first) == {"labels", "article", "claim", "annotations", "verdicts", "final"}
    assert first["labels"] == "all"
    assert set(first["article"]) == {"id", "title", "url"}
    assert set(first["claim"]) == {
        *("id", "order", "paragraph", "start", "end", "start_utf16", "end_utf16"),
        *("text", "kind"),
    }
    assert {v["reviewer"]: v["label"] for v in first["verdicts"]} == {
        "ann": "inaccurate",
        "ben": "inaccurate",
    }
    for record in records:
        assert record["annotations"]
        for tag in record["annotations"]:
            claim = record["claim"]
            assert claim["start"] <= tag["start"] < tag["end"] <= claim["end"]
            offset = claim["start"]
            assert claim["text"][tag["start"] - offset : tag["end"] - offset] == tag["quote"]


def test_three_formats_carry_the_same_claims(seeded, editor_eve, api_as):
    client = api_as(editor_eve)
    jsonl = [json.loads(line) for line in export(client, "format=jsonl").splitlines()]
    as_json = json.loads(export(client, "format=json"))
    rows = list(csv.DictReader(io.StringIO(export(client, "format=csv"))))
    assert jsonl == as_json
    assert [int(row["claim_id"]) for row in rows] == [r["claim"]["id"] for r in jsonl]
    row = next(row for row in rows if row["text"].startswith("Foreign Minister"))
    assert row["labels"] == "all"
    assert sorted(row["error_types"].split(";")) == ["mistranslation", "wrong-title", "wrong-title"]
    assert row["final_error_types"] == "wrong-title;mistranslation"
    assert row["final_corrections"] == (
        "Secretary of State | the administration's long-awaited trip"
    )
    assert row["final_verdict"] == "inaccurate"
    tags = json.loads(row["annotations"])
    assert tags[0]["sources"][0]["publisher"] == "U.S. Department of State"


def test_export_filters_are_the_claim_filters(seeded, editor_eve, api_as):
    client = api_as(editor_eve)
    titles = [
        json.loads(line)
        for line in export(client, "format=jsonl&error_type=wrong-title").splitlines()
    ]
    assert [r["claim"]["text"][:16] for r in titles] == ["Foreign Minister"]
    boilerplate = [
        json.loads(line) for line in export(client, "format=jsonl&kind=boilerplate").splitlines()
    ]
    assert {r["claim"]["kind"] for r in boilerplate} == {"boilerplate"}
    assert any(r["claim"]["text"] == "Leave a Comment" for r in boilerplate)


def test_export_command_writes_the_same_records(seeded, editor_eve, api_as, tmp_path):
    path = tmp_path / "claims.jsonl"
    err = io.StringIO()
    call_command("export_claims", "--format", "jsonl", "--output", str(path), stderr=err)
    from_command = [json.loads(line) for line in path.read_text().splitlines()]
    over_api = [
        json.loads(line) for line in export(api_as(editor_eve), "format=jsonl").splitlines()
    ]
    assert from_command == over_api
    assert f"Wrote {len(over_api)} claims to {path}" in err.getvalue()


def test_export_command_filters_and_refuses_bad_values(seeded, tmp_path):
    out = io.StringIO()
    call_command(
        "export_claims",
        "--format",
        "csv",
        "--error-type",
        "wrong-date",
        "--reviewer",
        "ben",
        stdout=out,
    )
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 1 and "in California in March" in rows[0]["text"]
    with pytest.raises(Exception, match="--article"):
        call_command("export_claims", "--article", "999999", stdout=io.StringIO())


@pytest.mark.parametrize("labels", ["raw", "final", "all"])
def test_export_says_which_labels_it_holds(seeded, editor_eve, api_as, labels):
    response = api_as(editor_eve).get(f"/api/v1/export/claims?format=jsonl&labels={labels}")
    assert response["X-Export-Labels"] == labels
    assert f"claims-{labels}.jsonl" in response["Content-Disposition"]
    records = [json.loads(line) for line in body(response).splitlines()]
    assert {r["labels"] for r in records} == {labels}
    assert ("annotations" in records[0]) == (labels in ("raw", "all"))
    assert ("final" in records[0]) == (labels in ("final", "all"))


def test_final_labels_name_the_editor_and_the_reviewer_annotations_they_came_from(
    seeded, editor_eve, api_as
):
    records = [
        json.loads(line)
        for line in export(api_as(editor_eve), "format=jsonl&labels=all").splitlines()
    ]
    record = next(r for r in records if r["claim"]["text"].startswith("Foreign Minister"))
    final = record["final"]
    assert final["adjudicated_by"] == "eve"
    assert final["verdict"] == "inaccurate"
    title = next(a for a in final["annotations"] if a["error_type"] == "wrong-title")
    assert title["correction"] == "Secretary of State"
    assert title["sources"][0]["url"] == "https://www.state.gov/biographies/antony-j-blinken/"
    raw_ids = {
        a["reviewer"]: a["id"] for a in record["annotations"] if a["quote"] == "Foreign Minister"
    }
    assert title["from_annotations"] == sorted(raw_ids.values())
    rejected = next(r for r in records if r["claim"]["text"].startswith("China views Taiwan"))
    assert rejected["final"]["annotations"] == []
    assert rejected["final"]["verdict"] == "accurate"
    assert [a["quote"] for a in rejected["annotations"]] == ["the democratic nation"]
    untouched = next(r for r in records if r["claim"]["text"] == "Leave a Comment")
    assert untouched["final"] is None


def test_final_only_csv_has_final_columns_and_no_raw_ones(seeded, tmp_path):
    path = tmp_path / "final.csv"
    call_command(
        "export_claims",
        "--format",
        "csv",
        "--labels",
        "final",
        "--output",
        str(path),
        stderr=io.StringIO(),
    )
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert "annotations" not in rows[0] and "final_error_types" in rows[0]
    assert {row["labels"] for row in rows} == {"final"}
    # Seven claims with final errors, and one whose only tag the editor rejected.
    assert sum(row["adjudicated"] == "true" for row in rows) == 8
