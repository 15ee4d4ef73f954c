"""JSON text written by PostgreSQL, piece by piece, as SQL expressions.

The export's records (``postgres``, ``postgres_csv``) and the claim list's page
(``claims.api.claim_pages``, whose SQLite twin is ``claims.api.sqlite_pages``) are built by
concatenating these: ``json_build_object`` would put spaces around colons and ``json_agg``
a newline between elements, so its text could not be the bytes the Python path writes.
Each value goes through ``to_json(...)::text``, which escapes strings exactly as orjson
does (checked in the tests).
"""


def value(expression: str) -> str:
    """Any value as JSON text; NULL is ``null``."""
    return f"COALESCE(to_json({expression})::text, 'null')"


def number(expression: str) -> str:
    """An integer as JSON text; NULL is ``null``."""
    return f"COALESCE(({expression})::text, 'null')"


def timestamp(expression: str, *, utc: str = "+00:00") -> str:
    """A timestamp as Python's ``isoformat()`` writes an aware UTC datetime: microseconds
    only when there are some, and ``+00:00`` (DRF writes ``utc="Z"`` instead)."""
    at_utc = f"({expression} AT TIME ZONE 'UTC')"
    return (
        f"""'"' || to_char({at_utc}, 'YYYY-MM-DD"T"HH24:MI:SS') || CASE WHEN """
        f"date_trunc('second', {at_utc}) = {at_utc} THEN '' ELSE to_char({at_utc}, '.US') END"
        f""" || '{utc}"'"""
    )


def record(keys: tuple[str, ...], values: dict[str, str]) -> str:
    """A JSON object written out key by key, in the shape's order."""
    assert tuple(values) == keys, (tuple(values), keys)
    parts = []
    for index, key in enumerate(keys):
        opening = "{" if index == 0 else ","
        parts.append(f"""'{opening}"{key}":' || {values[key]}""")
    return "(" + " || ".join(parts) + " || '}')"


def array(element: str, source: str, order: str) -> str:
    """A JSON array of one element per row of ``source``; ``[]`` when there are none."""
    return (
        f"COALESCE((SELECT '[' || string_agg({element}, ',' ORDER BY {order}) || ']' "
        f"{source}), '[]')"
    )
