"""Labelled claims out, one record per claim, streamed in chunks so memory stays flat.

``records()`` turns a claim queryset into plain dicts; each writer turns records into
an iterator of text chunks. Nothing here knows about HTTP: the API wraps a writer in a
streaming response, ``export_claims`` writes it to a file. Every record says which labels
it holds (``"labels": "raw" | "final" | "all"``).
"""

from claims.exports import claimreview, csv, doccano, json, jsonl, labelstudio, w3c
from claims.exports.records import LABELS, records

WRITERS = {
    "jsonl": jsonl,
    "csv": csv,
    "json": json,
    "doccano": doccano,
    "labelstudio": labelstudio,
    "claimreview": claimreview,
    "w3c": w3c,
}


def labels_for(writer) -> tuple[str, ...]:
    """The ``labels`` values a writer can export (ClaimReview needs the final ones)."""
    return getattr(writer, "labels", LABELS)


__all__ = ["LABELS", "WRITERS", "labels_for", "records"]
