"""Exports of labelled claims: contents in every format, the seeds, streaming."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.http import StreamingHttpResponse

from claims.models import Claim
from tests import factories
from tests.export_world import PINNED_TEXT, build_pinned, expected_record
from tests.factories import SourceFactory, annotate_opening


@pytest.fixture
def seeded(db):
    call_command("load_seeds", stdout=io.StringIO())


def body(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def export(client, query: str) -> str:
    response = client.get(f"/api/v1/export/claims?{query}")
    assert response.status_code == 200, response.content
    return body(response)


def foreign_minister(records):
    return next(a for r in records for a in r["annotations"] if a["quote"] == "Foreign Minister")


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


def test_unknown_format_is_a_clear_400(db, editor_eve, api_as):
    response = api_as(editor_eve).get("/api/v1/export/claims?format=xlsx")
    assert response.status_code == 400
    assert "use one of jsonl, csv, json" in response.json()["format"]


def test_empty_export_is_valid_in_every_format(db, editor_eve, api_as):
    client = api_as(editor_eve)
    assert export(client, "format=jsonl") == ""
    assert json.loads(export(client, "format=json")) == []
    assert export(client, "format=csv").startswith("labels,article_id,article_title")


def test_export_streams_in_chunks_with_queries_per_chunk_not_per_claim(
    seed_article, reviewer_ann, editor_eve, api_as, django_assert_max_num_queries, settings
):
    settings.FACTCHECK_EXPORT_CHUNK_SIZE = 10
    source = SourceFactory()
    for claim in seed_article.claims.filter(kind="statement")[:8]:
        annotate_opening(claim, reviewer_ann, 5, sources=[source])
    claims = seed_article.claims.count()
    chunks = -(-claims // 10)
    response = api_as(editor_eve).get("/api/v1/export/claims?format=jsonl")
    # SQLite: the claims once, then per chunk annotations, sources, verdicts and final labels
    # (none adjudicated here). PostgreSQL: one COPY, and JIT off and back.
    with django_assert_max_num_queries(4 * chunks + 2):
        lines = body(response).splitlines()
    assert len(lines) == claims


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


def test_unknown_labels_value_is_a_clear_400(db, editor_eve, api_as):
    response = api_as(editor_eve).get("/api/v1/export/claims?labels=gold")
    assert response.status_code == 400
    assert "use one of all, raw, final" in response.json()["labels"]


@pytest.fixture
def pinned(reviewer_ann, reviewer_ben, editor_eve):
    return build_pinned(reviewer_ann, reviewer_ben, editor_eve)


def test_every_exported_field_holds_the_value_that_was_set(pinned, editor_eve, api_as):
    claim = pinned.claim
    start = PINNED_TEXT.index("Talks lasted")
    expected = expected_record(pinned)
    client = api_as(editor_eve)
    query = f"article={claim.article_id}&has_errors=true"
    assert [json.loads(line) for line in export(client, f"format=jsonl&{query}").splitlines()] == [
        expected
    ]
    assert json.loads(export(client, f"format=json&{query}")) == [expected]
    [row] = csv.DictReader(io.StringIO(export(client, f"format=csv&{query}")))
    assert row == {
        "labels": "all",
        "article_id": str(claim.article_id),
        "article_title": "Minister visits",
        "article_url": "https://example.org/p",
        "claim_id": str(claim.pk),
        "order": "3",
        "paragraph": "2",
        "start": str(start),
        "end": str(start + len("Talks lasted three hours.")),
        "kind": "statement",
        "text": "Talks lasted three hours.",
        "has_errors": "true",
        "error_types": "wrong-name;wrong-number",
        "corrections": "five hours",
        "annotations": row["annotations"],  # JSON, compared below
        "verdicts": row["verdicts"],
        "adjudicated": "true",
        "final_error_types": "wrong-number",
        "final_corrections": "five hours (final)",
        "final_verdict": "misleading",
        "final": row["final"],
    }
    assert json.loads(row["annotations"]) == expected["annotations"]
    assert json.loads(row["verdicts"]) == expected["verdicts"]
    assert json.loads(row["final"]) == expected["final"]


def test_csv_flat_columns_of_a_claim_without_errors(pinned, editor_eve, api_as):
    claim = pinned.claim
    query = f"format=csv&article={claim.article_id}&has_errors=false"
    rows = list(csv.DictReader(io.StringIO(export(api_as(editor_eve), query))))
    assert [row["text"] for row in rows] == [
        "Minister visits Paris 🇫🇷",
        "The minister arrived in Paris on Monday.",
        "She met the president, she said.",
    ]
    for row in rows:
        assert (row["has_errors"], row["error_types"], row["corrections"]) == ("false", "", "")
        assert (row["adjudicated"], row["final_verdict"], row["final"]) == ("false", "", "null")


def test_utf16_offsets_count_what_javascript_counts(editor_eve, reviewer_ann, api_as):
    text = "Visit 😀 report\n\nThe 🇺🇸 Foreign Minister 👋 met Wang Yi."
    story = factories.article(text, title="Visit")
    claim = story.claims.get(text__startswith="The")
    factories.annotate(claim, reviewer_ann, "Wang Yi", slug="wrong-name")
    [record] = [
        json.loads(line)
        for line in export(
            api_as(editor_eve), f"format=jsonl&article={story.pk}&has_errors=true"
        ).splitlines()
    ]
    [tag] = record["annotations"]
    js = text.encode("utf-16-le")

    def js_slice(start, end):  # String.prototype.slice on the UTF-16 code units
        return js[2 * start : 2 * end].decode("utf-16-le")

    assert js_slice(record["claim"]["start_utf16"], record["claim"]["end_utf16"]) == claim.text
    assert js_slice(tag["start_utf16"], tag["end_utf16"]) == "Wang Yi"
    assert (tag["start_utf16"] - tag["start"], record["claim"]["start_utf16"] - claim.start) == (
        4,  # 😀 before the claim; 🇺🇸 (two) and 👋 inside it, before the span
        1,
    )
