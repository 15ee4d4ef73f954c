"""Importing many articles: checked one by one, stored a batch at a time.

Per batch: each article is checked and split in Python (``article_prepare``, no
database), the batch is looked up in one query (same text or url already stored), and
the new articles and their claims are written with two bulk inserts in one transaction.
If the database refuses the batch, each of its articles is written again in its own
transaction, so only the one it refuses fails, and nothing of it is half-written.

The outcomes come back in the order of the records, so each failure names its record.
"""

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from claims.importing import ArticleRecord, ImportProblem
from claims.models import Article
from claims.services.articles import (
    PreparedArticle,
    article_prepare,
    articles_store,
    stored_articles,
)
from claims.services.revisions import RevisionReport, article_revise

# Articles per transaction. At 5 KB an article, a batch writes about 1 MB and 6,000
# claims: past this size larger batches gain little, and a refused batch is retried
# article by article, so it should not be huge.
BATCH_SIZE = 200


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
) -> Iterator[ImportOutcome]:
    """Import ``records`` a batch at a time; one outcome per record, in their order.

    An article already stored (same text or url) is skipped. With ``revise_by`` (an
    editor), an article stored under the same url with other text is revised instead.
    """
    batch: list[ArticleRecord | ImportProblem] = []
    for record in records:
        batch.append(record)
        if len(batch) == batch_size:
            yield from _import_batch(batch, revise_by)
            batch = []
    if batch:
        yield from _import_batch(batch, revise_by)


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
            [(index, _)] = pending.items()
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
