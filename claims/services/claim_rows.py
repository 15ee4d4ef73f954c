"""New claims written at the database's own speed.

An import stores tens of claims per article. Built as model instances and inserted with
``bulk_create``, they cost more than splitting the text did; so the rows go from the
segments to the database as plain tuples: ``COPY`` on PostgreSQL, ``executemany``
elsewhere. Nothing is lost by it: a claim's fields are plain numbers and text, checked by
the segmenter's construction (``text == article.text[start:end]``) and by the table's
constraints.

``COLUMNS`` must name every column of ``Claim`` but its id; a test checks it, so a column
added to the model is not silently left out of imports.
"""

import time
from collections.abc import Iterable

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
            marks = ", ".join(["%s"] * len(COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(rows))
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
