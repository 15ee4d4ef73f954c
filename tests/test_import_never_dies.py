"""import_articles reads every line whatever is wrong with the others: each bad line is
reported as file:line: what to fix, the good ones are imported, and the exit is non-zero."""

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from claims import services
from claims.models import Article
from claims.validation import article_problems


def import_failing(*paths) -> tuple[str, list[str]]:
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_articles", *map(str, paths), stdout=StringIO(), stderr=err)
    return str(failed.value), err.getvalue().splitlines()


def test_every_bad_line_is_reported_and_every_good_line_imported(db, tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"title": "First", "text": "First story. It rained."}).encode(),
        b'{"title": "Latin-1", "text": "Caf\xe9 story. Closed."}',
        # json.dumps escapes the lone surrogate as \ud800, as a broken exporter would.
        json.dumps({"title": "Half a pair", "text": "Bad \ud800 here. Yes."}).encode(),
        json.dumps({"title": "Nul\u0000title", "text": "Nul story. Here."}).encode(),
        json.dumps({"title": "Number", "text": 42}).encode(),
        json.dumps({"title": "Empty", "text": "   "}).encode(),
        b"{not json",
        json.dumps({"title": "Last", "text": "Last story. It snowed."}).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")

    summary, problems = import_failing(path)

    assert "Imported 2 articles" in summary
    assert "6 failed" in summary
    assert problems == [
        f"{path}:2: not valid UTF-8 at byte 34 of the line; save the file as UTF-8",
        f"{path}:3: text contains a lone surrogate (\\ud800) at position 4, which is not a "
        "character; fix the \\u escape (a surrogate must come in a pair)",
        f"{path}:4: title contains a NUL character (\\x00) at position 3; remove it",
        f"{path}:5: text must be text (a JSON string)",
        f"{path}:6: text is missing or empty",
        f"{path}:7: invalid JSON: Expecting property name enclosed in double quotes (column 2)",
    ]
    assert sorted(Article.objects.values_list("title", flat=True)) == ["First", "Last"]


def test_invalid_utf8_in_a_text_file_names_its_line_and_byte(db, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Title\n\nGood line.\nCaf\xe9 line.\n")
    good = tmp_path / "good.txt"
    good.write_text("Rates rise\n\nThe bank raised rates. Markets fell.\n")
    summary, problems = import_failing(bad, good)
    assert problems == [f"{bad}:4: not valid UTF-8 at byte 4 of the line; save the file as UTF-8"]
    assert "Imported 1 article" in summary
    assert Article.objects.get().title == "Rates rise"


def test_the_api_refuses_what_the_importer_refuses(db, reviewer_ann, api_as):
    client = api_as(reviewer_ann)
    for fields in ({"title": "Nul\u0000", "text": "A story. Here."}, {"text": "  "}):
        assert article_problems(fields)
        response = client.post("/api/v1/articles/", fields, format="json")
        assert response.status_code == 400, response.content
    long_title = {"title": "T" * 501, "text": "A story. Here."}
    response = client.post("/api/v1/articles/", long_title, format="json")
    assert response.status_code == 400
    assert not Article.objects.exists()


def test_the_service_refuses_a_nul_in_the_title_whoever_calls_it(db):
    with pytest.raises(ValidationError, match="NUL"):
        services.article_import(title="Nul\u0000", text="A story. Here.")
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        (
            {"text": "ok", "byline": "x\u0000"},
            {"byline": "contains a NUL character (\\x00) at position 1; remove it"},
        ),
        (
            {"text": "ok", "published_on": "June"},
            {"published_on": "'June' is not a date (use YYYY-MM-DD)"},
        ),
        ({"text": "ok", "outlet": ["a"]}, {"outlet": "must be text (a JSON string)"}),
        ({"title": "no text"}, {"text": "is missing or empty"}),
        ({"text": "fine", "url": None, "title": ""}, {}),
    ],
)
def test_article_problems_names_each_field(fields, problem):
    assert article_problems(fields) == problem
