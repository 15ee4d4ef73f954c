"""Records built by SQLite itself with its JSON functions: one query per chunk of claims,
each row one record's JSON text, the same bytes as ``postgres`` and ``chunked`` write.

SQLite's ``json_object`` writes compact JSON with the keys in the order given and escapes
strings as orjson does (checked in the tests), so each row is the JSONL line and Python
only joins them. A record's arrays come from correlated subqueries: SQLite (3.40, the one
Python ships) has no ``ORDER BY`` inside an aggregate, so each array aggregates an ordered
subquery, whose rows lose their JSON subtype on the way out; ``json()`` gives it back, or
the objects would be embedded as strings.

Chunks: the claims' ids come from the claim queryset, in article order, a chunk at a time;
each chunk's records are one query on those ids (a JSON array bound as one parameter, so a
chunk of any size is one statement). The blind-review narrowing of annotations, verdicts
and adjudications comes in as querysets, each a table of the query's WITH that its part
reads from, as on PostgreSQL: the filters are the SQL Django would run, applied inside the
database.

Two values the database cannot write as Python does unaided:

- UTF-16 offsets of a span count the astral characters of its claim's text before it.
  SQLite has no regular expressions, so ``claims.text.offsets.utf16_length`` is registered on
  the connection as a function; it runs only for claims that hold such a character (their
  two lengths differ), a few in a hundred.
- ``adjudicated_at``: Django stores an aware datetime as its naive UTC text
  (``str(datetime)``: ``2024-02-29 13:05:09[.000005]``, microseconds only when there are
  some), which is ``isoformat()`` with a space for the ``T`` and no ``+00:00``.
"""

from collections.abc import Iterator

import orjson
from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connections

from claims.exports import shape
from claims.exports.sql import order_by, quoted, table_name
from claims.models import (
    Adjudication,
    Annotation,
    Article,
    Claim,
    ErrorType,
    FinalAnnotation,
    Source,
    Verdict,
)
from claims.text.offsets import utf16_length

UTF16_LENGTH = "factcheck_utf16_length"
CLAIM_FIELDS = ("id", "article_id")
SPAN_FIELDS = ("id", "start", "end", "quote", "anchor", "error_type_id")
SPAN_FIELDS += ("correction", "note", "severity")


def _utf16_length(text: str | None) -> int | None:
    return None if text is None else utf16_length(text)


def _register_functions(connection) -> None:
    connection.ensure_connection()
    connection.connection.create_function(UTF16_LENGTH, 1, _utf16_length, deterministic=True)


def _object(keys: tuple[str, ...], values: dict[str, str]) -> str:
    """A JSON object, keys in the shape's order; a value that is JSON text already must
    carry its JSON subtype (``json_object``, ``json_group_array``, ``json()``)."""
    assert tuple(values) == keys, (tuple(values), keys)
    return "json_object(" + ", ".join(f"'{key}', {values[key]}" for key in keys) + ")"


def _record(keys: tuple[str, ...], values: dict[str, str]) -> str:
    """The record, written out key by key: its values are JSON text, its arrays included,
    which need no JSON subtype this way (see ``_array``'s ``as_text``)."""
    assert tuple(values) == keys, (tuple(values), keys)
    parts = []
    for index, key in enumerate(keys):
        opening = "{" if index == 0 else ","
        parts.append(f"""'{opening}"{key}":' || {values[key]}""")
    return " || ".join(parts) + " || '}'"


def _array(
    element: str, source: str, order: str, *, at_most: str | None = None, as_text: bool = False
) -> str:
    """A JSON array of one element per row of ``source``, in ``order``; ``[]`` when none.

    ``at_most``: a cheap count (one index probe) that bounds the rows ``source`` can have.
    Most claims carry no label and most labels cite one source; none needs no subquery and
    one needs no order, and the ordered form (a sorter, and ``json()`` parsing each element
    again) cost about a sixth of the export's instructions when run for all of them
    (callgrind, the 100,000-claim corpus).

    ``as_text``: the ordered array as plain text, for ``_record``, which writes it as it is,
    rather than parsed again by ``json()`` to give it back the subtype ``json_object``
    needs (a tenth of the export's instructions)."""
    rows = f"FROM (SELECT {element} AS e {source} ORDER BY {order})"
    if as_text:
        ordered = f"(SELECT '[' || COALESCE(group_concat(e, ','), '') || ']' {rows})"
    else:
        ordered = f"(SELECT json_group_array(json(e)) {rows})"
    if at_most is None:
        return ordered
    return (
        f"CASE ({at_most}) WHEN 0 THEN json_array() "
        f"WHEN 1 THEN (SELECT json_group_array({element}) {source}) ELSE {ordered} END"
    )


