"""Exports of labelled claims: errors, an empty export, streaming, every field's value.

The exports of the seed articles are in test_export_seeds.py.
"""

import csv
import io
import json

import pytest

from tests import factories
from tests.api.exports import body, export
from tests.export_world import PINNED_TEXT, build_pinned, expected_record
from tests.factories import SourceFactory, annotate_opening


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
