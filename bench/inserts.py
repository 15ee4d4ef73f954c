"""Plain rows into a model's table at the database's speed, for building the bench corpus.

``bulk_create`` spends most of a million-claim build making model instances and compiling
their values (about 60 µs a claim with its labels on the 2-core machine); here rows are
tuples already in the database's form, written with ``COPY … FROM STDIN`` on PostgreSQL and
multi-row ``INSERT``s on SQLite (``claims.services.claim_rows.insert_rows``), and their ids
are handed out before they are written. Only for a database that nothing else writes to
while it runs (the corpus database).
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.management.color import no_style
from django.db import connection

from claims.services.claim_rows import insert_rows


def quoted(columns: list[str]) -> str:
    return ", ".join(connection.ops.quote_name(column) for column in columns)


def next_ids(model, count: int) -> range:
    """``count`` ids no row of ``model`` has; ``sync_sequences`` afterwards."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
        (highest,) = cursor.fetchone()
    return range(highest + 1, highest + 1 + count)


def sync_sequences(models: list) -> None:
    """Make PostgreSQL's id sequences follow the ids written (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def moment(value: datetime) -> object:
    return connection.ops.adapt_datetimefield_value(value)


def day(value: date | None) -> object:
    return connection.ops.adapt_datefield_value(value)


def insert(table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    """Write ``rows`` (tuples in ``columns`` order) into ``table``."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({quoted(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        insert_rows(cursor, f"INSERT INTO {table} ({quoted(columns)})", len(columns), rows)