def _visible(name: str, queryset, fields) -> tuple[str, list]:
    """The rows of ``queryset`` a reader may see, as a named table for the query's WITH.

    Named once, so that a part of the query may read it twice (``_array``) and its
    parameters still come once, in order. ``NOT MATERIALIZED``: SQLite would otherwise
    build a table of every visible row before the first record, then scan it per claim."""
    sql, params = queryset.order_by().values(*fields).query.sql_with_params()
    return f"{name} AS NOT MATERIALIZED ({sql})", list(params)


def _source_array(through, owner: str, owner_id: str) -> str:
    return _array(
        _object(shape.SOURCE, {key: f"s.{quoted(key)}" for key in shape.SOURCE}),
        f"FROM {table_name(through)} x JOIN {table_name(Source)} s ON s.id = x.source_id "
        f"WHERE x.{quoted(owner)} = {owner_id}",
        order_by(shape.SOURCE_ORDER, "s", vendor="sqlite"),
        at_most=_count(through, owner, owner_id),
    )


def _count(model, column: str, value: str) -> str:
    """How many rows of ``model`` have ``column = value``, before any reader's narrowing:
    at least as many as the reader may see."""
    return f"SELECT count(*) FROM {table_name(model)} WHERE {quoted(column)} = {value}"


def _utf16(alias: str) -> tuple[str, str]:
    """UTF-16 offsets of a span from its claim's, reading only the claim's own text; a
    claim whose two lengths agree holds no astral character and needs no scan. An orphaned
    span's NULL offsets stay NULL."""
    start, end = f"{alias}.start", f"{alias}.{quoted('end')}"
    before = f"{start} - c.start"
    plain = f"c.end_utf16 - c.start_utf16 = c.{quoted('end')} - c.start"
    start_utf16 = (
        f"CASE WHEN {plain} THEN c.start_utf16 + {before} "
        f"ELSE c.start_utf16 + {UTF16_LENGTH}(substr(c.text, 1, {before})) END"
    )
    end_utf16 = (
        f"CASE WHEN {plain} THEN c.start_utf16 + {end} - c.start "
        f"ELSE c.start_utf16 + {UTF16_LENGTH}(substr(c.text, 1, {end} - c.start)) END"
    )
    return start_utf16, end_utf16


def _span_values(alias: str) -> dict[str, str]:
    start_utf16, end_utf16 = _utf16(alias)
    return {
        "start": f"{alias}.start",
        "end": f"{alias}.{quoted('end')}",
        "start_utf16": start_utf16,
        "end_utf16": end_utf16,
        "quote": f"{alias}.quote",
        "anchor": f"{alias}.anchor",
        "error_type": "et.slug",
        "error_type_name": "et.name",
        "correction": f"{alias}.correction",
        "note": f"{alias}.note",
        "severity": f"{alias}.severity",
    }


def _username(alias: str) -> str:
    return f"{alias}.{quoted(get_user_model().USERNAME_FIELD)}"


def _annotations() -> str:
    values = {"id": "a.id", "reviewer": _username("u"), **_span_values("a")}
    values["sources"] = _source_array(Annotation.sources.through, "annotation_id", "a.id")
    return _array(
        _object(shape.ANNOTATION, values),
        f"FROM visible_annotations a JOIN {table_name(ErrorType)} et ON et.id = a.error_type_id "
        f"JOIN {table_name(get_user_model())} u ON u.id = a.reviewer_id WHERE a.claim_id = c.id",
        order_by(shape.SPAN_ORDER, "a", vendor="sqlite"),
        at_most=_count(Annotation, "claim_id", "c.id"),
        as_text=True,
    )


def _verdicts() -> str:
    values = {"reviewer": _username("u"), "label": "v.label", "note": "v.note"}
    return _array(
        _object(shape.VERDICT, values),
        f"FROM visible_verdicts v JOIN {table_name(get_user_model())} u ON u.id = v.reviewer_id "
        "WHERE v.claim_id = c.id",
        order_by(shape.VERDICT_ORDER, "v", vendor="sqlite"),
        at_most=_count(Verdict, "claim_id", "c.id"),
        as_text=True,
    )


