"""Importing many articles: checked one by one, stored a batch at a time.

Per batch: each article is checked and split in Python (``article_prepare``, no
database), the batch is looked up in one query (same text or url already stored), and
the new articles and their claims are written with two bulk inserts in one transaction.
If the database refuses the batch, each of its articles is written again in its own
transaction, so only the one it refuses fails, and nothing of it is half-written.

On PostgreSQL, ``WRITERS`` batches are written at once, each by a connection of its own.
Storing a claim costs the database more than splitting it costs Python (the full-text
index's words for each claim: ``claims.search``), and one connection keeps one core of
the server busy; two keep the machine's two. A batch that repeats an article of a batch
still being written waits for it, so the outcomes and the rows kept are those of one batch
after the other; should another import store an article meanwhile, the unique indexes
refuse the copy and it is reported as already stored.

The outcomes come back in the order of the records, so each failure names its record.
"""

import enum
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, connections, transaction

from claims.importers.articles import ArticleRecord, ImportProblem
from claims.models import Article
from claims.models import content_hash as hash_text
from claims.services.articles import (
    PreparedArticle,
    article_prepare,
    articles_store,
    canonical_text,
    stored_articles,
)
from claims.services.revisions import RevisionReport, article_revise

# Articles per transaction. At 5 KB an article, a batch writes about 1 MB and 6,000
# claims: past this size larger batches gain little, and a refused batch is retried
# article by article, so it should not be huge.
BATCH_SIZE = 200
# Batches written at once on PostgreSQL. Two use a 2-core machine's server fully; more
# only queue behind one another (measured: 321, 392 and 412 articles/s for one, two
# and three at 5 KB an article, the database's own COPY of the same rows 456/s).
WRITERS = 2


class Status(enum.Enum):
    CREATED = "created"
    STORED = "already stored"
    REVISED = "revised"
    FAILED = "failed"


@dataclass(frozen=True)
class ImportOutcome:
    where: str  # file:line (or file[index]) the record came from
    status: Status
    claims: int = 0  # claims created
    problem: str = ""  # what to fix, when FAILED
    revision: RevisionReport | None = None


def articles_import_bulk(
    records: Iterable[ArticleRecord | ImportProblem],
    *,
    revise_by=None,
    batch_size: int = BATCH_SIZE,
    writers: int = WRITERS,
) -> Iterator[ImportOutcome]:
    """Import ``records`` a batch at a time; one outcome per record, in their order.

    An article already stored (same text or url) is skipped. With ``revise_by`` (an
    editor), an article stored under the same url with other text is revised instead.
    Up to ``writers`` batches are written at once where that is safe (``_in_parallel``),
    and one more is read, so memory stays that of a few batches.
    """
    records = iter(records)
    batches = iter(lambda: list(islice(records, batch_size)), [])
    if not _in_parallel(writers, revise_by):
        for batch in batches:
            yield from _import_batch(batch, revise_by)
        return
    # No more batches are handed to the pool than it has writers, so each one handed over
    # has begun: stopped early (an error, Ctrl-C, the reader gone), the pool finishes them,
    # each whole in its transaction, and starts no other.
    with ThreadPoolExecutor(writers, thread_name_prefix="import-writer") as pool:
        written: deque[tuple[Future, set]] = deque()  # each batch, and its articles' keys
        for batch in batches:
            keys = _article_keys(batch)
            # A batch repeating an article of one still being written waits for it, so that
            # its lookup finds that one stored: the first record of an article is the one
            # kept, as when batches are written one after the other.
            while written and (
                len(written) == writers or any(keys & earlier for _, earlier in written)
            ):
                yield from written.popleft()[0].result()
            written.append((pool.submit(_import_batch_on_own_connection, batch), keys))
        while written:
            yield from written.popleft()[0].result()


def _article_keys(records: list) -> set:
    """What makes two records the same article (``stored_articles``): the hash of the
    text as it will be stored, and the url."""
    keys = set()
    for record in records:
        fields = getattr(record, "fields", {})
        if isinstance(text := fields.get("text"), str):
            keys.add(("text", hash_text(canonical_text(text))))
        if url := fields.get("url"):
            keys.add(("url", url))
    return keys


def _in_parallel(writers: int, revise_by) -> bool:
    # Only PostgreSQL writes two transactions at once (SQLite locks the whole file), and
    # only outside the caller's transaction, which other connections could not see into
    # nor roll back. Revisions read the stored article: one batch after the other.
    return (
        writers > 1
        and revise_by is None
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )


