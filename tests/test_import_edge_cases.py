"""import_articles on awkward input: wrong types, NUL, U+2028, a byte-order mark."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.models import Article, Claim


def import_failing(*paths) -> tuple[str, list[str]]:
    """Run an import expected to report problems: (summary, stderr lines)."""
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_articles", *map(str, paths), stdout=StringIO(), stderr=err)
    return str(failed.value), err.getvalue().splitlines()


def test_non_text_title_is_named_by_line_and_later_lines_still_import(db, tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(
        json.dumps({"title": 5, "text": "Five. It rained."})
        + "\n"
        + json.dumps({"title": "Good", "text": "Good one. Fine."})
        + "\n"
    )
    summary, problems = import_failing(path)
    assert "Imported 1 article (2 claims), 0 already stored, 1 failed." in summary
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:1: ")
    assert "must be text" in problems[0]
    assert Article.objects.get().title == "Good"


def test_nul_in_the_text_is_reported_for_its_line_and_nothing_is_half_written(db, tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(
        json.dumps({"title": "Good", "text": "Good one. Fine."})
        + "\n"
        + json.dumps({"title": "Nul", "text": "Bad\u0000 one. Here."})
        + "\n"
    )
    summary, problems = import_failing(path)
    assert "1 failed" in summary
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:2: ")
    assert "NUL" in problems[0]
    assert list(Article.objects.values_list("title", flat=True)) == ["Good"]
    assert not Claim.objects.exclude(article__title="Good").exists()


def test_line_separator_inside_a_json_string_does_not_split_the_line(db, tmp_path):
    path = tmp_path / "batch.jsonl"
    rows = [
        {"title": "One", "text": "First\u2028part. It rained."},
        {"title": "Two", "text": "Two. It snowed."},
        {"title": "Three", "text": "Bad url.", "url": "not a url"},
    ]
    # ensure_ascii=False leaves U+2028 unescaped, as JSON allows and many writers do.
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    assert "\u2028" in path.read_text()
    summary, problems = import_failing(path)
    assert "Imported 2 articles" in summary
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:3: ")
    assert Article.objects.get(title="One").text == "First\u2028part. It rained."
    assert Article.objects.filter(title="Two").exists()


def test_txt_file_with_a_byte_order_mark_imports_without_it(db, tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfRates rise\n\nThe bank raised rates. Markets fell.\n")
    out = StringIO()
    call_command("import_articles", str(path), stdout=out, stderr=StringIO())
    assert out.getvalue().startswith("Imported 1 article (")
    story = Article.objects.get()
    assert story.title == "Rates rise"
    assert story.text == "Rates rise\n\nThe bank raised rates. Markets fell.\n"
    assert "\ufeff" not in story.text
    assert story.claims.first().text == "Rates rise"


def test_a_date_that_is_not_text_is_reported_for_its_line(db, tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({"text": "Hi there. Ok.", "published": 0}) + "\n")
    summary, problems = import_failing(path)
    assert problems == [f"{path}:1: published_on must be text (a JSON string)"]
    assert not Article.objects.exists()


def test_null_metadata_means_not_given(db, tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(
        json.dumps({"text": "Hi there. Ok.", "outlet": None, "byline": None, "url": None}) + "\n"
    )
    call_command("import_articles", str(path), stdout=StringIO(), stderr=StringIO())
    article = Article.objects.get()
    assert (article.outlet, article.byline, article.url) == ("", "", None)
