"""The claim list's page written by the database: one query whose result is the page's JSON.

A page of 100 claims with their annotations, sources and verdicts took four queries and
about 10 ms of Python per request (``representations.claim_page``: rows to dicts, dicts to
JSON). Under 20 clients on two cores that Python, not the database, set how many pages a
second the server could answer. Here the database writes the same bytes itself, in the
statement that also reads the page's window, under the same blind-review rule
(``permissions.visible_work_sql``): PostgreSQL with the export's JSON-by-concatenation
helpers (``exports/postgres_json.py``), SQLite in its own dialect (``sqlite_pages``). Python
splices the text into the page.

Only for what it can write byte for byte: the plain JSON renderer, and the UTC time zone
(DRF writes times in the current zone, ``Z`` for UTC). Anything else (the browsable API,
another ``TIME_ZONE``) takes ``representations.claim_page``.
``tests/api/test_claim_pages_sql.py`` holds both paths to the same bytes, on both databases.
"""

from collections.abc import Callable
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from claims import permissions
from claims.api import sqlite_pages
from claims.exports import postgres_json, shape
from claims.exports.sql import order_by, quoted, table_name
from claims.models import Annotation, Claim, ErrorType, Source, Verdict

CLAIM = ("id", "article", "order", "paragraph", "start", "end", "text", "kind")
CLAIM += ("annotations", "verdicts")
ANNOTATION = ("id", "claim", "article", "reviewer", "start", "end", "quote", "anchor")
ANNOTATION += ("error_type", "error_type_name", "correction", "note", "severity", "sources")
ANNOTATION += ("version", "created_at", "updated_at")
VERDICT = ("id", "claim", "reviewer", "label", "note", "version", "created_at", "updated_at")
# The window's fields, and the names its columns take in the page's statement.
WINDOW = ("id", "article_id", "order", "paragraph", "start", "end", "text", "kind")
WINDOW_COLUMNS = tuple(Claim._meta.get_field(field).column for field in WINDOW)


class WrittenJSON:
    """JSON text already written (by the database), to be spliced into a response."""

    def __init__(self, text: str):
        self.text = text


class ClaimPageRenderer(JSONRenderer):
    """DRF's JSON renderer, which passes a page's ``WrittenJSON`` results through as
    they are; everything else it renders as DRF does."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, WrittenJSON):
            return super().render(data, accepted_media_type, renderer_context)
        assert list(data) == ["next", "previous", "results"], list(data)
        # DRF escapes U+2028/U+2029 so that the JSON is also valid JavaScript; PostgreSQL
        # does not. They can only occur inside strings, where the escape means the same.
        text = results.text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        # The links through DRF's own rendering (which writes nothing at all for None).
        links = super().render({"next": data["next"], "previous": data["previous"]})
        return b"".join([links[:-1], b',"results":', text.encode(), b"}"])


def applies(request, using: str = "default") -> bool:
    """Whether the database can write this request's page: see the module's docstring."""
    return (
        connections[using].vendor in {"postgresql", "sqlite"}
        and type(getattr(request, "accepted_renderer", None)) is ClaimPageRenderer
        and timezone.get_current_timezone_name() == "UTC"
    )


class Dialect(NamedTuple):
    """How a database writes the page's JSON text: ``value`` any column as JSON,
    ``number`` an integer column, ``timestamp`` a time as DRF writes it in UTC, ``array``
    one element per row of a source in an order (``[]`` for none), ``record`` an object key
    by key; ``key`` a claim's key for the links, as ``load_key`` reads it back, and
    ``distinct`` the comparison that tells two keys (or a key and none) apart."""

    value: Callable[[str], str]
    number: Callable[[str], str]
    timestamp: Callable[[str], str]
    array: Callable[[str, str, str], str]
    record: Callable[[tuple[str, ...], dict[str, str]], str]
    key: str
    load_key: Callable
    distinct: str
    vendor: str


POSTGRES = Dialect(
    value=postgres_json.value,
    number=postgres_json.number,
    # ``isoformat()`` with ``Z`` for ``+00:00``.
    timestamp=lambda e: f"COALESCE({postgres_json.timestamp(e, utc='Z')}, 'null')",
    array=postgres_json.array,
    record=postgres_json.record,
    key=f"ARRAY[article_id, {quoted('order')}]",
    load_key=lambda key: key,
    distinct="IS DISTINCT FROM",
    vendor="postgresql",
)
SQLITE = Dialect(
    value=sqlite_pages.value,
    number=sqlite_pages.value,
    timestamp=sqlite_pages.timestamp,
    array=sqlite_pages.array,
    record=sqlite_pages.record,
    key=f"json_array(article_id, {quoted('order')})",
    load_key=sqlite_pages.load_key,
    distinct="IS NOT",
    vendor="sqlite",
)


def _sources(d: Dialect) -> str:
    values = {key: d.value(f"s.{quoted(key)}") for key in shape.SOURCE}
    values["id"] = d.number("s.id")
    return d.array(
        d.record(shape.SOURCE, values),
        f"FROM {table_name(Annotation.sources.through)} x "
        f"JOIN {table_name(Source)} s ON s.id = x.source_id WHERE x.annotation_id = a.id",
        # The database's collation, as the Python path's order_by.
        order_by(shape.SOURCE_ORDER, "s", vendor=d.vendor, code_points=False),
    )


def _annotations(reader, d: Dialect) -> tuple[str, list]:
    fields = ("id", "claim_id", "reviewer_id", "start", "end", "quote", "anchor")
    fields += ("error_type_id", "correction", "note", "severity", "version")
    sql, params = _visible(reader, Annotation, (*fields, "created_at", "updated_at"))
    values = {
        "id": d.number("a.id"),
        "claim": d.number("a.claim_id"),
        "article": d.number("c.article_id"),
        "reviewer": d.value(f"u.{quoted(get_user_model().USERNAME_FIELD)}"),
        "start": d.number("a.start"),
        "end": d.number(f"a.{quoted('end')}"),
        "quote": d.value("a.quote"),
        "anchor": d.value("a.anchor"),
        "error_type": d.value("et.slug"),
        "error_type_name": d.value("et.name"),
        "correction": d.value("a.correction"),
        "note": d.value("a.note"),
        "severity": d.value("a.severity"),
        "sources": _sources(d),
        "version": d.number("a.version"),
        "created_at": d.timestamp("a.created_at"),
        "updated_at": d.timestamp("a.updated_at"),
    }
    return d.array(
        d.record(ANNOTATION, values),
        f"FROM {sql} a JOIN {table_name(ErrorType)} et ON et.id = a.error_type_id "
        f"JOIN {table_name(get_user_model())} u ON u.id = a.reviewer_id WHERE a.claim_id = c.id",
        # NULLs where the database puts them, as the Python path's order_by.
        order_by(shape.SPAN_ORDER, "a", vendor=d.vendor, nulls=False),
    ), params


def _verdicts(reader, d: Dialect) -> tuple[str, list]:
    fields = ("id", "claim_id", "reviewer_id", "label", "note", "version")
    sql, params = _visible(reader, Verdict, (*fields, "created_at", "updated_at"))
    values = {
        "id": d.number("v.id"),
        "claim": d.number("v.claim_id"),
        "reviewer": d.value(f"u.{quoted(get_user_model().USERNAME_FIELD)}"),
        "label": d.value("v.label"),
        "note": d.value("v.note"),
        "version": d.number("v.version"),
        "created_at": d.timestamp("v.created_at"),
        "updated_at": d.timestamp("v.updated_at"),
    }
    return d.array(
        d.record(VERDICT, values),
        f"FROM {sql} v JOIN {table_name(get_user_model())} u ON u.id = v.reviewer_id "
        "WHERE v.claim_id = c.id",
        order_by(shape.VERDICT_ORDER, "v", vendor=d.vendor),
    ), params


def _visible(reader, model, fields) -> tuple[str, list]:
    """The rows of ``model`` the reader may see under blind review, as a subquery."""
    sql, params = permissions.visible_work_sql(reader, model, fields)
    return f"({sql})", list(params)


class Key(NamedTuple):
    """Where a claim stands in reading order: what the pagination's links are made of."""

    article_id: int
    order: int


