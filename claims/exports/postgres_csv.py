"""CSV lines built by PostgreSQL: the bytes the ``spreadsheet`` writer makes of the same records.

In Python, each CSV row cost more CPU than PostgreSQL spent building its record (decode the
record, pick its cells, encode three JSON columns again, neutralise, quote: 17 µs a claim
against 3 µs for passing JSONL on), so a CSV export kept two cores busy where JSONL keeps
one, and fell behind the floor whenever the machine was shared. Here the query writes each
claim's whole CSV line, as ``postgres`` writes its JSON, and Python only passes it on.

The line is what Python's ``csv.writer`` writes in the excel dialect: cells joined by
commas, ``\\r\\n`` at the end, and a cell quoted, its double quotes doubled, when it holds a
comma, a double quote, a CR or a LF (``QUOTE_MINIMAL``), and only then. Text cells that a
spreadsheet would run as a formula get the leading ``'`` of ``spreadsheet.neutralised``. The JSON
columns are the record's own JSON text from ``postgres``, the bytes orjson writes for them.
The columns and their values follow ``spreadsheet.row``; a test holds the two to the same bytes.

Every line ends in a line break, so COPY's CSV form quotes every row, with the quote
character (``\\x01``) doubled inside: ``chunks`` takes the wrapping off again.
"""

from collections.abc import Iterator

from claims.exports import postgres, shape, spreadsheet
from claims.exports.sql import quoted, table_name
from claims.models import Adjudication, Annotation, Article, Verdict

# What makes Python's csv writer quote a cell (excel dialect): its delimiter, its quote
# character, and the characters of its line terminator.
NEEDS_QUOTES = "E'[\",\\r\\n]'"

# The code points that make ``spreadsheet.neutralised`` put a ``'`` before a cell (``ascii``
# reads the first one: an integer compared, not a string cut off and collated).
FORMULA_STARTS = ", ".join(str(ord(character)) for character in spreadsheet.FORMULA_STARTS)


def _cell(text: str) -> str:
    """A text cell as the csv writer writes ``neutralised(text)``. ``text`` is a column
    (it is read up to three times) and never NULL. The ``'`` put before a formula is no
    reason to quote, so the test for quoting reads the cell as it came."""
    formula = f"CASE WHEN ascii({text}) IN ({FORMULA_STARTS}) THEN '''' ELSE '' END"
    doubled = f"""replace({text}, '"', '""')"""
    return (
        f"CASE WHEN {text} = '' THEN '' "  # the corrections of most claims: no work
        f"WHEN {text} ~ {NEEDS_QUOTES} "
        f"""THEN '"' || {formula} || {doubled} || '"' """
        f"ELSE {formula} || {text} END"
    )


def _json_cell(json: str) -> str:
    """A JSON cell: ``[]`` and ``null`` as they are; any other value here is an array of
    objects or an object, whose keys hold double quotes, so the writer quotes it (and it
    starts with no formula character). No regex reads the JSON, which is most of a row."""
    quoted = f"""'"' || replace({json}, '"', '""') || '"'"""
    return f"CASE WHEN {json} IN ('[]', 'null') THEN {json} ELSE {quoted} END"


def _true_if(condition: str) -> str:
    return f"CASE WHEN {condition} THEN 'true' ELSE 'false' END"


def _annotations(element: str, source: str, order: str) -> str:
    """One row over the annotations of ``source``: their JSON array, their error types joined by
    ``;`` and their corrections (those not empty) by `` | ``, as ``spreadsheet.row`` joins them.
    An aggregate always gives one row, and is never merged into the outer query (which
    would evaluate it once per use of a column)."""
    return (
        f"CROSS JOIN LATERAL (SELECT "
        f"COALESCE('[' || string_agg({element}, ',' ORDER BY {order}) || ']', '[]') AS json, "
        f"COALESCE(string_agg(et.slug, ';' ORDER BY {order}), '') AS error_types, "
        f"COALESCE(string_agg(NULLIF(a.correction, ''), ' | ' ORDER BY {order}), '') "
        f"AS corrections {source}) ann"
    )


