"""import_articles writes two batches at once on PostgreSQL, each by a connection of its
own, and still reports every record as one batch after the other would: in order, an
article repeated in two batches written at once stored once, a refused one failing alone.

Transactional tests: the writers' connections must see what is committed, as they do in
a real import (inside a test's transaction, or any caller's, the import writes serially).
"""

import threading
import time

import pytest
from django.db import connection

from claims.models import Article, Claim
from claims.services import bulk_import
from tests.test_import_bulk import (
    REFUSED,
    import_failing,
    refuse_the_sentence,
    run_import,
    story,
    write_jsonl,
)

# serialized_rollback: the flush after each test would drop the roles and error types the
# migrations made, which later tests rely on.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def writers_seen(monkeypatch):
    """The threads that wrote batches, and each batch's first record."""
    seen = []
    import_batch = bulk_import._import_batch

    def noting(records, revise_by):
        seen.append((threading.get_ident(), records[0].where))
        return import_batch(records, revise_by)

    monkeypatch.setattr(bulk_import, "_import_batch", noting)
    return seen


def test_batches_are_written_by_two_connections_at_once_on_postgresql(tmp_path, writers_seen):
    path = tmp_path / "six.jsonl"
    write_jsonl(path, [story(n) for n in range(6)])

    out, _ = run_import(path, "--batch-size", 1)

    assert out == "Imported 6 articles (18 claims), 0 already stored, 0 failed."
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        f"Story {n}" for n in range(6)
    ]
    threads = {thread for thread, _ in writers_seen}
    if connection.vendor == "postgresql":
        assert len(threads) == 2
        assert threading.get_ident() not in threads
    else:  # SQLite locks the whole file for a write: one batch after the other
        assert threads == {threading.get_ident()}


def test_one_writer_writes_one_batch_after_the_other(tmp_path, writers_seen):
    path = tmp_path / "three.jsonl"
    write_jsonl(path, [story(n) for n in range(3)])
    out, _ = run_import(path, "--batch-size", 1, "--writers", 1)
    assert out == "Imported 3 articles (9 claims), 0 already stored, 0 failed."
    assert {thread for thread, _ in writers_seen} == {threading.get_ident()}


@pytest.fixture
def batches_meet_before_writing(monkeypatch):
    """On PostgreSQL the first two batches wait for each other after looking up what is
    stored, then write: neither finds the other's articles, as when two writers run side
    by side. (SQLite writes one batch after the other: nothing to meet.)"""
    if connection.vendor != "postgresql":
        return
    both_looked_up = threading.Barrier(2, timeout=30)
    store = bulk_import.articles_store
    calls = []
    lock = threading.Lock()

    def meeting(prepared):
        with lock:
            calls.append(1)
            first_two = len(calls) <= 2
        if first_two:
            both_looked_up.wait()
        return store(prepared)

    monkeypatch.setattr(bulk_import, "articles_store", meeting)


def test_an_article_in_two_batches_written_at_once_is_stored_once(
    tmp_path, batches_meet_before_writing
):
    path = tmp_path / "repeated.jsonl"
    same_text = {**story(1), "url": "https://news.example/elsewhere"}
    write_jsonl(path, [story(1), same_text, story(2), story(3)])

    out, problems = run_import(path, "--batch-size", 1)

    assert problems == []
    assert out == "Imported 3 articles (9 claims), 1 already stored, 0 failed."
    assert Article.objects.filter(title="Story 1").count() == 1
    assert Claim.objects.count() == 9


def test_an_article_refused_while_two_batches_are_written_fails_alone(tmp_path):
    refuse_the_sentence()
    try:
        path = tmp_path / "batch.jsonl"
        write_jsonl(path, [story(n, REFUSED if n == 3 else "") for n in range(1, 8)])

        summary, problems = import_failing(path, "--batch-size", 2)

        assert "Imported 6 articles (18 claims), 0 already stored, 1 failed." in summary
        assert len(problems) == 1
        assert problems[0].startswith(f"{path}:3: the database refused it: ")
        assert not Article.objects.filter(title="Story 3").exists()
        assert Claim.objects.count() == 18
    finally:
        refuse_the_sentence(refused=False)


def test_writers_must_be_at_least_one(tmp_path):
    path = tmp_path / "one.jsonl"
    write_jsonl(path, [story(1)])
    summary, _ = import_failing(path, "--writers", 0)
    assert summary == "--writers must be at least 1, not 0."
    assert not Article.objects.exists()


def test_inside_a_transaction_the_import_writes_serially(tmp_path, writers_seen):
    """A caller's transaction holds everything: other connections could not see into it,
    nor would its rollback undo what they committed."""
    from django.db import transaction

    path = tmp_path / "four.jsonl"
    write_jsonl(path, [story(n) for n in range(4)])
    with transaction.atomic():
        out, _ = run_import(path, "--batch-size", 1)
        assert out == "Imported 4 articles (12 claims), 0 already stored, 0 failed."
        transaction.set_rollback(True)
    assert {thread for thread, _ in writers_seen} == {threading.get_ident()}
    assert not Article.objects.exists()


def test_stopping_early_leaves_no_batch_half_written(tmp_path):
    """The command's reader may stop (an exception, Ctrl-C): the batches begun finish
    whole, and no writer's connection stays open."""
    from claims.importing import read_articles

    path = tmp_path / "many.jsonl"
    write_jsonl(path, [story(n) for n in range(20)])
    outcomes = bulk_import.articles_import_bulk(read_articles(path), batch_size=2)
    first = next(outcomes)
    outcomes.close()

    assert first.status is bulk_import.Status.CREATED
    stored = Article.objects.count()
    assert 2 <= stored < 20 and stored % 2 == 0  # whole batches only
    assert Claim.objects.count() == 3 * stored
    if connection.vendor == "postgresql":
        assert writers_connected_after(seconds=5) == 0


def writers_connected_after(*, seconds: float) -> int:
    """Connections to this database other than the test's, once the ones closed have had
    ``seconds`` to go (a closed connection's server process ends a moment later)."""
    deadline = time.monotonic() + seconds
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            others = cursor.fetchone()[0]
        if others == 0 or time.monotonic() > deadline:
            return others
        time.sleep(0.05)
