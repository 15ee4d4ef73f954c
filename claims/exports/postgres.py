"""Records built by PostgreSQL itself: one query, each row one record's JSON text.

The record is written out by string concatenation (the pieces in ``postgres_json``, shared
with the claim list's page) rather than ``json_build_object``:
that function puts spaces around colons and ``json_agg`` a newline between elements, so
its text could not be the JSONL bytes the Python path writes. Each value goes through
``to_json(...)::text``, which escapes strings exactly as orjson does (checked in the
tests), so the row is the compact record, byte for byte, and Python passes it through.

The rows come out through ``COPY (query) TO STDOUT`` in CSV form with a quote and a
delimiter that never occur in JSON text (both control characters, which JSON escapes):
COPY's text form would double every backslash. Each COPY row is then exactly one JSONL
line. COPY takes no bind parameters, so the query is composed with its literals.

The claim filters, and the blind-review narrowing of annotations, verdicts and
adjudications, come in as querysets; each is the FROM of its part of the query, so the
filters are the same SQL that Django would run, applied inside the database.
"""

from collections.abc import Iterator
from contextlib import contextmanager, suppress

import orjson
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connections

from claims.exports import shape
from claims.exports.postgres_json import array, number, record, timestamp, value
from claims.exports.sql import order_by, quoted, table_name
from claims.models import (
    Adjudication,
    Annotation,
    Article,
    ErrorType,
    FinalAnnotation,
    Source,
    Verdict,
)

ASTRAL = r"'[\U00010000-\U0010FFFF]'"  # characters that take two UTF-16 code units
CLAIM_FIELDS = ("id", "article_id", "order", "paragraph", "start", "end")
CLAIM_FIELDS += ("start_utf16", "end_utf16", "text", "kind")
SPAN_FIELDS = ("id", "start", "end", "quote", "anchor", "error_type_id")
SPAN_FIELDS += ("correction", "note", "severity")
COPY_OPTIONS = "WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"


def subquery(queryset, fields) -> tuple[str, list]:
    sql, params = queryset.order_by().values(*fields).query.sql_with_params()
    return f"({sql})", list(params)


def _source_array(through, owner: str, owner_id: str) -> str:
    """The sources of one annotation or final label, by title then url in code-point order."""
    values = {key: value(f"s.{quoted(key)}") for key in shape.SOURCE}
    values["id"] = "s.id::text"
    return array(
        record(shape.SOURCE, values),
        f"FROM {table_name(through)} x JOIN {table_name(Source)} s ON s.id = x.source_id "
        f"WHERE x.{quoted(owner)} = {owner_id}",
        order_by(shape.SOURCE_ORDER, "s", vendor="postgresql"),
    )


def _utf16(alias: str) -> tuple[str, str]:
    """UTF-16 offsets of a span from its claim's, reading only the claim's own text; a
    claim whose two lengths agree holds no astral character and needs no scan."""
    start, end = f"{alias}.start", f"{alias}.{quoted('end')}"
    before = f"{start} - c.start"
    plain = f"c.end_utf16 - c.start_utf16 = c.{quoted('end')} - c.start"
    start_utf16 = (
        f"c.start_utf16 + {before} + CASE WHEN {plain} THEN 0 "
        f"ELSE regexp_count(substr(c.text, 1, {before}), {ASTRAL}) END"
    )
    length = (
        f"{end} - {start} + CASE WHEN {plain} THEN 0 "
        f"ELSE regexp_count(substr(c.text, {before} + 1, {end} - {start}), {ASTRAL}) END"
    )
    return start_utf16, f"{start_utf16} + {length}"


def _span_values(alias: str) -> dict[str, str]:
    start_utf16, end_utf16 = _utf16(alias)
    return {
        "start": number(f"{alias}.start"),
        "end": number(f"{alias}.{quoted('end')}"),
        "start_utf16": number(start_utf16),
        "end_utf16": number(end_utf16),
        "quote": value(f"{alias}.quote"),
        "anchor": value(f"{alias}.anchor"),
        "error_type": value("et.slug"),
        "error_type_name": value("et.name"),
        "correction": value(f"{alias}.correction"),
        "note": value(f"{alias}.note"),
        "severity": value(f"{alias}.severity"),
    }


def _username(alias: str) -> str:
    return value(f"{alias}.{quoted(get_user_model().USERNAME_FIELD)}")


