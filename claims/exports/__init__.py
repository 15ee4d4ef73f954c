"""Labelled claims out, one record per claim, streamed in chunks so memory stays flat.

``records()`` turns a claim queryset into plain dicts; each writer turns records into an
iterator of text chunks (``WRITERS[name].write(records, labels=...)``). ``jsonl_chunks()``
is the fast path beside it: the JSONL bytes themselves, built by PostgreSQL or, on SQLite,
from plain rows; on PostgreSQL the CSV rows are written by the database too
(``postgres_csv``). ``Export`` streams one export's bytes, taking the fast path for writers
that can use it. Nothing here knows about HTTP: the API wraps an ``Export`` in a streaming
response, ``export_claims`` writes it to a file. Every record says which labels it holds
(``"labels": "raw" | "final" | "all"``).
"""

from claims.exports import (
    claimreview,
    doccano,
    json_array,
    jsonl,
    labelstudio,
    spreadsheet,
    w3c,
)
from claims.exports.records import jsonl_chunks, records
from claims.exports.shape import LABELS
from claims.exports.streaming import Export

WRITERS = {
    "jsonl": jsonl,
    "csv": spreadsheet,
    "json": json_array,
    "doccano": doccano,
    "labelstudio": labelstudio,
    "claimreview": claimreview,
    "w3c": w3c,
}


def labels_for(writer) -> tuple[str, ...]:
    """The ``labels`` values a writer can export (ClaimReview needs the final ones)."""
    return getattr(writer, "labels", LABELS)


__all__ = ["LABELS", "WRITERS", "Export", "jsonl_chunks", "labels_for", "records"]
