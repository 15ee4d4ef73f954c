"""The claim list's page written by the database: one query whose result is the page's JSON.

A page of 100 claims with their annotations, sources and verdicts took four queries and
about 10 ms of Python per request (``representations.claim_page``: rows to dicts, dicts to
JSON). Under 20 clients on two cores that Python, not the database, set how many pages a
second the server could answer. Here the database writes the same bytes itself, in the
statement that also reads the page's window, under the same blind-review rule
(``permissions.visible_work_sql``): PostgreSQL with the export's JSON-by-concatenation
helpers (``exports/postgres.py``), SQLite in its own dialect (``sqlite_pages``). Python
splices the text into the page.

Only for what it can write byte for byte: the plain JSON renderer, and the UTC time zone
(DRF writes times in the current zone, ``Z`` for UTC). Anything else (the browsable API,
another ``TIME_ZONE``) takes ``representations.claim_page``.
``tests/api/test_claim_pages_sql.py`` holds both paths to the same bytes, on both databases.
"""

from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from claims import permissions
from claims.api import sqlite_pages
from claims.exports import postgres
from claims.exports.postgres import _array, _number, _object, _value, q, table
from claims.models import Annotation, Claim, ErrorType, Verdict

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


def _timestamp(expression: str) -> str:
    """A time as DRF writes it in UTC: ``isoformat()`` with ``Z`` for ``+00:00``."""
    return f"COALESCE({postgres._timestamp(expression, utc='Z')}, 'null')"


def _sources() -> str:
    # The database's collation, as the Python path's ``order_by`` sorts them.
    return postgres._source_array(Annotation.sources.through, "annotation_id", "a.id", collation="")


def _annotations(reader) -> tuple[str, list]:
    fields = ("id", "claim_id", "reviewer_id", "start", "end", "quote", "anchor")
    fields += ("error_type_id", "correction", "note", "severity", "version")
    sql, params = _visible(reader, Annotation, (*fields, "created_at", "updated_at"))
    values = {
        "id": "a.id::text",
        "claim": "a.claim_id::text",
        "article": "c.article_id::text",
        "reviewer": _value(f"u.{q(get_user_model().USERNAME_FIELD)}"),
        "start": _number("a.start"),
        "end": _number(f"a.{q('end')}"),
        "quote": _value("a.quote"),
        "anchor": _value("a.anchor"),
        "error_type": _value("et.slug"),
        "error_type_name": _value("et.name"),
        "correction": _value("a.correction"),
        "note": _value("a.note"),
        "severity": _value("a.severity"),
        "sources": _sources(),
        "version": _number("a.version"),
        "created_at": _timestamp("a.created_at"),
        "updated_at": _timestamp("a.updated_at"),
    }
    return _array(
        _object(ANNOTATION, values),
        f"FROM {sql} a JOIN {table(ErrorType)} et ON et.id = a.error_type_id "
        f"JOIN {table(get_user_model())} u ON u.id = a.reviewer_id WHERE a.claim_id = c.id",
        "a.start, a.id",
    ), params


def _verdicts(reader) -> tuple[str, list]:
    fields = ("id", "claim_id", "reviewer_id", "label", "note", "version")
    sql, params = _visible(reader, Verdict, (*fields, "created_at", "updated_at"))
    values = {
        "id": "v.id::text",
        "claim": "v.claim_id::text",
        "reviewer": _value(f"u.{q(get_user_model().USERNAME_FIELD)}"),
        "label": _value("v.label"),
        "note": _value("v.note"),
        "version": _number("v.version"),
        "created_at": _timestamp("v.created_at"),
        "updated_at": _timestamp("v.updated_at"),
    }
    return _array(
        _object(VERDICT, values),
        f"FROM {sql} v JOIN {table(get_user_model())} u ON u.id = v.reviewer_id "
        "WHERE v.claim_id = c.id",
        "v.reviewer_id",
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


READING = f"article_id, {q('order')}"
READING_BACK = f"article_id DESC, {q('order')} DESC"


def window_of(queryset) -> tuple[str, list]:
    """A window queryset (``ClaimPagination.window``) as the SQL ``page_json`` reads."""
    sql, params = queryset.values_list(*WINDOW).query.sql_with_params()
    return sql, list(params)


def written_window(paginator) -> tuple[str, list]:
    """The window of an unfiltered claim list, written out (``ClaimPagination.read`` first)."""
    return paginator.written_window(table(Claim), ", ".join(q(c) for c in WINDOW_COLUMNS))


def page_json(window: tuple[str, list], *, size: int, backwards: bool, reader) -> Page:
    """The page cut from ``window`` (the SQL of ``ClaimPagination``'s window: claims in
    the order it reads them, ``size`` and one more) as a JSON array in reading order, each
    claim with the annotations and verdicts ``reader`` may see; and what the pagination's
    links are made of. One statement: the window is read inside it, not in a query of its
    own."""
    window_sql, window_params = window
    # The window's own order: its first ``size`` claims are the page. There is more past
    # the page when the window's farthest claim is not the page's.
    window_order, farthest = (READING_BACK, READING) if backwards else (READING, READING_BACK)
    orders = {"window": window_order, "farthest": farthest}
    orders |= {"reading": READING, "back": READING_BACK}
    writer = sqlite_pages.page_sql if connection.vendor == "sqlite" else _postgres_sql
    sql, params = writer(window_sql, size=size, orders=orders, reader=reader)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*window_params, *params])
        [(text, more, first, last)] = cursor.fetchall()
    if connection.vendor == "sqlite":
        first, last = sqlite_pages.keys(first, last)
    return Page(
        WrittenJSON(text),
        more=bool(more),
        first=Key(*first) if first else None,
        last=Key(*last) if last else None,
    )


def _postgres_sql(window_sql: str, *, size: int, orders: dict[str, str], reader):
    annotation_array, annotation_params = _annotations(reader)
    verdict_array, verdict_params = _verdicts(reader)
    values = {
        "id": "c.id::text",
        "article": "c.article_id::text",
        "order": _number(f"c.{q('order')}"),
        "paragraph": _number("c.paragraph"),
        "start": _number("c.start"),
        "end": _number(f"c.{q('end')}"),
        "text": _value("c.text"),
        "kind": _value("c.kind"),
        "annotations": annotation_array,
        "verdicts": verdict_array,
    }
    key = f"ARRAY[article_id, {q('order')}]"
    columns = ", ".join(q(column) for column in WINDOW_COLUMNS)
    sql = (
        f"WITH w AS MATERIALIZED (SELECT * FROM ({window_sql}) s ({columns})), "
        f"c AS (SELECT * FROM w ORDER BY {orders['window']} LIMIT {int(size)}) "
        f"SELECT (SELECT COALESCE('[' || string_agg({_object(CLAIM, values)}, ',' "
        f"ORDER BY {orders['reading']}) || ']', '[]') FROM c), "
        f"(SELECT {key} FROM w ORDER BY {orders['farthest']} LIMIT 1) "
        f"IS DISTINCT FROM (SELECT {key} FROM c ORDER BY {orders['farthest']} LIMIT 1), "
        f"(SELECT {key} FROM c ORDER BY {orders['reading']} LIMIT 1), "
        f"(SELECT {key} FROM c ORDER BY {orders['back']} LIMIT 1)"
    )
    return sql, [*annotation_params, *verdict_params]
