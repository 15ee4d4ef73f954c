"""Labelled claims out, one record per claim, streamed in chunks so memory stays flat.

``records()`` turns a claim queryset into plain dicts; each writer turns records into
an iterator of text chunks. Nothing here knows about HTTP: the API wraps a writer in a
streaming response, ``export_claims`` writes it to a file. Every record says which labels
it holds (``"labels": "raw" | "final" | "all"``).
"""

from claims.exports import csv, doccano, json, jsonl, labelstudio
from claims.exports.records import LABELS, records

WRITERS = {
    "jsonl": jsonl,
    "csv": csv,
    "json": json,
    "doccano": doccano,
    "labelstudio": labelstudio,
}

__all__ = ["LABELS", "WRITERS", "records"]