def annotation_rows(annotations) -> tuple[str, str, list]:
    """Each visible annotation of claim ``c`` (alias ``a``, its error type ``et``) as its
    record's JSON (``element``), and the FROM ... WHERE they come from, for any aggregate
    over them in the shape's order (``annotation_order()``)."""
    sql, params = subquery(annotations, (*SPAN_FIELDS, "claim_id", "reviewer_id"))
    values = {"id": "a.id::text", "reviewer": _username("u"), **_span_values("a")}
    values["sources"] = _source_array(Annotation.sources.through, "annotation_id", "a.id")
    users = table_name(get_user_model())
    source = (
        f"FROM {sql} a JOIN {table_name(ErrorType)} et ON et.id = a.error_type_id "
        f"JOIN {users} u ON u.id = a.reviewer_id WHERE a.claim_id = c.id"
    )
    return record(shape.ANNOTATION, values), source, params


def annotation_order() -> str:
    return order_by(shape.SPAN_ORDER, "a", vendor="postgresql")


def final_annotation_order() -> str:
    return order_by(shape.SPAN_ORDER, "f", vendor="postgresql")


def verdict_order() -> str:
    return order_by(shape.VERDICT_ORDER, "v", vendor="postgresql")


def _annotations(annotations) -> tuple[str, list]:
    element, source, params = annotation_rows(annotations)
    return array(element, source, annotation_order()), params


def verdict_rows(verdicts) -> tuple[str, str, list]:
    """Each visible verdict on claim ``c`` (alias ``v``) as its JSON, and the FROM ... WHERE
    they come from (``verdict_order()``)."""
    sql, params = subquery(verdicts, ("claim_id", "reviewer_id", "label", "note"))
    values = {"reviewer": _username("u"), "label": value("v.label"), "note": value("v.note")}
    source = (
        f"FROM {sql} v JOIN {table_name(get_user_model())} u ON u.id = v.reviewer_id "
        "WHERE v.claim_id = c.id"
    )
    return record(shape.VERDICT, values), source, params


def _verdicts(verdicts) -> tuple[str, list]:
    element, source, params = verdict_rows(verdicts)
    return array(element, source, verdict_order()), params


def final_annotation_rows() -> tuple[str, str]:
    """Each final label of adjudication ``j`` (alias ``f``, its error type ``et``) as its
    JSON, and the FROM ... WHERE they come from (``final_annotation_order()``)."""
    origins = FinalAnnotation.from_annotations.through
    labels = {**_span_values("f")}
    labels["sources"] = _source_array(FinalAnnotation.sources.through, "finalannotation_id", "f.id")
    labels["from_annotations"] = (
        "'[' || COALESCE((SELECT string_agg(o.annotation_id::text, ',' ORDER BY "
        f"{order_by(shape.ORIGIN_ORDER, 'o', vendor='postgresql')}) "
        f"FROM {table_name(origins)} o WHERE o.finalannotation_id = f.id), '') || ']'"
    )
    source = (
        f"FROM {table_name(FinalAnnotation)} f JOIN {table_name(ErrorType)} et "
        "ON et.id = f.error_type_id WHERE f.adjudication_id = j.id"
    )
    return record(shape.FINAL_ANNOTATION, labels), source


def adjudication_rows(adjudications) -> tuple[str, str, list]:
    """The visible adjudication of claim ``c`` (alias ``j``) as its record's JSON, and the
    FROM ... WHERE it comes from (one row at most: one adjudication per claim)."""
    sql, params = subquery(
        adjudications, ("id", "claim_id", "editor_id", "verdict", "note", "updated_at")
    )
    element, source = final_annotation_rows()
    values = {
        "adjudicated_by": _username("u"),
        "adjudicated_at": timestamp("j.updated_at"),
        "verdict": value("NULLIF(j.verdict, '')"),
        "note": value("j.note"),
        "annotations": array(element, source, final_annotation_order()),
    }
    source = (
        f"FROM {sql} j JOIN {table_name(get_user_model())} u ON u.id = j.editor_id "
        "WHERE j.claim_id = c.id"
    )
    return record(shape.ADJUDICATION, values), source, params


def _final(adjudications) -> tuple[str, list]:
    element, source, params = adjudication_rows(adjudications)
    return f"COALESCE((SELECT {element} {source}), 'null')", params


