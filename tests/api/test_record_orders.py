"""The orders and a source's keys are declared once, in ``claims.exports.shape``: change one
there and every path that writes the record follows, the Python writer (the reference),
the database-built exports (PostgreSQL's JSONL and CSV, SQLite's JSONL), the claim list's
page (written by the database and by Python) and the workspace's annotation rows.

Each test runs on the database the suite runs on; CI runs it on both."""

import json

import orjson
import pytest

from claims import exports
from claims.admin.workspace import annotation_rows
from claims.api import claim_pages
from claims.exports import chunked, shape, spreadsheet
from claims.models import Annotation, Claim, FinalAnnotation
from tests.export_world import build_pinned
from tests.factories import SourceFactory

# Sources by url first: the pinned annotation's two sources then come the other way round.
BY_URL = shape.Order(("url", "title", "id"), text=("url", "title"))
ORPHANS_FIRST = shape.SPAN_ORDER._replace(nulls_last=False)


@pytest.fixture
def world(reviewer_ann, reviewer_ben, editor_eve):
    pinned = build_pinned(reviewer_ann, reviewer_ben, editor_eve)
    # "Agenda" sorts before "Minutes" by title, after it by url.
    agenda = SourceFactory(url="https://example.org/zz-agenda", title="Agenda", publisher="")
    pinned.anns.sources.add(agenda)
    FinalAnnotation.objects.get(adjudication=pinned.adjudication).sources.add(agenda)
    # Ben's span sorts first by start; orphaned (its quote lost in a revision), it has none.
    Annotation.objects.filter(pk=pinned.bens.pk).update(anchor="orphaned", start=None, end=None)
    return pinned


def reference(claims, labels="all") -> list[dict]:
    return list(chunked.records(claims, labels=labels, chunk_size=7))


def assert_every_export_path_writes_the_reference(claims):
    expected = reference(claims)
    jsonl = b"".join(orjson.dumps(record) + b"\n" for record in expected)
    assert b"".join(exports.jsonl_chunks(claims, labels="all")) == jsonl
    assert list(exports.records(claims, labels="all")) == expected
    csv = "".join(spreadsheet.write(iter(expected), labels="all"))
    assert b"".join(exports.Export(spreadsheet, claims, labels="all")).decode() == csv


def claim_page(client, monkeypatch, *, by_database: bool) -> list[dict]:
    with monkeypatch.context() as patched:
        if not by_database:
            patched.setattr(claim_pages, "applies", lambda request, using="default": False)
        response = client.get("/api/v1/claims/?page_size=500")
    assert response.status_code == 200, response.content
    return json.loads(response.content)["results"]


def titles(sources: list[dict]) -> list[str]:
    return [source["title"] for source in sources]


def test_a_changed_source_order_changes_every_path(world, editor_eve, api_as, monkeypatch):
    claims = Claim.objects.filter(pk=world.claim.pk)
    [before] = reference(claims)
    assert titles(before["annotations"][0]["sources"]) == ["Agenda", "Minutes"]
    assert titles(before["final"]["annotations"][0]["sources"]) == ["Agenda", "Minutes", "Wire"]

    monkeypatch.setattr(shape, "SOURCE_ORDER", BY_URL)
    [after] = reference(claims)
    assert titles(after["annotations"][0]["sources"]) == ["Minutes", "Agenda"]
    assert titles(after["final"]["annotations"][0]["sources"]) == ["Minutes", "Wire", "Agenda"]
    assert_every_export_path_writes_the_reference(claims)

    client = api_as(editor_eve)
    for by_database in (True, False):
        [claim] = [
            c
            for c in claim_page(client, monkeypatch, by_database=by_database)
            if c["id"] == world.claim.pk
        ]
        [annotation] = [a for a in claim["annotations"] if a["id"] == world.anns.pk]
        assert titles(annotation["sources"]) == ["Minutes", "Agenda"], by_database

    rows = annotation_rows(Annotation.objects.filter(claim=world.claim))
    [row] = [row for row in rows if row["id"] == world.anns.pk]
    assert titles(row["sources"]) == ["Minutes", "Agenda"]


def test_orphans_placed_first_in_the_shape_come_first_on_every_export_path(world, monkeypatch):
    claims = Claim.objects.filter(pk=world.claim.pk)
    [before] = reference(claims)
    assert [a["id"] for a in before["annotations"]] == [world.anns.pk, world.bens.pk]

    monkeypatch.setattr(shape, "SPAN_ORDER", ORPHANS_FIRST)
    [after] = reference(claims)
    assert [a["id"] for a in after["annotations"]] == [world.bens.pk, world.anns.pk]
    assert_every_export_path_writes_the_reference(claims)


def test_a_key_added_to_a_source_reaches_every_path(world, editor_eve, api_as, monkeypatch):
    # Any column of Source may become a key of the record's sources by naming it there.
    monkeypatch.setattr(shape, "SOURCE", (*shape.SOURCE, "normalised_url"))
    claims = Claim.objects.filter(pk=world.claim.pk)
    [record] = reference(claims)
    [minutes] = [s for s in record["annotations"][0]["sources"] if s["title"] == "Minutes"]
    assert tuple(minutes) == shape.SOURCE
    assert minutes["normalised_url"] == world.evidence.normalised_url
    assert minutes["published_on"] == "2023-06-19"  # a date column is still ISO text
    assert_every_export_path_writes_the_reference(claims)

    client = api_as(editor_eve)
    pages = [claim_page(client, monkeypatch, by_database=b) for b in (True, False)]
    assert pages[0] == pages[1]
    [claim] = [c for c in pages[0] if c["id"] == world.claim.pk]
    [annotation] = [a for a in claim["annotations"] if a["id"] == world.anns.pk]
    for source in annotation["sources"]:
        assert tuple(source) == shape.SOURCE
    [minutes] = [s for s in annotation["sources"] if s["title"] == "Minutes"]
    assert minutes["normalised_url"] == world.evidence.normalised_url