def _final() -> str:
    origins = FinalAnnotation.from_annotations.through
    labels = {**_span_values("f")}
    labels["sources"] = _source_array(FinalAnnotation.sources.through, "finalannotation_id", "f.id")
    labels["from_annotations"] = (
        f"(SELECT json_group_array(o.annotation_id) FROM (SELECT annotation_id "
        f"FROM {table_name(origins)} WHERE finalannotation_id = f.id "
        f"ORDER BY {order_by(shape.ORIGIN_ORDER, '', vendor='sqlite')}) o)"
    )
    values = {
        "adjudicated_by": _username("u"),
        "adjudicated_at": "replace(j.updated_at, ' ', 'T') || '+00:00'",
        "verdict": "NULLIF(j.verdict, '')",
        "note": "j.note",
        "annotations": _array(
            _object(shape.FINAL_ANNOTATION, labels),
            f"FROM {table_name(FinalAnnotation)} f JOIN {table_name(ErrorType)} et "
            "ON et.id = f.error_type_id WHERE f.adjudication_id = j.id",
            order_by(shape.SPAN_ORDER, "f", vendor="sqlite"),
        ),
    }
    return (
        f"(SELECT {_object(shape.ADJUDICATION, values)} FROM visible_adjudications j "
        f"JOIN {table_name(get_user_model())} u ON u.id = j.editor_id WHERE j.claim_id = c.id)"
    )


def query(*, labels, annotations=None, verdicts=None, adjudications=None) -> tuple[str, list]:
    """The SELECT whose rows are the records' JSON text (bytes), in article order, for the
    claims whose ids come as its last parameter (a JSON array)."""
    shape.check_labels(labels)  # it is written into the query as a literal
    claim_values = {key: f"c.{quoted(key)}" for key in shape.CLAIM}
    values = {
        "labels": f"""'"{labels}"'""",
        "article": _object(
            shape.ARTICLE, {"id": "c.article_id", "title": "ar.title", "url": "ar.url"}
        ),
        "claim": _object(shape.CLAIM, claim_values),
    }
    visible = []  # (the WITH's table, its parameters)
    if shape.holds_raw(labels):
        annotations = Annotation.objects.all() if annotations is None else annotations
        verdicts = Verdict.objects.all() if verdicts is None else verdicts
        visible.append(
            _visible("visible_annotations", annotations, (*SPAN_FIELDS, "claim_id", "reviewer_id"))
        )
        visible.append(
            _visible("visible_verdicts", verdicts, ("claim_id", "reviewer_id", "label", "note"))
        )
        values["annotations"], values["verdicts"] = _annotations(), _verdicts()
    if shape.holds_final(labels):
        adjudications = Adjudication.objects.all() if adjudications is None else adjudications
        fields = ("id", "claim_id", "editor_id", "verdict", "note", "updated_at")
        visible.append(_visible("visible_adjudications", adjudications, fields))
        values["final"] = f"COALESCE({_final()}, 'null')"
    record = _record(shape.record_keys(labels), values)
    params = [param for _, more in visible for param in more]
    sql = (
        f"WITH {', '.join(named for named, _ in visible)} "
        f"SELECT CAST({record} AS BLOB) FROM {table_name(Article)} ar "
        f"JOIN {table_name(Claim)} c ON c.article_id = ar.id "
        "WHERE c.id IN (SELECT value FROM json_each(%s)) "
        f"ORDER BY c.article_id, c.{quoted('order')}"
    )
    return sql, params


def _claim_ids(claims, chunk_size: int) -> Iterator[list[int]]:
    """The claims' ids in article order, a chunk at a time, straight off the cursor:
    Django's ``iterator()`` takes a Python generator step per id, a fifth of the export's
    CPU once SQLite writes the records (cProfile, 100,000 claims)."""
    ids = claims.order_by("article_id", "order").values_list("id")
    try:
        sql, params = ids.query.sql_with_params()
    except EmptyResultSet:  # ``.none()``
        return
    with connections[claims.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            # A DISTINCT query (a filter across a relation) also selects its ORDER BY's
            # columns: the id is the first.
            yield [row[0] for row in rows]


def _record_chunks(claims, *, chunk_size: int, **selection) -> Iterator[list[bytes]]:
    """The records' JSON texts, a chunk of claims at a time."""
    connection = connections[claims.db]
    _register_functions(connection)
    sql, params = query(**selection)
    for chunk in _claim_ids(claims, chunk_size):
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, orjson.dumps(chunk).decode()])
            yield [text for (text,) in cursor.fetchall()]


def jsonl_chunks(claims, *, chunk_size: int, **selection) -> Iterator[bytes]:
    """The JSONL bytes, ``chunk_size`` lines at a time."""
    for texts in _record_chunks(claims, chunk_size=chunk_size, **selection):
        texts.append(b"")  # the last line's newline
        yield b"\n".join(texts)


def records(claims, *, chunk_size: int, **selection) -> Iterator[dict]:
    """The same records decoded; each chunk is read whole before the first is handed on,
    so whoever consumes them may query the database between records."""
    for texts in _record_chunks(claims, chunk_size=chunk_size, **selection):
        yield from map(orjson.loads, texts)
