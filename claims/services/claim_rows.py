"""New claims written at the database's own speed.

An import stores tens of claims per article. Built as model instances and inserted with
``bulk_create``, they cost more than splitting the text did; so the rows go from the
segments to the database as plain tuples: ``COPY`` on PostgreSQL, multi-row ``INSERT``s on
SQLite (``insert_rows``). Nothing is lost by it: a claim's fields are plain numbers and
text, checked by the segmenter's construction (``text == article.text[start:end]``) and by
the table's constraints.

``COLUMNS`` must name every column of ``Claim`` but its id; a test checks it, so a column
added to the model is not silently left out of imports.
"""

import sqlite3
import time
from collections.abc import Iterable, Sequence

from django.db import connection

from claims.models import Claim

COLUMNS = (
    "article_id",
    "order",
    "paragraph",
    "start",
    "end",
    "start_utf16",
    "end_utf16",
    "text",
    "kind",
)


def insert_claim_rows(rows: Iterable[tuple]) -> None:
    """Insert claims given as tuples in ``COLUMNS`` order, in the current transaction."""
    table = connection.ops.quote_name(Claim._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            insert_rows(cursor, f"INSERT INTO {table} ({columns})", len(COLUMNS), rows)
            return
        sql = f"COPY {table} ({columns}) FROM STDIN"
        began = time.monotonic()
        # psycopg's own cursor (Django has no COPY), its errors turned into Django's as
        # Django's cursor turns them, so callers catch one kind of DatabaseError.
        with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        if connection.queries_logged:
            # Logged as Django logs a query, so query counts (tests, debug tools) see it.
            connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - began:.3f}"})


# Rows per SQLite statement at most, whatever its limit on bound values: the statement's
# text grows with it (about 30 bytes a row).
ROWS_PER_STATEMENT = 2_000


def insert_rows(cursor, insert: str, width: int, rows: Iterable[Sequence]) -> None:
    """SQLite: ``rows`` of ``width`` values written by ``insert`` (``INSERT INTO t (…)``)
    with as few statements as SQLite's limit on bound values allows.

    Not ``executemany``, one statement a row: SQLite's full-text index writes out what a
    statement added when the statement ends (FTS5; the claims' trigram index, migration
    ``0013_claim_text_trigrams``), which made each claim of an import cost seven times
    more than the same rows in a few statements (181,000 claims: 24 s against 3.5 s).
    """
    limit = cursor.db.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per_statement = max(1, min(ROWS_PER_STATEMENT, limit // width))
    row_marks = "(" + ", ".join(["%s"] * width) + ")"
    pending: list = []
    for row in rows:
        pending.append(row)
        if len(pending) == per_statement:
            _insert(cursor, insert, row_marks, pending)
            pending = []
    if pending:
        _insert(cursor, insert, row_marks, pending)


def _insert(cursor, insert: str, row_marks: str, rows: list) -> None:
    values = ", ".join([row_marks] * len(rows))
    cursor.execute(f"{insert} VALUES {values}", [value for row in rows for value in row])
