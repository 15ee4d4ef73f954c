"""The records of a claim queryset, as dicts or as JSONL bytes, by the database's best path
(and, on PostgreSQL, as the CSV writer's rows).

The database builds each record's JSON itself: PostgreSQL in one query (``postgres``),
SQLite with its JSON functions in one query per chunk (``sqlite``). On any other database
records are assembled in Python from plain rows a chunk at a time (``chunked``), which is
also the reference both SQL paths are tested against. All three give the same records and
the same bytes: ``shape`` holds the one definition of the record. A chunk is
``FACTCHECK_EXPORT_CHUNK_SIZE`` claims on every path.
"""

from collections.abc import Iterator

import orjson
from django.conf import settings
from django.db import connections

from claims.exports import chunked, postgres, postgres_csv, shape, sqlite


def built_by_database(claims) -> bool:
    """Whether PostgreSQL writes the CSV rows too (``csv_chunks``)."""
    return connections[claims.db].vendor == "postgresql"


def _path(claims):
    """The module that builds ``claims``' records on their database."""
    return {"postgresql": postgres, "sqlite": sqlite}.get(connections[claims.db].vendor)


def _selection(labels, chunk_size, annotations, verdicts, adjudications) -> dict:
    """The keyword arguments every path takes: the labels (checked), the chunk size, and
    what the reader may see."""
    shape.check_labels(labels)
    return {
        "labels": labels,
        "chunk_size": chunk_size or settings.FACTCHECK_EXPORT_CHUNK_SIZE,
        "annotations": annotations,
        "verdicts": verdicts,
        "adjudications": adjudications,
    }


def jsonl_chunks(
    claims,
    *,
    labels: str = "all",
    annotations=None,
    verdicts=None,
    adjudications=None,
    chunk_size: int | None = None,
) -> Iterator[bytes]:
    """JSON Lines of ``claims`` in article order, a chunk of whole lines (bytes) at a time.

    ``annotations``/``verdicts`` narrow the raw labels, ``adjudications`` the final ones,
    to what the reader may see; ``None`` is everything (the operator's command).
    """
    selection = _selection(labels, chunk_size, annotations, verdicts, adjudications)
    if path := _path(claims):
        yield from path.jsonl_chunks(claims, **selection)
        return
    for batch in chunked.batches(chunked.records(claims, **selection), selection["chunk_size"]):
        yield b"".join(orjson.dumps(record) + b"\n" for record in batch)


def csv_chunks(
    claims,
    *,
    labels: str = "all",
    annotations=None,
    verdicts=None,
    adjudications=None,
    chunk_size: int | None = None,
) -> Iterator[tuple[bytes, int]]:
    """CSV rows of ``claims`` as the ``spreadsheet`` writer writes them (no header), a chunk of
    whole rows at a time with how many it holds: only where ``built_by_database``. The
    arguments are those of ``jsonl_chunks``."""
    if not built_by_database(claims):
        raise ValueError("only PostgreSQL writes CSV rows; elsewhere spreadsheet.write() does")
    selection = _selection(labels, chunk_size, annotations, verdicts, adjudications)
    yield from postgres_csv.chunks(claims, **selection)


def records(
    claims,
    *,
    labels: str = "all",
    annotations=None,
    verdicts=None,
    adjudications=None,
    chunk_size: int | None = None,
) -> Iterator[dict]:
    """Plain dict records of ``claims`` in article order, streamed (what writers consume).

    The arguments are those of ``jsonl_chunks``. The consumer may query the database
    between records.
    """
    selection = _selection(labels, chunk_size, annotations, verdicts, adjudications)
    yield from (_path(claims) or chunked).records(claims, **selection)


def decoded(chunks: Iterator[bytes]) -> Iterator[dict]:
    """The records in JSONL chunks, for a writer that only transforms records: it can read
    them off ``jsonl_chunks`` (as the database wrote them), as long as it queries nothing."""
    for chunk in chunks:
        for line in chunk.split(b"\n")[:-1]:  # JSON text holds no raw line break
            yield orjson.loads(line)
