"""On PostgreSQL the database writes the CSV rows (``claims.exports.postgres_csv``): they must
be the bytes the ``spreadsheet`` writer makes of the same records, cell for cell, whatever the text.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import exports
from claims.exports import spreadsheet
from claims.exports.records import csv_chunks
from claims.models import (
    Adjudication,
    Annotation,
    Article,
    Claim,
    ErrorType,
    FinalAnnotation,
    Verdict,
)
from claims.permissions import visible_adjudications, visible_work
from tests.export_world import build_pinned

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL writes the CSV rows only there"
)

# Everything the csv writer quotes, every formula start, and what COPY itself quotes.
HOSTILE = [
    '=HYPERLINK("https://evil.example", "x")',
    "+cmd|' /C calc'!A0",
    "-10% for the Secretary",
    "@Blinken, again",
    "\tindented",
    "\rcarriage return first",
    'said "no"',
    "two\nlines",
    "windows\r\nline",
    "\x01 and \x02, COPY's own quote and delimiter \x01\x01",
    " leading space, 'single' quotes; semi;colons | pipes \\ backslash",
    "é 😀 🇫🇷 \u2028",
    "".join(map(chr, range(1, 128))),
    "plain",
]


@pytest.fixture
def hostile(reviewer_ann, reviewer_ben, editor_eve):
    """The seeds and the pinned claim, with hostile text in every text cell the CSV has."""
    call_command("load_seeds", stdout=io.StringIO())
    pinned = build_pinned(reviewer_ann, reviewer_ben, editor_eve)
    texts = iter(HOSTILE * 100)
    for model, fields in [
        (Article, ["title", "url"]),
        (Claim, ["text", "kind"]),
        (Annotation, ["correction", "note"]),
        (Verdict, ["note"]),
        (Adjudication, ["verdict", "note"]),
        (FinalAnnotation, ["correction", "note"]),
        (ErrorType, ["slug", "name"]),
    ]:
        longest = {field: model._meta.get_field(field).max_length or 10**6 for field in fields}
        for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:8]:
            # The row's id last, for the columns that are unique (slug, url).
            model.objects.filter(pk=pk).update(
                **{field: next(texts)[: longest[field] - 4] + str(pk) for field in fields}
            )
    Article.objects.filter(pk=pinned.claim.article_id).update(url=None)
    Annotation.objects.filter(pk=pinned.bens.pk).update(correction="")
    return pinned


def written_by_python(claims, labels, visible) -> bytes:
    return "".join(
        spreadsheet.write(exports.records(claims, labels=labels, **visible), labels=labels)
    )


@on_postgres
@pytest.mark.parametrize("labels", exports.LABELS)
@pytest.mark.parametrize("reader", ["operator", "ann"])
def test_database_writes_the_rows_the_csv_writer_writes(
    hostile, labels, reader, reviewer_ann, settings
):
    settings.FACTCHECK_EXPORT_CHUNK_SIZE = 7
    visible = {}
    if reader == "ann":  # the visibility querysets bring their own parameters
        visible = {
            "annotations": visible_work(reviewer_ann, Annotation.objects.all()),
            "verdicts": visible_work(reviewer_ann, Verdict.objects.all()),
            "adjudications": visible_adjudications(reviewer_ann, Adjudication.objects.all()),
        }
    claims = Claim.objects.all()
    export = exports.Export(spreadsheet, claims, labels=labels, **visible)
    from_database = b"".join(export)
    expected = written_by_python(claims, labels, visible)
    assert expected.count("\r\n") > claims.count()  # hostile cells hold line breaks too
    assert from_database.decode() == expected
    assert export.records_written == claims.count()


@on_postgres
def test_every_hostile_text_reaches_a_cell(hostile, editor_eve, api_as):
    body = b"".join(api_as(editor_eve).get("/api/v1/export/claims?format=csv").streaming_content)
    for text in HOSTILE:
        quoted = text.replace('"', '""')
        if text.startswith(spreadsheet.FORMULA_STARTS):
            quoted = "'" + quoted
        assert quoted.encode() in body, text


@on_postgres
def test_csv_is_one_copy_streamed_a_chunk_at_a_time(seed_article, editor_eve, api_as, settings):
    settings.FACTCHECK_EXPORT_CHUNK_SIZE = 4
    claims = seed_article.claims.count()
    response = api_as(editor_eve).get("/api/v1/export/claims?format=csv")
    with CaptureQueriesContext(connection) as queries:
        chunks = list(response.streaming_content)
    assert len(chunks) == -(-claims // 4) > 1
    assert chunks[0].startswith(spreadsheet.header("all").encode())
    assert sum(chunk.count(b"\r\n") for chunk in chunks) == claims + 1
    # JIT off, the COPY that writes every row, JIT back as it was.
    assert [q["sql"][:6] for q in queries] == ["SELECT", "COPY (", "SELECT"]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="elsewhere than PostgreSQL")
def test_csv_rows_are_asked_of_postgresql_only(seed_article):
    with pytest.raises(ValueError, match="only PostgreSQL writes CSV rows"):
        next(csv_chunks(Claim.objects.all()))