def query(
    claims, *, labels, annotations=None, verdicts=None, adjudications=None
) -> tuple[str, list]:
    """The SELECT whose rows are the CSV lines of ``claims`` (no header), in article order."""
    shape.check_labels(labels)  # it is written into the query as a literal
    claim_sql, params = postgres.subquery(claims, postgres.CLAIM_FIELDS)
    cells = [
        f"'{labels}'",
        "c.article_id::text",
        _cell("ar.title"),
        _cell("COALESCE(ar.url, '')"),
        "c.id::text",
        f"c.{quoted('order')}::text",
        "c.paragraph::text",
        "c.start::text",
        f"c.{quoted('end')}::text",
        _cell("c.kind"),
        _cell("c.text"),
    ]
    joins = []
    if shape.holds_raw(labels):
        element, source, more = postgres.annotation_rows(
            Annotation.objects.all() if annotations is None else annotations
        )
        joins.append(_annotations(element, source, postgres.annotation_order()))
        params += more
        element, source, more = postgres.verdict_rows(
            Verdict.objects.all() if verdicts is None else verdicts
        )
        joins.append(
            "CROSS JOIN LATERAL (SELECT COALESCE('[' || "
            f"string_agg({element}, ',' ORDER BY {postgres.verdict_order()}) || ']', '[]') "
            f"AS json {source}) ver"
        )
        params += more
        cells += [
            _true_if("ann.json <> '[]'"),
            _cell("ann.error_types"),
            _cell("ann.corrections"),
            _json_cell("ann.json"),
            _json_cell("ver.json"),
        ]
    if shape.holds_final(labels):
        element, source, more = postgres.adjudication_rows(
            Adjudication.objects.all() if adjudications is None else adjudications
        )
        final_element, final_source = postgres.final_annotation_rows()
        order = postgres.final_annotation_order()
        # OFFSET 0 keeps the subquery whole: merged into the outer query, the adjudication's
        # JSON would be built once per use of ``fin.json``.
        joins.append(
            f"LEFT JOIN LATERAL (SELECT {element} AS json, "
            "j.verdict, "
            f"(SELECT string_agg(et.slug, ';' ORDER BY {order}) {final_source}) AS error_types, "
            f"(SELECT string_agg(NULLIF(f.correction, ''), ' | ' ORDER BY {order}) "
            f"{final_source}) AS corrections {source} OFFSET 0) fin ON true"
        )
        params += more
        cells += [
            _true_if("fin.json IS NOT NULL"),
            _cell("COALESCE(fin.error_types, '')"),
            _cell("COALESCE(fin.corrections, '')"),
            _cell("COALESCE(fin.verdict, '')"),
            _json_cell("COALESCE(fin.json, 'null')"),
        ]
    line = " || ',' || ".join(cells) + " || E'\\r\\n'"
    sql = (
        f"SELECT {line} FROM {claim_sql} c "
        f"JOIN {table_name(Article)} ar ON ar.id = c.article_id {' '.join(joins)} "
        f"ORDER BY c.article_id, c.{quoted('order')}"
    )
    return sql, params


def chunks(claims, *, chunk_size: int, **selection) -> Iterator[tuple[bytes, int]]:
    """The CSV lines, ``chunk_size`` at a time, each chunk with how many claims it holds."""
    with postgres.copying(claims, postgres.copy_of(claims, *query(claims, **selection))) as copy:
        pending = []
        for row in copy:  # \x01, the line (\r\n included), \x01, \n
            pending.append(row[1:-2])
            if len(pending) == chunk_size:
                yield _unquoted(b"".join(pending)), len(pending)
                pending = []
        if pending:
            yield _unquoted(b"".join(pending)), len(pending)


def _unquoted(lines: bytes) -> bytes:
    # Inside COPY's quotes each \x01 of the text is doubled; a line never starts or ends
    # with one, so no pair straddles two lines.
    return lines.replace(b"\x01\x01", b"\x01") if b"\x01" in lines else lines
