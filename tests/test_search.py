"""Searching claims by text: the API's ?search=, the export, export_claims and the admin.

Full-text search on PostgreSQL (stemmed, web-search syntax, GIN index), a substring on
SQLite; the tests marked for one database skip on the other, and CI runs both.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from claims.models import Claim
from claims.search import claim_text_contains
from tests.factories import article

MINISTER = "The Foreign Minister spoke in Beijing."
HEADING = "Ministers meet"


@pytest.fixture
def stories(db):
    return [
        article(f"{HEADING}\n\n{MINISTER} Rates rose today.", title="Diplomacy"),
        article("Weather\n\nIt rained in Paris. The ministry was closed.", title="Weather"),
    ]


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("full-text search runs on PostgreSQL")


@pytest.fixture
def sqlite(db):
    if connection.vendor != "sqlite":
        pytest.skip("the substring search runs on SQLite")


def found(api_as, user, terms: str) -> set[str]:
    response = api_as(user).get("/api/v1/claims/", {"search": terms, "page_size": 100})
    assert response.status_code == 200, response.content
    return {claim["text"] for claim in response.json()["results"]}


def test_search_finds_claims_by_a_word_of_their_text(stories, reviewer_ann, api_as):
    # "minister" is in both the heading and the sentence, on either database; "ministry" is
    # another word (and another stem).
    assert found(api_as, reviewer_ann, "minister") == {HEADING, MINISTER}
    assert found(api_as, reviewer_ann, "Paris") == {"It rained in Paris."}
    assert found(api_as, reviewer_ann, "nowhere") == set()


def test_an_empty_search_filters_nothing(stories, reviewer_ann, api_as):
    assert len(found(api_as, reviewer_ann, "  ")) == Claim.objects.count()


def test_postgresql_search_is_stemmed_and_reads_web_search_syntax(
    postgresql, stories, reviewer_ann, api_as
):
    assert found(api_as, reviewer_ann, "ministers") == {HEADING, MINISTER}
    assert found(api_as, reviewer_ann, "minister -beijing") == {HEADING}
    assert found(api_as, reviewer_ann, '"foreign ministers"') == {MINISTER}
    assert found(api_as, reviewer_ann, "paris or beijing") == {"It rained in Paris.", MINISTER}


def test_postgresql_search_uses_the_gin_index(postgresql, stories):
    with connection.cursor() as cursor:
        # Two articles: force the choice between reading claims and asking the GIN index
        # (a bitmap scan; other indexes have no condition here to be scanned by).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = Claim.objects.search("ministers").order_by().explain()
    assert "claim_text_search" in plan
    pasted = claim_text_contains("reign Minister spoke in Beij", vendor="postgresql")
    plan = Claim.objects.filter(pasted).order_by().explain()
    assert "Seq Scan on claims_claim" not in plan and "claim_text_search" in plan


def test_sqlite_search_is_a_case_insensitive_substring(sqlite, stories, reviewer_ann, api_as):
    assert found(api_as, reviewer_ann, "MINIST") == {HEADING, MINISTER, "The ministry was closed."}
    assert found(api_as, reviewer_ann, "ministers") == {HEADING}


def test_the_export_and_export_claims_take_the_same_search(stories, editor_eve, api_as):
    response = api_as(editor_eve).get(
        "/api/v1/export/claims", {"format": "jsonl", "search": "minister"}
    )
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert {json.loads(line)["claim"]["text"] for line in lines} == {HEADING, MINISTER}

    out = StringIO()
    call_command("export_claims", "--search", "Paris", stdout=out)
    lines = out.getvalue().splitlines()
    assert [json.loads(line)["claim"]["text"] for line in lines] == ["It rained in Paris."]


def admin_found(client, terms: str) -> set[str]:
    response = client.get("/admin/claims/claim/", {"q": terms})
    assert response.status_code == 200
    return {claim.text for claim in response.context["cl"].result_list}


def test_admin_claim_search_finds_text_and_article_titles(stories, editor_eve, client):
    client.force_login(editor_eve)
    assert admin_found(client, "minister") == {HEADING, MINISTER}
    assert admin_found(client, "Weather") == {
        "Weather",
        "It rained in Paris.",
        "The ministry was closed.",
    }


def test_admin_claim_search_finds_a_fragment_pasted_from_the_text(stories, editor_eve, client):
    client.force_login(editor_eve)
    # Cut inside its first and last words, as a selection often is.
    assert admin_found(client, "reign Minister spoke in Beij") == {MINISTER}
    assert admin_found(client, "reign Minister spoke in Pari") == set()


def test_admin_claim_search_is_stemmed_on_postgresql(postgresql, stories, editor_eve, client):
    client.force_login(editor_eve)
    assert admin_found(client, "ministers") == {HEADING, MINISTER}
    assert admin_found(client, "minister -beijing") == {HEADING}


def test_search_text_is_escaped_in_the_admin(stories, editor_eve, client):
    client.force_login(editor_eve)
    response = client.get("/admin/claims/claim/", {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content