def _import_batch_on_own_connection(records: list) -> list[ImportOutcome]:
    try:
        return _import_batch(records, None)
    finally:
        # The writer thread's own connection, opened by Django on first use: closed with
        # its batch, so none outlives the import (a reconnection costs a few milliseconds).
        connections.close_all()


def _failed(where: str, problem: str) -> ImportOutcome:
    return ImportOutcome(where, Status.FAILED, problem=problem)


def _refusal(error: DatabaseError) -> str:
    # The first line says why; PostgreSQL's DETAIL and CONTEXT lines that follow repeat
    # the row, which can be a whole article.
    reason = str(error).strip().split("\n", 1)[0]
    return f"the database refused it: {reason}"


def _import_batch(records: list, revise_by) -> list[ImportOutcome]:
    outcomes: dict[int, ImportOutcome] = {}
    prepared: dict[int, PreparedArticle] = {}
    for index, record in enumerate(records):
        if isinstance(record, ImportProblem):
            outcomes[index] = _failed(record.where, record.message)
            continue
        try:
            prepared[index] = article_prepare(**record.fields)
        except ValidationError as error:
            outcomes[index] = _failed(record.where, " ".join(error.messages))

    # What is stored, kept up to date as the batch goes, so that a record repeated in the
    # batch is "already stored" the second time, as if each were imported in turn.
    stored = stored_articles(prepared.values()).values_list("content_hash", "url")
    hashes = {content_hash for content_hash, _ in stored}
    url_hashes = {url: content_hash for content_hash, url in stored if url}
    pending: dict[int, PreparedArticle] = {}
    for index, article in ((i, p.article) for i, p in prepared.items()):
        where = records[index].where
        stored_hash = url_hashes.get(article.url)
        if revise_by is not None and stored_hash not in (None, article.content_hash):
            # Revisions are rare and read the stored article: write what is pending first.
            outcomes |= _store(pending, records)
            pending = {}
            outcomes[index] = _revise(where, records[index].fields, revise_by)
            if outcomes[index].status is Status.REVISED:
                hashes.discard(stored_hash)
                hashes.add(article.content_hash)
                url_hashes[article.url] = article.content_hash
        elif article.content_hash in hashes or stored_hash is not None:
            outcomes[index] = ImportOutcome(where, Status.STORED)
        else:
            pending[index] = prepared[index]
            hashes.add(article.content_hash)
            if article.url:
                url_hashes[article.url] = article.content_hash
    outcomes |= _store(pending, records)
    return [outcomes[index] for index in range(len(records))]


def _store(pending: dict[int, PreparedArticle], records: list) -> dict[int, ImportOutcome]:
    """Write ``pending`` in one transaction; if refused, each article in its own."""
    if not pending:
        return {}
    if connection.vendor != "postgresql":
        # SQLite's write lock is held for the whole transaction: split before taking it.
        # PostgreSQL locks only the new rows, so its articles are split as their claims
        # stream to the server, which stores each batch of rows while the next is split.
        for prepared in pending.values():
            prepared.segments  # noqa: B018
    try:
        with transaction.atomic():
            articles_store(list(pending.values()))
    except DatabaseError as error:
        for prepared in pending.values():  # rolled back: back to unsaved
            prepared.article.pk, prepared.article._state.adding = None, True
        if len(pending) == 1:
            [(index, prepared)] = pending.items()
            if stored_articles([prepared]).exists():
                # Stored meanwhile by another writer (the same article in a batch written at
                # the same time): what one batch after the other would have found.
                return {index: ImportOutcome(records[index].where, Status.STORED)}
            return {index: _failed(records[index].where, _refusal(error))}
        outcomes = {}
        for index, prepared in pending.items():
            outcomes |= _store({index: prepared}, records)
        return outcomes
    return {
        index: ImportOutcome(records[index].where, Status.CREATED, claims=len(p.segments))
        for index, p in pending.items()
    }


def _revise(where: str, fields: dict, editor) -> ImportOutcome:
    stored = Article.objects.filter(url=fields["url"]).first()
    try:
        report = article_revise(
            article=stored,
            text=fields["text"],
            title=fields.get("title", ""),
            by=editor,
            source_html=fields.get("source_html"),
        )
    except ValidationError as error:
        return _failed(where, " ".join(error.messages))
    except DatabaseError as error:
        return _failed(where, _refusal(error))
    return ImportOutcome(where, Status.REVISED, revision=report)
