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
