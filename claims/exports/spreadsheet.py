"""CSV: one row per claim, for spreadsheets.

Flat columns for what a spreadsheet user filters on; the full annotations, verdicts and
final labels ride along as JSON in their own columns, so nothing in the record is lost.
The columns present follow the ``labels`` column: raw, final or all.

Every text cell that a spreadsheet would read as a formula (it starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return: OWASP's CSV-injection list) gets a leading ``'``,
which spreadsheets show as text and do not display. A correction such as
``=HYPERLINK("https://evil.example", "Secretary of State")`` would otherwise run as a
formula on the editor's machine. Numbers stay numbers; the JSON formats are untouched.
"""

import csv
import io
from collections.abc import Iterable, Iterator

import orjson

content_type = "text/csv; charset=utf-8"
extension = "csv"
# Rows come from the records alone (no queries), so the export feeds it the JSONL bytes'
# records, straight off the database (PostgreSQL's COPY, SQLite's JSON functions); on
# PostgreSQL the database writes the rows themselves (``postgres_csv``) and
# ``write_csv_lines`` only puts the header first.
reads_only_records = True

CLAIM_COLUMNS = [
    "labels",
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
]
RAW_COLUMNS = ["has_errors", "error_types", "corrections", "annotations", "verdicts"]
FINAL_COLUMNS = ["adjudicated", "final_error_types", "final_corrections", "final_verdict", "final"]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell):
    """A text cell a spreadsheet will show as text, never run as a formula."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


CHUNK_CHARS = 64 * 1024  # what one yield hands the response or the file


def _dump(value) -> str:
    return orjson.dumps(value).decode()


def columns(labels: str) -> list[str]:
    return (
        CLAIM_COLUMNS
        + (RAW_COLUMNS if labels in ("all", "raw") else [])
        + (FINAL_COLUMNS if labels in ("all", "final") else [])
    )


def row(record: dict) -> list:
    claim, article = record["claim"], record["article"]
    cells = [
        record["labels"],
        article["id"],
        article["title"],
        article["url"] or "",
        claim["id"],
        claim["order"],
        claim["paragraph"],
        claim["start"],
        claim["end"],
        claim["kind"],
        claim["text"],
    ]
    if "annotations" in record:
        annotations = record["annotations"]
        cells += [
            "true" if annotations else "false",
            ";".join(a["error_type"] for a in annotations),
            " | ".join(a["correction"] for a in annotations if a["correction"]),
            _dump(annotations),
            _dump(record["verdicts"]),
        ]
    if "final" in record:
        final = record["final"] or {"annotations": [], "verdict": None}
        cells += [
            "true" if record["final"] else "false",
            ";".join(a["error_type"] for a in final["annotations"]),
            " | ".join(a["correction"] for a in final["annotations"] if a["correction"]),
            final["verdict"] or "",
            _dump(record["final"]),
        ]
    return cells


def header(labels: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(columns(labels))
    return buffer.getvalue()


def write_csv_lines(chunks: Iterable[bytes], *, labels: str = "all") -> Iterator[bytes]:
    """The fast path: chunks of rows already written as ``write`` writes them."""
    first = header(labels).encode()
    for chunk in chunks:
        yield first + chunk
        first = b""
    if first:  # no claims: the header alone
        yield first


def write(records: Iterable[dict], *, labels: str = "all") -> Iterator[str]:
    buffer = io.StringIO()
    buffer.write(header(labels))
    writer = csv.writer(buffer)
    for record in records:
        writer.writerow([neutralised(cell) for cell in row(record)])
        if buffer.tell() >= CHUNK_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