class Page(NamedTuple):
    """A page the database wrote; ``more``: its window held a claim past the page;
    ``first`` and ``last``: its claims' keys in reading order (None if it is empty)."""

    results: WrittenJSON
    more: bool
    first: Key | None
    last: Key | None


READING = f"article_id, {quoted('order')}"
READING_BACK = f"article_id DESC, {quoted('order')} DESC"


def window_of(queryset) -> tuple[str, list]:
    """A window queryset (``ClaimPagination.window``) as the SQL ``page_json`` reads."""
    sql, params = queryset.values_list(*WINDOW).query.sql_with_params()
    return sql, list(params)


def written_window(paginator) -> tuple[str, list]:
    """The window of an unfiltered claim list, written out (``ClaimPagination.read`` first)."""
    return paginator.written_window(table_name(Claim), ", ".join(quoted(c) for c in WINDOW_COLUMNS))


def page_json(window: tuple[str, list], *, size: int, backwards: bool, reader) -> Page:
    """The page cut from ``window`` (the SQL of ``ClaimPagination``'s window: claims in
    the order it reads them, ``size`` and one more) as a JSON array in reading order, each
    claim with the annotations and verdicts ``reader`` may see; and what the pagination's
    links are made of. One statement: the window is read inside it, not in a query of its
    own."""
    d = SQLITE if connection.vendor == "sqlite" else POSTGRES
    window_sql, window_params = window
    annotation_array, annotation_params = _annotations(reader, d)
    verdict_array, verdict_params = _verdicts(reader, d)
    values = {
        "id": d.number("c.id"),
        "article": d.number("c.article_id"),
        "order": d.number(f"c.{quoted('order')}"),
        "paragraph": d.number("c.paragraph"),
        "start": d.number("c.start"),
        "end": d.number(f"c.{quoted('end')}"),
        "text": d.value("c.text"),
        "kind": d.value("c.kind"),
        "annotations": annotation_array,
        "verdicts": verdict_array,
    }
    # The window's own order: its first ``size`` claims are the page. There is more past
    # the page when the window's farthest claim is not the page's.
    order, farthest = (READING_BACK, READING) if backwards else (READING, READING_BACK)
    sql = (
        f"WITH w AS MATERIALIZED ({window_sql}), "
        f"c AS MATERIALIZED (SELECT * FROM w ORDER BY {order} LIMIT {int(size)}) "
        f"SELECT {d.array(d.record(CLAIM, values), 'FROM c', READING)}, "
        f"(SELECT {d.key} FROM w ORDER BY {farthest} LIMIT 1) "
        f"{d.distinct} (SELECT {d.key} FROM c ORDER BY {farthest} LIMIT 1), "
        f"(SELECT {d.key} FROM c ORDER BY {READING} LIMIT 1), "
        f"(SELECT {d.key} FROM c ORDER BY {READING_BACK} LIMIT 1)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*window_params, *annotation_params, *verdict_params])
        [(text, more, first, last)] = cursor.fetchall()
    first, last = (Key(*d.load_key(key)) if key else None for key in (first, last))
    return Page(WrittenJSON(text), more=bool(more), first=first, last=last)
