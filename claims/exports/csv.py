"""CSV: one row per claim, for spreadsheets.

Flat columns for what a spreadsheet user filters on; the full annotations and verdicts
ride along as JSON in their own columns, so nothing in the record is lost.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator

content_type = "text/csv; charset=utf-8"
extension = "csv"

COLUMNS = [
    "article_id",
    "article_title",
    "article_url",
    "claim_id",
    "order",
    "paragraph",
    "start",
    "end",
    "kind",
    "text",
    "has_errors",
    "error_types",
    "corrections",
    "annotations",
    "verdicts",
]


def row(record: dict) -> list:
    claim, annotations = record["claim"], record["annotations"]
    return [
        record["article"]["id"],
        record["article"]["title"],
        record["article"]["url"] or "",
        claim["id"],
        claim["order"],
        claim["paragraph"],
        claim["start"],
        claim["end"],
        claim["kind"],
        claim["text"],
        "true" if annotations else "false",
        ";".join(a["error_type"] for a in annotations),
        " | ".join(a["correction"] for a in annotations if a["correction"]),
        json.dumps(annotations, ensure_ascii=False),
        json.dumps(record["verdicts"], ensure_ascii=False),
    ]


def write(records: Iterable[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow(row(record))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
