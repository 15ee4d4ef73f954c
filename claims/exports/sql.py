"""SQL identifiers as the database-built paths write them into their statements.

Double quotes, each inner one doubled: the same for PostgreSQL and SQLite, so the exports
of both (``postgres``, ``postgres_csv``, ``sqlite``) and the claim list's page
(``claims.api.claim_pages``) quote a column or a table alike.
"""


def quoted(name: str) -> str:
    """A column (or any identifier) quoted: ``end`` and ``order`` are reserved words."""
    return '"' + name.replace('"', '""') + '"'


def table_name(model) -> str:
    """A model's table, quoted."""
    return quoted(model._meta.db_table)


# Column names written bare in an ORDER BY (as the statements always wrote them), unless
# they are reserved words.
_RESERVED = frozenset({"end", "order", "user", "group"})


def order_by(order, alias: str, *, vendor: str, code_points: bool = True, nulls: bool = True):
    """``order`` (a ``shape.Order``) as an ``ORDER BY`` list over the columns of ``alias``
    (none: bare column names), for ``vendor`` (``postgresql`` or ``sqlite``).

    ``code_points``: text columns compared by code point, as Python compares strings
    (PostgreSQL's ``COLLATE "C"``; SQLite's default BINARY collation already does).
    Otherwise the database's collation, as Django's ``order_by`` sorts.
    ``nulls``: NULLs where ``order`` places them; otherwise where the database does
    (first on SQLite, last on PostgreSQL), as Django's ``order_by`` sorts."""
    parts = []
    for field in order.fields:
        name = quoted(field) if field in _RESERVED else field
        column = f"{alias}.{name}" if alias else name
        if field in order.text and code_points and vendor == "postgresql":
            column += ' COLLATE "C"'
        if field in order.nullable and nulls:
            if vendor == "sqlite":
                # SQLite sorts NULLs first, and only 3.30+ reads NULLS LAST.
                null = "IS NULL" if order.nulls_last else "IS NOT NULL"
                parts.append(f"{column} {null}")
            elif not order.nulls_last:
                column += " NULLS FIRST"  # PostgreSQL sorts them last when ascending
        parts.append(column)
    return ", ".join(parts)
