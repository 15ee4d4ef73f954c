"""import_articles writes a batch at a time: queries grow with batches, not articles; a
batch the database refuses is retried article by article, so only the bad one fails."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.importers import articles as article_files
from claims.models import Article, Claim
from claims.services import bulk_import, claim_rows
from claims.services.claim_rows import COLUMNS
from tests.factories import annotate, article

REFUSED = "The database refuses this sentence."
FIELDS = ["order", "paragraph", "start", "end", "start_utf16", "end_utf16", "text", "kind"]


def story(number: int, *extra: str) -> dict:
    return {
        "title": f"Story {number}",
        "text": f"Story {number}\n\nRates rose by {number}.5 per cent. Mr. Lee said so. "
        + " ".join(extra),
        "url": f"https://news.example/{number}",
    }


def write_jsonl(path, rows) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))


def run_import(*arguments) -> tuple[str, list[str]]:
    out, err = StringIO(), StringIO()
    call_command("import_articles", *map(str, arguments), stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().splitlines()


def import_failing(*arguments) -> tuple[str, list[str]]:
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_articles", *map(str, arguments), stdout=StringIO(), stderr=err)
    return str(failed.value), err.getvalue().splitlines()


def queries_to_import(tmp_path, articles: int, batch_size: int) -> int:
    path = tmp_path / f"{articles}.jsonl"
    write_jsonl(path, [story(n) for n in range(articles)])
    with CaptureQueriesContext(connection) as queries:
        run_import(path, "--batch-size", batch_size)
    assert Article.objects.filter(title__startswith="Story ").count() == articles
    Article.objects.all().delete()
    return len(queries)


def test_queries_grow_with_batches_not_with_articles(db, tmp_path):
    one_batch = queries_to_import(tmp_path, 10, batch_size=50)
    two_batches = queries_to_import(tmp_path, 100, batch_size=50)
    # Ten times the articles in twice the batches: about twice the queries, and far fewer
    # than one per article (a count or a lookup per article would add 90 here).
    assert two_batches <= 2 * one_batch
    assert two_batches < 50


def test_bulk_import_stores_the_same_claims_as_a_single_import(db, tmp_path, seed_text):
    rows = [story(1, "“It was 🔥,” she said. “Then it was not.”"), story(2), {"text": seed_text}]
    single = [services.article_import(**row).article for row in rows]
    expected = [list(a.claims.values_list(*FIELDS)) for a in single]
    Article.objects.all().delete()
    path = tmp_path / "batch.jsonl"
    write_jsonl(path, rows)
    out, _ = run_import(path)
    claims = sum(len(e) for e in expected)
    assert out == f"Imported 3 articles ({claims} claims), 0 already stored, 0 failed."
    stored = [Article.objects.get(text=services.canonical_text(row["text"])) for row in rows]
    assert [list(a.claims.values_list(*FIELDS)) for a in stored] == expected
    assert stored[0].title == "Story 1" and stored[0].url == "https://news.example/1"
    assert stored[0].claims.first().kind == Claim.Kind.HEADING
    # An import never recorded claim history (it starts with a claim's first change).
    assert not Claim.history.filter(history_type="+").exists()


def test_every_column_of_a_claim_is_written_by_the_bulk_insert():
    columns = {f.column for f in Claim._meta.concrete_fields if not f.primary_key}
    assert set(COLUMNS) == columns


def refuse_the_sentence(*, refused: bool = True) -> None:
    """Make the database refuse one claim's text, as it would refuse what our checks
    missed (``refused=False`` takes that back)."""
    postgresql = connection.vendor == "postgresql"
    if refused and postgresql:
        # A literal: DDL takes no bound parameters (server-side binding refuses them).
        sql = f"ALTER TABLE claims_claim ADD CONSTRAINT test_refused CHECK (text <> '{REFUSED}')"
    elif refused:
        sql = (
            "CREATE TRIGGER test_refused BEFORE INSERT ON claims_claim "
            f"WHEN NEW.text = '{REFUSED}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
    else:
        sql = (
            "ALTER TABLE claims_claim DROP CONSTRAINT test_refused"
            if postgresql
            else "DROP TRIGGER test_refused"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.fixture
def database_refuses_a_sentence(db):
    refuse_the_sentence()  # undone with the test's transaction


def test_an_article_the_database_refuses_fails_alone_and_leaves_nothing(
    database_refuses_a_sentence, tmp_path
):
    path = tmp_path / "batch.jsonl"
    write_jsonl(path, [story(1), story(2), story(3, REFUSED), story(4), story(5)])

    summary, problems = import_failing(path, "--batch-size", 10)

    assert "Imported 4 articles (12 claims), 0 already stored, 1 failed." in summary
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:3: the database refused it: ")
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "Story 1",
        "Story 2",
        "Story 4",
        "Story 5",
    ]
    # Its article row was written before its claims were refused: rolled back with them.
    assert not Claim.objects.filter(text__contains="Story 3").exists()
    assert Claim.objects.count() == 12


@pytest.mark.parametrize("batch_size", [50, 2])
def test_a_record_repeated_in_a_batch_is_stored_once(db, tmp_path, batch_size):
    # With batches of 2 the repeats come in the batch after their first copies.
    path = tmp_path / "batch.jsonl"
    same_text = {**story(1), "url": "https://news.example/elsewhere"}
    same_url = {**story(2), "text": "Other text. Same url."}
    write_jsonl(path, [story(1), story(2), same_text, same_url, story(4)])
    out, _ = run_import(path, "--batch-size", batch_size)
    assert out == "Imported 3 articles (9 claims), 2 already stored, 0 failed."
    assert Article.objects.get(url="https://news.example/2").title == "Story 2"
    out, _ = run_import(path, "--batch-size", 2)  # spread over batches, stored already
    assert out == "Imported 0 articles (0 claims), 5 already stored, 0 failed."


def test_update_revises_an_article_imported_earlier_in_the_same_batch(
    editor_eve, reviewer_ann, tmp_path
):
    stored = article("Old story\n\nThe Foreign Minister spoke.", url="https://news.example/9")
    tag = annotate(stored.claims.get(order=1), reviewer_ann, "Foreign Minister")
    revised = {"url": "https://news.example/9", "text": "New lede.\n\nThe Foreign Minister spoke."}
    path = tmp_path / "batch.jsonl"
    first, second = story(1), {**story(1), "text": story(1)["text"] + " Updated."}
    write_jsonl(path, [first, revised, story(2), second])

    out, _ = run_import(path, "--update", "--by", "eve")

    assert f"{path}:2: revised; 0 exact, 1 moved," in out
    assert f"{path}:4: revised;" in out
    assert out.endswith("Imported 2 articles (6 claims), 0 already stored, 2 revised, 0 failed.")
    tag.refresh_from_db()
    assert Article.objects.get(pk=stored.pk).text[tag.start : tag.end] == "Foreign Minister"
    assert Article.objects.get(url="https://news.example/1").text.endswith(" Updated.")
    assert Article.objects.count() == 3


def test_batch_size_must_be_positive(db, tmp_path):
    path = tmp_path / "batch.jsonl"
    write_jsonl(path, [story(1)])
    with pytest.raises(CommandError, match="--batch-size must be at least 1"):
        run_import(path, "--batch-size", 0)
    assert not Article.objects.exists()


def test_files_are_read_a_batch_at_a_time(db, tmp_path, monkeypatch):
    """Memory stays bounded: the first batch is written before the file is read through."""
    path = tmp_path / "many.jsonl"
    write_jsonl(path, [story(n) for n in range(10)])
    lines_read, read_at_first_write = [], []
    read_line, store = article_files._from_json_line, bulk_import._store

    def counting_read(where, line):
        lines_read.append(where)
        return read_line(where, line)

    def noting_store(pending, records):
        if pending and not read_at_first_write:
            read_at_first_write.append(len(lines_read))
        return store(pending, records)

    monkeypatch.setattr(article_files, "_from_json_line", counting_read)
    monkeypatch.setattr(bulk_import, "_store", noting_store)
    out, _ = run_import(path, "--batch-size", 2)
    assert out == "Imported 10 articles (30 claims), 0 already stored, 0 failed."
    # The first batch, no more.
    assert read_at_first_write == [2]


def test_the_progress_bar_total_counts_records_as_they_will_be_read(tmp_path):
    lines = tmp_path / "lines.jsonl"
    lines.write_bytes(b'\xef\xbb\xbf{"text": "A."}\n\n  \n{"text": "B."}\nnot json\n')
    listed = tmp_path / "listed.json"
    listed.write_text(json.dumps([{"text": "A."}, {"text": "B."}, 3]))
    broken = tmp_path / "broken.json"
    broken.write_text("[{")
    page = tmp_path / "page.html"
    page.write_text("<p>A.</p>")
    for path, expected in ((lines, 3), (listed, 3), (broken, 1), (page, 1)):
        assert article_files.count_records(path) == expected
        assert len(list(article_files.read_articles(path))) == expected
    assert article_files.count_records(tmp_path / "missing.jsonl") == 1


def test_a_json_lines_file_is_never_read_whole(db, tmp_path, monkeypatch):
    """Sniffing for a label file, counting for the progress bar and importing all read a
    line at a time: a file of any size costs the memory of a batch."""
    path = tmp_path / "articles.jsonl"
    write_jsonl(path, [story(n) for n in range(3)])

    def read_whole(self):
        raise AssertionError(f"{self} read whole")

    monkeypatch.setattr(Path, "read_bytes", read_whole)
    monkeypatch.setattr(Path, "read_text", read_whole)
    out, _ = run_import(path)
    assert out == "Imported 3 articles (9 claims), 0 already stored, 0 failed."


def test_claims_are_written_in_a_few_statements_not_one_per_claim(db, tmp_path, monkeypatch):
    """On SQLite one statement per claim (executemany) made each claim cost seven times
    more: its trigram index writes out what a statement added when the statement ends."""
    monkeypatch.setattr(claim_rows, "ROWS_PER_STATEMENT", 7)
    path = tmp_path / "ten.jsonl"
    write_jsonl(path, [story(n) for n in range(10)])
    with CaptureQueriesContext(connection) as queries:
        out, _ = run_import(path)
    assert out == "Imported 10 articles (30 claims), 0 already stored, 0 failed."
    writes = [q for q in queries if "claims_claim" in q["sql"].split("(")[0]]
    # COPY on PostgreSQL; on SQLite 30 claims at 7 a statement.
    assert len(writes) == (1 if connection.vendor == "postgresql" else 5), writes
    assert sorted(Claim.objects.values_list("text", flat=True))[:3] == [
        "Mr. Lee said so.",
        "Mr. Lee said so.",
        "Mr. Lee said so.",
    ]
