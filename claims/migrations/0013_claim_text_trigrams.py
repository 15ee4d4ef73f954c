"""A trigram index over claim text for SQLite's substring search (``claims.search``).

SQLite's search is a case-insensitive substring of the claim's text (``icontains``), which
reads every claim: about a second at a million claims. An FTS5 table with the trigram
tokenizer indexes every three characters of each claim, so ``LIKE '%minister%'`` on it
reads only the claims holding all of that word's trigrams. It is an external-content table
(the text stays in ``claims_claim`` alone) with ``detail=none`` (which trigrams a claim
holds, not where: a third of the size, and the ``LIKE`` is checked on each candidate
anyway). Triggers keep it in step with every insert, delete and change of a claim's text.

Only where SQLite has FTS5 and its trigram tokenizer (3.34 and later, as Python's builds
have); elsewhere the migration does nothing and the search reads every claim as before.
PostgreSQL has its own index (``0011_claim_text_search``).

Django rebuilds an SQLite table to alter it (a new table, the rows copied, the old one
dropped), which drops these triggers with it: a migration that alters ``Claim`` must
create them again (``create_trigrams``). ``tests/test_search_trigrams.py`` checks them.
"""

import sqlite3

from django.db import migrations

TABLE = "claims_claim_trigrams"  # claims.search.TRIGRAM_TABLE


CREATE = [
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(text, content='claims_claim', "
    "content_rowid='id', tokenize='trigram', detail='none')",
    f"CREATE TRIGGER {TABLE}_insert AFTER INSERT ON claims_claim BEGIN "
    f"INSERT INTO {TABLE}(rowid, text) VALUES (new.id, new.text); END",
    f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON claims_claim BEGIN "
    f"INSERT INTO {TABLE}({TABLE}, rowid, text) VALUES ('delete', old.id, old.text); END",
    f"CREATE TRIGGER {TABLE}_update AFTER UPDATE OF text ON claims_claim BEGIN "
    f"INSERT INTO {TABLE}({TABLE}, rowid, text) VALUES ('delete', old.id, old.text); "
    f"INSERT INTO {TABLE}(rowid, text) VALUES (new.id, new.text); END",
    # The claims stored before this migration.
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
]
DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {TABLE}_update",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def sqlite_has_trigrams() -> bool:
    """Asked as ``claims.search.sqlite_has_trigrams`` asks it, of the same library (Django's
    SQLite is Python's); written out here, as a migration must not change with the code."""
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize=trigram)")
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()
    return True


def create_trigrams(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite" or not sqlite_has_trigrams():
        return
    with connection.cursor() as cursor:
        for statement in DROP + CREATE:
            cursor.execute(statement)


def drop_trigrams(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in DROP:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("claims", "0012_annotation_text_search")]

    operations = [migrations.RunPython(create_trigrams, drop_trigrams, elidable=False)]
