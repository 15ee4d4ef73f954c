"""import_articles: formats, errors that name the file and line, idempotence."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.models import Article, Claim


def run_import(*paths):
    out, err = StringIO(), StringIO()
    call_command("import_articles", *map(str, paths), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_txt_import_takes_the_first_line_as_title(db, tmp_path, seed_text):
    path = tmp_path / "story.txt"
    path.write_bytes(seed_text.encode("utf-8"))
    out, _ = run_import(path)
    article = Article.objects.get()
    assert article.title == "Antony Blinken fails to resume US-China military communications"
    assert article.text == seed_text
    assert out.startswith("Imported 1 article (")
    assert article.claims.count() > 20
    for claim in article.claims.all():
        assert article.text[claim.start : claim.end] == claim.text


def test_crlf_is_normalised_once_and_offsets_refer_to_the_stored_text(db, tmp_path):
    path = tmp_path / "windows.txt"
    path.write_bytes(b"Title line\r\n\r\nFirst sentence. Second one.\r\n")
    run_import(path)
    article = Article.objects.get()
    assert "\r" not in article.text
    assert [c.text for c in article.claims.all()] == [
        "Title line",
        "First sentence.",
        "Second one.",
    ]
    second = article.claims.get(text="Second one.")
    assert article.text[second.start : second.end] == "Second one."


def test_jsonl_imports_metadata_and_reimport_does_not_duplicate(db, tmp_path):
    path = tmp_path / "batch.jsonl"
    rows = [
        {
            "title": "One",
            "text": "One. It rained.",
            "url": "https://news.example/1",
            "author": "A. Writer",
            "published": "2023-06-19",
            "outlet": "Example",
        },
        {"title": "Two", "text": "Two. It snowed.", "language": "de"},
    ]
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    out, _ = run_import(path)
    assert out.strip() == "Imported 2 articles (4 claims), 0 already stored, 0 failed."
    one = Article.objects.get(title="One")
    assert (one.byline, str(one.published_on), one.outlet) == ("A. Writer", "2023-06-19", "Example")
    out, _ = run_import(path)
    assert out.strip() == "Imported 0 articles (0 claims), 2 already stored, 0 failed."
    assert Article.objects.count() == 2


def test_same_url_with_changed_text_is_not_imported_twice(db, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"text": "Old text.", "url": "https://news.example/x"}))
    run_import(path)
    path.write_text(json.dumps({"text": "New text.", "url": "https://news.example/x"}))
    out, _ = run_import(path)
    assert "1 already stored" in out
    assert Article.objects.get().text == "Old text."


def test_bad_line_is_named_and_leaves_nothing_behind_while_good_lines_land(db, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps({"text": "Good one. Fine."})
        + "\n"
        + '{"text": "broken\n'
        + json.dumps({"text": "Bad date.", "published": "19 June"})
        + "\n"
        + json.dumps({"text": "   "})
        + "\n"
        + json.dumps({"text": "Bad url.", "url": "not a url"})
        + "\n"
    )
    with pytest.raises(CommandError, match="4 failed") as failed:
        run_import(path)
    assert "Imported 1 article (2 claims), 0 already stored, 4 failed." in str(failed.value)
    assert Article.objects.count() == 1
    assert Claim.objects.count() == 2


def test_errors_name_file_and_line(db, tmp_path, capsys):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps({"text": "Fine."})
        + "\n"
        + "{oops\n"
        + json.dumps({"text": "Bad url.", "url": "not a url"})
        + "\n"
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(path), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith(f"{path}:2: invalid JSON")
    assert lines[1].startswith(f"{path}:3: ") and "URL" in lines[1]


def test_unknown_file_type_and_missing_file_are_clear(db, tmp_path):
    with pytest.raises(CommandError, match="No such file: .*nope.txt"):
        run_import(tmp_path / "nope.txt")
    odd = tmp_path / "story.docx"
    odd.write_text("x")
    with pytest.raises(CommandError) as failed:
        run_import(odd)
    assert "1 failed" in str(failed.value)


def test_json_file_with_a_list_names_the_item(db, tmp_path):
    path = tmp_path / "list.json"
    path.write_text(json.dumps([{"text": "Fine."}, {"txt": "typo"}]))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(path), stdout=StringIO(), stderr=err)
    assert f"{path}[1]: unknown fields ['txt']" in err.getvalue()
