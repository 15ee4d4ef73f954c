"""The shape of one exported claim record: which objects it holds, their keys, in order.

Two paths build records (``chunked`` in Python on SQLite, ``postgres`` in SQL); both read
the keys from here, so a key added, renamed or moved is added, renamed or moved in both.
The JSONL bytes are the record encoded compactly, keys in this order (orjson's form:
``{"a":1,"b":[2,3]}``), the same bytes on either database.

Orders inside a record, the same on every path, are declared here too (``*_ORDER``): the
Python writer sorts by ``sort_key``, and the SQL paths render their ``ORDER BY`` from the
same declaration (``claims.exports.sql.order_by``). Annotations and final labels by start
then id (orphaned ones, which have no start, last), verdicts by reviewer id, sources by
title then url then id in code-point order (a database's locale collation would differ
between databases), ``from_annotations`` by id.
"""

from typing import NamedTuple

# Which labels an export holds: every reviewer's own, the editor's final ones, or both.
LABELS = ("all", "raw", "final")

RECORD = ("labels", "article", "claim")  # + RAW when raw labels, + FINAL when final ones
RAW = ("annotations", "verdicts")
FINAL = ("final",)

ARTICLE = ("id", "title", "url")
CLAIM = ("id", "order", "paragraph", "start", "end", "start_utf16", "end_utf16", "text", "kind")
SPAN = ("start", "end", "start_utf16", "end_utf16", "quote", "anchor")
LABEL = ("error_type", "error_type_name", "correction", "note", "severity", "sources")
ANNOTATION = ("id", "reviewer", *SPAN, *LABEL)
FINAL_ANNOTATION = (*SPAN, *LABEL, "from_annotations")
SOURCE = ("id", "url", "title", "publisher", "published_on", "quoted_passage", "accessed_on")
VERDICT = ("reviewer", "label", "note")
ADJUDICATION = ("adjudicated_by", "adjudicated_at", "verdict", "note", "annotations")


def check_labels(labels: str) -> None:
    if labels not in LABELS:
        raise ValueError(f"labels must be one of {', '.join(LABELS)}, not {labels!r}")


def holds_raw(labels: str) -> bool:
    return labels in ("all", "raw")


def holds_final(labels: str) -> bool:
    return labels in ("all", "final")


def record_keys(labels: str) -> tuple[str, ...]:
    return RECORD + (RAW if holds_raw(labels) else ()) + (FINAL if holds_final(labels) else ())


class Order(NamedTuple):
    """How one nested list is sorted: by ``fields`` (column names) in turn, ascending;
    ``text`` those compared as text, in code-point order wherever the record is exported;
    ``nullable`` those that may be NULL, which sort last if ``nulls_last``, else first."""

    fields: tuple[str, ...]
    text: tuple[str, ...] = ()
    nullable: tuple[str, ...] = ()
    nulls_last: bool = True


SPAN_ORDER = Order(("start", "id"), nullable=("start",))  # annotations, final labels
SOURCE_ORDER = Order(("title", "url", "id"), text=("title", "url"))
VERDICT_ORDER = Order(("reviewer_id",))
ORIGIN_ORDER = Order(("annotation_id",))  # a final label's ``from_annotations``


def sort_key(order: Order, row) -> tuple:
    """The key Python sorts ``row`` (a mapping of ``order``'s fields) by: strings compare
    by code point, as the SQL paths' ``COLLATE "C"``."""
    key = []
    for field in order.fields:
        value = row[field]
        if field in order.nullable:
            # Two NULLs compare equal before ``<`` is asked of them.
            key.append((value is None) == order.nulls_last)
        key.append(value)
    return tuple(key)


def source_sort_key(source: dict) -> tuple:
    return sort_key(SOURCE_ORDER, source)


def span_sort_key(start: int | None, pk: int) -> tuple:
    return sort_key(SPAN_ORDER, {"start": start, "id": pk})
