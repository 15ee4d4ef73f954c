"""How SQLite writes the claim list's page (``claim_pages.SQLITE``): the statement is
``claim_pages``', these are the parts of it that SQLite writes in its own dialect.

On SQLite the Python path (``representations.claim_page``: three more queries built by
the ORM, their rows made into dicts, the dicts into JSON) cost about 11 ms of CPU a page of
100 claims at a million claims, and the server answered 20 clients at a p99 near 140 ms.

Every value is written as JSON text and concatenated, as on PostgreSQL: ``json_quote``
writes a string, a number or ``null`` as DRF's renderer does (compact; ``"``, ``\\`` and
control characters escaped, everything else as it is; ``ClaimPageRenderer`` escapes
U+2028/U+2029 afterwards). SQLite 3.40, the one Python ships, has no ``ORDER BY`` inside an
aggregate, so each array concatenates the rows of an ordered subquery (as
``claims/exports/sqlite.py`` does). Times are stored as Django writes them for SQLite, the
naive UTC text ``2026-11-28 12:00:00[.123456]``: DRF's ``2026-11-28T12:00:00[.123456]Z``
once the space is a ``T``. ``tests/api/test_claim_pages_sql.py`` holds this and the
Python path to the same bytes.
"""

import json


def value(expression: str) -> str:
    return f"json_quote({expression})"


def timestamp(expression: str) -> str:
    return f"json_quote(replace({expression}, ' ', 'T') || 'Z')"


def array(element: str, source: str, order: str) -> str:
    return (
        f"(SELECT '[' || COALESCE(group_concat(e, ','), '') || ']' "
        f"FROM (SELECT {element} AS e {source} ORDER BY {order}))"
    )


def record(keys: tuple[str, ...], values: dict[str, str]) -> str:
    assert tuple(values) == keys, (tuple(values), keys)
    parts = [
        f"""'{"{" if index == 0 else ","}"{key}":' || {values[key]}"""
        for index, key in enumerate(keys)
    ]
    return "(" + " || ".join(parts) + " || '}')"


def load_key(key: str) -> list:
    return json.loads(key)  # SQLite has no arrays: the key comes as a JSON one