def query(
    claims, *, labels, annotations=None, verdicts=None, adjudications=None
) -> tuple[str, list]:
    """The SELECT whose rows are the records' JSON text, in article order."""
    shape.check_labels(labels)  # it is written into the query as a literal
    claim_sql, params = subquery(claims, CLAIM_FIELDS)
    claim_values = {key: number(f"c.{quoted(key)}") for key in shape.CLAIM}
    claim_values["text"] = value("c.text")
    claim_values["kind"] = value("c.kind")
    values = {
        "labels": f"'\"{labels}\"'",
        "article": record(
            shape.ARTICLE,
            {"id": "c.article_id::text", "title": value("ar.title"), "url": value("ar.url")},
        ),
        "claim": record(shape.CLAIM, claim_values),
    }
    parts_params = []
    if shape.holds_raw(labels):
        values["annotations"], more = _annotations(
            Annotation.objects.all() if annotations is None else annotations
        )
        parts_params += more
        values["verdicts"], more = _verdicts(
            Verdict.objects.all() if verdicts is None else verdicts
        )
        parts_params += more
    if shape.holds_final(labels):
        values["final"], more = _final(
            Adjudication.objects.all() if adjudications is None else adjudications
        )
        parts_params += more
    record_json = record(shape.record_keys(labels), values)
    sql = (
        f"SELECT {record_json} FROM {claim_sql} c "
        f"JOIN {table_name(Article)} ar ON ar.id = c.article_id "
        f"ORDER BY c.article_id, c.{quoted('order')}"
    )
    # The select list's parameters come before the FROM's, as they appear in the text.
    return sql, parts_params + params


def statement(claims, **selection) -> str:
    """The COPY statement, with its parameters composed in as literals."""
    return copy_of(claims, *query(claims, **selection))


def copy_of(claims, sql: str, params: list) -> str:
    """``COPY (sql) TO STDOUT`` in the form that passes each row's text through."""
    composed = connections[claims.db].ops.compose_sql(sql, params)
    return f"COPY ({composed}) TO STDOUT {COPY_OPTIONS}"


@contextmanager
def without_jit(cursor):
    """JIT off for the export, then as it was. The planner counts the correlated subqueries
    once per claim and the estimate passes ``jit_above_cost``: LLVM then spends seconds
    compiling the record's long expression (4.2 s of 4.9 s for 20,000 claims, measured),
    far more than it saves. SET is transactional, so a rolled-back export restores it."""
    cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', false)")
    [(before, _)] = cursor.fetchall()
    try:
        yield
    finally:
        # If the transaction failed, this cannot run, and its rollback puts the setting back.
        with suppress(DatabaseError):
            cursor.execute("SELECT set_config('jit', %s, false)", [before])


@contextmanager
def copying(claims, copy_statement: str):
    """The rows of a COPY ... TO STDOUT as they come (iterate it), with JIT off meanwhile.

    The connection is busy until the COPY ends: a query on it meanwhile would wait for a
    lock this holds, for ever.
    """
    with (
        connections[claims.db].cursor() as cursor,
        without_jit(cursor),
        cursor.copy(copy_statement) as copy,
    ):
        yield copy


def jsonl_chunks(claims, *, chunk_size: int, **selection) -> Iterator[bytes]:
    """The JSONL bytes, ``chunk_size`` lines at a time, as COPY hands them over.

    Only code that does nothing but pass the bytes on (the writers' fast paths, the
    response, the file) reads them, as nothing may query the database until the COPY ends;
    ``records`` is for the rest.
    """
    with copying(claims, statement(claims, **selection)) as copy:
        pending = []
        for row in copy:  # each COPY row: one record's line with its newline
            pending.append(row)
            if len(pending) == chunk_size:
                yield b"".join(pending)
                pending = []
        if pending:
            yield b"".join(pending)


def records(claims, *, chunk_size: int, **selection) -> Iterator[dict]:
    """The same records decoded, through a server-side cursor rather than COPY, so whoever
    consumes them may query the database between records (a writer looking something up).

    Outside a transaction Django declares the cursor WITH HOLD, which makes PostgreSQL run
    the whole query before the first fetch; inside one, rows come as they are built.
    """
    sql, params = query(claims, **selection)
    connection = connections[claims.db]
    with (
        connection.cursor() as plain,
        without_jit(plain),
        connection.chunked_cursor() as cursor,
    ):
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            for (line,) in rows:
                yield orjson.loads(line)
