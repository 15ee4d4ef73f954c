"""The claim list's page written by SQLite: ``claim_pages``' statement in SQLite's dialect.

On SQLite the Python path (``representations.claim_page``: three more queries built by
the ORM, their rows made into dicts, the dicts into JSON) cost about 11 ms of CPU a page of
100 claims at a million claims, and the server answered 20 clients at a p99 near 140 ms.
Here SQLite writes the same bytes in the one statement that also reads the page's window.

Every value is written as JSON text and concatenated, as on PostgreSQL: ``json_quote``
writes a string, a number or ``null`` as DRF's renderer does (compact; ``"``, ``\\`` and
control characters escaped, everything else as it is; ``ClaimPageRenderer`` escapes
U+2028/U+2029 afterwards). SQLite 3.40, the one Python ships, has no ``ORDER BY`` inside an
aggregate, so each array concatenates the rows of an ordered subquery (as
``claims/exports/sqlite.py`` does). Times are stored as Django writes them for SQLite, the
naive UTC text ``2026-11-28 12:00:00[.123456]``: DRF's ``2026-11-28T12:00:00[.123456]Z``
once the space is a ``T``. ``tests/api/test_claim_pages_sql.py`` holds this and the
Python path to the same bytes.
"""

import json

from django.contrib.auth import get_user_model

from claims import permissions
from claims.exports.postgres import q, table
from claims.models import Annotation, ErrorType, Source, Verdict


def _record(values: dict[str, str]) -> str:
    """A JSON object written out key by key from values that are JSON text already."""
    parts = [
        f"""'{"{" if index == 0 else ","}"{key}":' || {value}"""
        for index, (key, value) in enumerate(values.items())
    ]
    return "(" + " || ".join(parts) + " || '}')"


def _array(element: str, source: str, order: str) -> str:
    """A JSON array of ``element`` for each row of ``source``, in ``order``."""
    return (
        f"(SELECT '[' || COALESCE(group_concat(e, ','), '') || ']' "
        f"FROM (SELECT {element} AS e {source} ORDER BY {order}))"
    )


def _value(expression: str) -> str:
    return f"json_quote({expression})"


def _timestamp(expression: str) -> str:
    return f"json_quote(replace({expression}, ' ', 'T') || 'Z')"


def _visible(reader, model, fields) -> tuple[str, list]:
    sql, params = permissions.visible_work_sql(reader, model, fields)
    return f"({sql})", list(params)


def _username(alias: str) -> str:
    return _value(f"{alias}.{q(get_user_model().USERNAME_FIELD)}")


def _sources() -> str:
    through = Annotation.sources.through
    values = {
        key: _value(f"s.{q(column)}")
        for key, column in [
            ("id", "id"),
            ("url", "url"),
            ("title", "title"),
            ("publisher", "publisher"),
            ("published_on", "published_on"),
            ("quoted_passage", "quoted_passage"),
            ("accessed_on", "accessed_on"),
        ]
    }
    return _array(
        _record(values),
        f"FROM {table(through)} x JOIN {table(Source)} s ON s.id = x.source_id "
        "WHERE x.annotation_id = a.id",
        "s.title, s.url, s.id",  # BINARY collation, as the Python path's order_by reads it
    )


def _annotations(reader) -> tuple[str, list]:
    fields = ("id", "claim_id", "reviewer_id", "start", "end", "quote", "anchor")
    fields += ("error_type_id", "correction", "note", "severity", "version")
    sql, params = _visible(reader, Annotation, (*fields, "created_at", "updated_at"))
    values = {
        "id": _value("a.id"),
        "claim": _value("a.claim_id"),
        "article": _value("c.article_id"),
        "reviewer": _username("u"),
        "start": _value("a.start"),
        "end": _value(f"a.{q('end')}"),
        "quote": _value("a.quote"),
        "anchor": _value("a.anchor"),
        "error_type": _value("et.slug"),
        "error_type_name": _value("et.name"),
        "correction": _value("a.correction"),
        "note": _value("a.note"),
        "severity": _value("a.severity"),
        "sources": _sources(),
        "version": _value("a.version"),
        "created_at": _timestamp("a.created_at"),
        "updated_at": _timestamp("a.updated_at"),
    }
    return _array(
        _record(values),
        f"FROM {sql} a JOIN {table(ErrorType)} et ON et.id = a.error_type_id "
        f"JOIN {table(get_user_model())} u ON u.id = a.reviewer_id WHERE a.claim_id = c.id",
        "a.start, a.id",
    ), params


def _verdicts(reader) -> tuple[str, list]:
    fields = ("id", "claim_id", "reviewer_id", "label", "note", "version")
    sql, params = _visible(reader, Verdict, (*fields, "created_at", "updated_at"))
    values = {
        "id": _value("v.id"),
        "claim": _value("v.claim_id"),
        "reviewer": _username("u"),
        "label": _value("v.label"),
        "note": _value("v.note"),
        "version": _value("v.version"),
        "created_at": _timestamp("v.created_at"),
        "updated_at": _timestamp("v.updated_at"),
    }
    return _array(
        _record(values),
        f"FROM {sql} v JOIN {table(get_user_model())} u ON u.id = v.reviewer_id "
        "WHERE v.claim_id = c.id",
        "v.reviewer_id",
    ), params


def page_sql(window_sql: str, *, size: int, orders: dict[str, str], reader) -> tuple[str, list]:
    """The page's statement, and its parameters after the window's (``claim_pages``).
    ``orders``: the window's own, the farthest claim first, reading order and backwards."""
    annotation_array, annotation_params = _annotations(reader)
    verdict_array, verdict_params = _verdicts(reader)
    values = {
        "id": _value("c.id"),
        "article": _value("c.article_id"),
        "order": _value(f"c.{q('order')}"),
        "paragraph": _value("c.paragraph"),
        "start": _value("c.start"),
        "end": _value(f"c.{q('end')}"),
        "text": _value("c.text"),
        "kind": _value("c.kind"),
        "annotations": annotation_array,
        "verdicts": verdict_array,
    }
    key = f"json_array(article_id, {q('order')})"
    sql = (
        f"WITH w AS MATERIALIZED ({window_sql}), "
        f"c AS MATERIALIZED (SELECT * FROM w ORDER BY {orders['window']} LIMIT {int(size)}) "
        f"SELECT {_array(_record(values), 'FROM c', orders['reading'])}, "
        f"(SELECT {key} FROM w ORDER BY {orders['farthest']} LIMIT 1) "
        f"IS NOT (SELECT {key} FROM c ORDER BY {orders['farthest']} LIMIT 1), "
        f"(SELECT {key} FROM c ORDER BY {orders['reading']} LIMIT 1), "
        f"(SELECT {key} FROM c ORDER BY {orders['back']} LIMIT 1)"
    )
    return sql, [*annotation_params, *verdict_params]


def keys(first: str | None, last: str | None) -> tuple[list | None, list | None]:
    """The page's first and last keys, which SQLite gives as JSON arrays."""
    return (json.loads(first) if first else None), (json.loads(last) if last else None)
