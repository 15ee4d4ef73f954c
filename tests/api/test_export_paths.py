"""The export's paths (SQL on PostgreSQL and on SQLite, rows assembled in Python) give the
same bytes.

Every test here runs on both databases in CI: the expected bytes are built in Python with
the standard library's compact JSON, so the same test pins both paths to one encoding.
"""

import io
import json
from datetime import UTC, datetime

import orjson
import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from claims import exports
from claims.exports import chunked, shape
from claims.models import Adjudication, Annotation, Claim, Verdict
from claims.permissions import visible_adjudications, visible_work
from tests import factories
from tests.export_world import build_pinned, expected_record

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the SQL path is PostgreSQL's"
)


def compact(record: dict) -> bytes:
    """The canonical JSONL line, written without orjson: keys in order, no spaces."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def raw_body(client, query: str) -> bytes:
    response = client.get(f"/api/v1/export/claims?{query}")
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


@pytest.fixture
def pinned(reviewer_ann, reviewer_ben, editor_eve):
    return build_pinned(reviewer_ann, reviewer_ben, editor_eve)


def test_jsonl_is_the_record_in_compact_json_byte_for_byte(pinned, editor_eve, api_as):
    query = f"article={pinned.claim.article_id}&has_errors=true"
    client = api_as(editor_eve)
    line = compact(expected_record(pinned))
    assert raw_body(client, f"format=jsonl&{query}") == line
    assert raw_body(client, f"format=json&{query}") == b"[\n" + line[:-1] + b"\n]\n"


def test_command_writes_the_bytes_the_api_streams(pinned, editor_eve, api_as, tmp_path):
    path = tmp_path / "claims.jsonl"
    call_command("export_claims", "--output", str(path), stderr=io.StringIO())
    assert path.read_bytes() == raw_body(api_as(editor_eve), "format=jsonl")
    for fmt in ("json", "csv"):
        out = tmp_path / f"claims.{fmt}"
        call_command("export_claims", "--format", fmt, "--output", str(out), stderr=io.StringIO())
        assert out.read_bytes() == raw_body(api_as(editor_eve), f"format={fmt}")


def test_every_character_is_escaped_as_the_canonical_encoding_does(pinned, editor_eve, api_as):
    awkward = "".join(map(chr, range(1, 128))) + ' \u2028\u2029 é 😀 🇫🇷 "q" \\n \\ /'
    Annotation.objects.filter(pk=pinned.anns.pk).update(note=awkward, correction=awkward)
    Verdict.objects.filter(claim=pinned.claim).update(note=awkward)
    expected = expected_record(pinned)
    expected["annotations"][1]["note"] = expected["annotations"][1]["correction"] = awkward
    expected["verdicts"][0]["note"] = awkward
    query = f"format=jsonl&article={pinned.claim.article_id}&has_errors=true"
    assert raw_body(api_as(editor_eve), query) == compact(expected)


@pytest.mark.parametrize(
    "moment",
    [datetime(2024, 2, 29, 13, 5, 9, tzinfo=UTC), datetime(2024, 2, 29, 13, 5, 9, 5, tzinfo=UTC)],
    ids=["whole-second", "microseconds"],
)
def test_adjudication_time_is_written_as_python_writes_it(pinned, editor_eve, api_as, moment):
    Adjudication.objects.filter(pk=pinned.adjudication.pk).update(updated_at=moment)
    query = f"format=jsonl&article={pinned.claim.article_id}&has_errors=true&labels=final"
    [record] = [json.loads(line) for line in raw_body(api_as(editor_eve), query).splitlines()]
    assert record["final"]["adjudicated_at"] == moment.isoformat()


def test_orphaned_annotations_come_last_without_offsets(pinned, editor_eve, api_as):
    # Ben's span sorts first; orphaned (its quote lost in a revision), it has no place.
    Annotation.objects.filter(pk=pinned.bens.pk).update(anchor="orphaned", start=None, end=None)
    query = f"format=jsonl&article={pinned.claim.article_id}&has_errors=true&labels=raw"
    [record] = [json.loads(line) for line in raw_body(api_as(editor_eve), query).splitlines()]
    assert [a["id"] for a in record["annotations"]] == [pinned.anns.pk, pinned.bens.pk]
    orphan = record["annotations"][1]
    assert (orphan["start"], orphan["end"], orphan["start_utf16"], orphan["end_utf16"]) == (
        None,
        None,
        None,
        None,
    )


def test_records_are_plain_dicts_in_the_shapes_key_order(pinned):
    for labels in shape.LABELS:
        [record] = exports.records(Claim.objects.filter(pk=pinned.claim.pk), labels=labels)
        assert type(record) is dict
        assert tuple(record) == shape.record_keys(labels)
        if shape.holds_raw(labels):
            assert tuple(record["annotations"][0]) == shape.ANNOTATION
            assert tuple(record["annotations"][1]["sources"][0]) == shape.SOURCE
        if shape.holds_final(labels):
            assert tuple(record["final"]) == shape.ADJUDICATION
            assert tuple(record["final"]["annotations"][0]) == shape.FINAL_ANNOTATION


def test_a_reviewers_export_holds_none_of_another_reviewers_unsubmitted_work(
    pinned, api_as, reviewer_ann, reviewer_ben
):
    story = factories.article("A second story. It has two claims.", title="Second")
    factories.assign(story, reviewer_ann, reviewer_ben)
    first = story.claims.get(order=0)
    factories.annotate(first, reviewer_ann, "second", slug="wrong-name", note="ann's own")
    factories.annotate(first, reviewer_ben, "story", slug="wrong-name", note="ben's hidden")
    reviewer_ann.user_permissions.add(Permission.objects.get(codename="export_claims"))
    body = raw_body(api_as(reviewer_ann), f"format=jsonl&article={story.pk}").decode()
    records = [json.loads(line) for line in body.splitlines()]
    assert [a["note"] for r in records for a in r["annotations"]] == ["ann's own"]
    assert "ben's hidden" not in body
    assert all(r["final"] is None for r in records)
    # The pinned article's reviews are submitted: both reviewers' work shows there.
    body = raw_body(api_as(reviewer_ann), f"format=jsonl&article={pinned.claim.article_id}")
    assert b'"reviewer":"ben"' in body


def test_first_chunk_streams_before_the_rest_is_read(seed_article, editor_eve, api_as, settings):
    settings.FACTCHECK_EXPORT_CHUNK_SIZE = 5
    claims = seed_article.claims.count()
    response = api_as(editor_eve).get("/api/v1/export/claims?format=jsonl")
    chunks = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as first_queries:
        first = next(chunks)
    assert first.count(b"\n") == 5 < claims
    with CaptureQueriesContext(connection) as rest_queries:
        rest = b"".join(chunks)
    assert first.count(b"\n") + rest.count(b"\n") == claims
    if connection.vendor != "postgresql":
        # The rest of the chunks' queries run only as the rest is read.
        assert len(rest_queries) > len(first_queries)


# Not inside a test transaction: an abandoned COPY is cancelled, which would abort it.
# serialized_rollback, as every transactional test here (tests/conftest.py checks it).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_export_abandoned_halfway_leaves_the_connection_as_it_was(
    seed_article, editor_eve, api_as, settings
):
    settings.FACTCHECK_EXPORT_CHUNK_SIZE = 2
    jit = setting("jit")
    response = api_as(editor_eve).get("/api/v1/export/claims?format=jsonl")
    assert next(iter(response.streaming_content)).count(b"\n") == 2
    # The client went away. Closing a response also closes the request's connection, which
    # would hide what the export left on it: keep it open, as the test client does.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert Claim.objects.filter(article=seed_article).count() > 2
    assert setting("jit") == jit


def test_a_writer_may_query_the_database_between_records(seed_article, settings):
    settings.FACTCHECK_EXPORT_CHUNK_SIZE = 3
    seen = [
        Claim.objects.filter(pk=record["claim"]["id"]).values_list("order", flat=True).get()
        for record in exports.records(Claim.objects.filter(article=seed_article))
    ]
    assert seen == list(range(seed_article.claims.count()))


def setting(name: str) -> str | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


@on_postgres
@pytest.mark.parametrize("chunk_size", [3, 500])
def test_postgres_export_is_one_query_whatever_its_size(
    seed_article, reviewer_ann, editor_eve, api_as, settings, chunk_size
):
    settings.FACTCHECK_EXPORT_CHUNK_SIZE = chunk_size
    for claim in seed_article.claims.filter(kind="statement")[:6]:
        factories.annotate_opening(claim, reviewer_ann, 5, sources=[factories.SourceFactory()])
    response = api_as(editor_eve).get("/api/v1/export/claims?format=jsonl")
    with CaptureQueriesContext(connection) as queries:
        lines = b"".join(response.streaming_content).splitlines()
    assert len(lines) == seed_article.claims.count()
    # JIT off, the COPY that reads every record, JIT back as it was.
    assert [q["sql"][:6] for q in queries] == ["SELECT", "COPY (", "SELECT"]


@pytest.mark.parametrize("labels", shape.LABELS)
@pytest.mark.parametrize("reader", ["operator", "ann", "outsider"])
def test_database_and_python_paths_give_the_same_bytes(
    pinned, db, labels, reader, reviewer_ann, outsider
):
    # Each database builds the records itself (PostgreSQL's COPY, SQLite's JSON functions);
    # the rows assembled in Python are the reference both are held to.
    call_command("load_seeds", stdout=io.StringIO())
    user = {"operator": None, "ann": reviewer_ann, "outsider": outsider}[reader]
    visible = {}
    if user is not None:
        visible = {
            "annotations": visible_work(user, Annotation.objects.all()),
            "verdicts": visible_work(user, Verdict.objects.all()),
            "adjudications": visible_adjudications(user, Adjudication.objects.all()),
        }
    claims = Claim.objects.all()
    from_database = b"".join(exports.jsonl_chunks(claims, labels=labels, chunk_size=7, **visible))
    reference = list(chunked.records(claims, labels=labels, chunk_size=7, **visible))
    from_rows = b"".join(orjson.dumps(record) + b"\n" for record in reference)
    assert from_database.count(b"\n") == claims.count()
    assert from_database == from_rows
    if (reader, labels) == ("operator", "all"):  # the seeds hold sources and final labels
        assert b'"sources":[{' in from_database and b'"final":{' in from_database
    assert list(exports.records(claims, labels=labels, chunk_size=7, **visible)) == reference


def test_labels_dates_and_astral_offsets_survive_the_database_path(pinned):
    # The pinned claim follows a flag (two astral characters), cites two sources on its
    # final label (sorted by title), and has a date on a source: what the SQL must compute.
    claims = Claim.objects.filter(pk=pinned.claim.pk)
    [line] = b"".join(exports.jsonl_chunks(claims)).splitlines()
    assert orjson.loads(line) == expected_record(pinned)


def test_span_offsets_count_astral_characters_inside_the_claim(reviewer_ann, editor_eve):
    # The emoji is inside the claim, before the span: UTF-16 counts it twice.
    story = factories.article("Fans cheered 🎉🎉 as the team won three games.", title="Win")
    claim = story.claims.get()
    factories.annotate(claim, reviewer_ann, "three games", slug="wrong-number")
    [record] = exports.records(Claim.objects.filter(pk=claim.pk), labels="raw")
    [tag] = record["annotations"]
    before = claim.text.index("three games")
    assert (tag["start_utf16"], tag["end_utf16"]) == (
        claim.start_utf16 + before + 2,
        claim.start_utf16 + before + 2 + len("three games"),
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the chunked SQL path is SQLite's")
@pytest.mark.parametrize("chunk_size", [3, 500])
def test_sqlite_export_is_one_query_per_chunk(seed_article, reviewer_ann, chunk_size):
    for claim in seed_article.claims.filter(kind="statement")[:6]:
        factories.annotate_opening(claim, reviewer_ann, 5, sources=[factories.SourceFactory()])
    claims = Claim.objects.all()
    chunks = -(-claims.count() // chunk_size)
    with CaptureQueriesContext(connection) as queries:
        lines = b"".join(exports.jsonl_chunks(claims, chunk_size=chunk_size)).splitlines()
    assert len(lines) == claims.count()
    assert sum(b'"sources":[{' in line for line in lines) == 6
    # The claims' ids once, then one query builds each chunk's records.
    assert len(queries) == 1 + chunks


@pytest.mark.parametrize("chunk_size", [4, 1000])
def test_python_path_queries_grow_with_chunks_not_claims(db, chunk_size):
    call_command("load_seeds", stdout=io.StringIO())
    claims = Claim.objects.all()
    chunks = -(-claims.count() // chunk_size)
    with CaptureQueriesContext(connection) as queries:
        records = list(chunked.records(claims, labels="all", chunk_size=chunk_size))
    assert len(records) == claims.count()
    assert any(r["final"] for r in records) and any(r["annotations"] for r in records)
    # The claims once; per chunk at most annotations, their sources, verdicts,
    # adjudications, final labels, their sources and the annotations they came from.
    assert len(queries) <= 1 + 7 * chunks
    if chunk_size > claims.count():
        assert len(queries) == 8
