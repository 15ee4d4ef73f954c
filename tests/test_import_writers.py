"""import_articles writes two batches at once on PostgreSQL, each by a connection of its
own, and still reports every record as one batch after the other would: in order, an
article repeated in two batches written at once stored once, a refused one failing alone.

Transactional tests: the writers' connections must see what is committed, as they do in
a real import (inside a test's transaction, or any caller's, the import writes serially).
"""

import threading
import time

import pytest
from django.db import OperationalError, connection

from claims.importers.articles import read_articles
from claims.models import Article, Claim
from claims.services import articles as article_services
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
def another_import_stores_it_first(monkeypatch):
    """Between the batch's lookup and its transaction, another import (a connection of its
    own) stores the batch's first article."""
    store = bulk_import._store
    done = []

    def racing(pending, records):
        if pending and not done:
            first = next(iter(pending.values())).article
            done.append(first.title)
            fields = {"title": first.title, "text": first.text}
            other = threading.Thread(target=_import_elsewhere, args=[fields])
            other.start()
            other.join()
        return store(pending, records)

    monkeypatch.setattr(bulk_import, "_store", racing)
    return done


def _import_elsewhere(fields: dict) -> None:
    try:
        article_services.article_import(**fields)
    finally:
        connection.close()  # this thread's own


def test_an_article_another_import_stored_meanwhile_is_reported_stored(
    tmp_path, another_import_stores_it_first
):
    path = tmp_path / "raced.jsonl"
    write_jsonl(path, [story(1), story(2)])

    out, problems = run_import(path, "--batch-size", 2)

    assert another_import_stores_it_first == ["Story 1"]
    assert problems == []
    # Its batch was refused (the same text, stored meanwhile) and retried one by one.
    assert out == "Imported 1 article (3 claims), 1 already stored, 0 failed."
    assert Article.objects.filter(title="Story 1").count() == 1
    assert Claim.objects.count() == 6


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
    from claims.importers.articles import read_articles

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
        assert writers_connected_after(seconds=5) == 0, others_connected()


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


def others_connected() -> list[tuple]:
    """Who the other connections are, for the failure message: a writer of the import
    runs ``INSERT``s; anything else left open by an earlier test shows its last query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT application_name, state, backend_start, left(query, 120) "
            "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchall()


def test_the_first_record_of_an_article_is_kept_when_its_batches_overlap(tmp_path, monkeypatch):
    """Two records under one url in batches written at once: the first is stored, the
    second reported as already stored, whichever writer would have been quicker."""
    store = bulk_import.articles_store

    def first_batch_slow(prepared):
        if any(p.article.title == "Story 1" for p in prepared):
            time.sleep(0.5)  # the second batch would otherwise win the race
        return store(prepared)

    monkeypatch.setattr(bulk_import, "articles_store", first_batch_slow)
    path = tmp_path / "same-url.jsonl"
    write_jsonl(path, [story(1), {**story(2), "url": story(1)["url"]}, story(3)])

    outcomes = list(bulk_import.articles_import_bulk(read_articles(path), batch_size=1))

    assert [o.status for o in outcomes] == [
        bulk_import.Status.CREATED,
        bulk_import.Status.STORED,
        bulk_import.Status.CREATED,
    ]
    assert Article.objects.get(url=story(1)["url"]).title == "Story 1"


def test_a_writer_that_fails_stops_the_import_and_no_batch_starts_after(tmp_path, monkeypatch):
    """A writer's error (the database gone) ends the import: the batch written beside it
    finishes whole, and no batch starts after the error."""
    started = []
    import_batch = bulk_import._import_batch

    def failing_first(records, revise_by):
        started.append(records[0].where)
        time.sleep(0.2)
        if records[0].where.endswith(":1"):
            raise OperationalError("the server closed the connection")
        return import_batch(records, revise_by)

    monkeypatch.setattr(bulk_import, "_import_batch", failing_first)
    path = tmp_path / "many.jsonl"
    write_jsonl(path, [story(n) for n in range(10)])

    with pytest.raises(OperationalError):
        list(bulk_import.articles_import_bulk(read_articles(path), batch_size=1, writers=2))

    time.sleep(0.5)  # a batch started after the error would have begun by now
    if connection.vendor == "postgresql":
        assert len(started) == 2  # the failed one and the one beside it, never a third
        assert Article.objects.count() == 1
    else:  # one batch after the other: the first failed, none followed
        assert len(started) == 1
        assert not Article.objects.exists()
