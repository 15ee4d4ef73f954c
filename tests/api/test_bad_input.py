"""Odd or hostile requests get a 4xx that says what was wrong, never a 500."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.models import Annotation, Article, Source
from tests.api.listing import claim_ids
from tests.factories import SourceFactory, UserFactory, annotate, article, assign, submit


@pytest.fixture
def claim(seed_article, reviewer_ann):
    assign(seed_article, reviewer_ann)
    return seed_article.claims.get(text__startswith="Foreign Minister")


def export_body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_only_whoever_added_a_source_or_an_editor_changes_it_over_the_api(
    claim, reviewer_ann, reviewer_ben, editor_eve, api_as
):
    tag = annotate(
        claim,
        reviewer_ann,
        "Foreign Minister",
        sources=[services.NewSource(url="https://www.state.gov/a", title="State")],
    )
    source = tag.sources.get()
    url = f"/api/v1/sources/{source.pk}/"

    hidden = api_as(reviewer_ben).patch(url, {"url": "https://evil.example/"}, format="json")
    assert hidden.status_code == 404  # blind review: Ben cannot see Ann's evidence yet
    assign(claim.article, reviewer_ben)
    submit(claim.article, reviewer_ben)
    refused = api_as(reviewer_ben).patch(url, {"url": "https://evil.example/"}, format="json")
    assert refused.status_code == 403  # now he sees it, and it is still not his
    source.refresh_from_db()
    assert source.url == "https://www.state.gov/a"

    by_ann = api_as(reviewer_ann).patch(url, {"url": "https://www.state.gov/b"}, format="json")
    assert by_ann.status_code == 200, by_ann.json()
    by_eve = api_as(editor_eve).patch(url, {"url": "https://www.state.gov/c"}, format="json")
    assert by_eve.status_code == 200, by_eve.json()
    source.refresh_from_db()
    assert source.url == "https://www.state.gov/c"


def test_non_ascii_digit_as_reviewer_filter_matches_nothing_instead_of_failing(
    claim, reviewer_ann, editor_eve, api_as
):
    annotate(claim, reviewer_ann, "Foreign Minister")
    client = api_as(editor_eve)
    listed = client.get("/api/v1/claims/?reviewer=%C2%B2")  # "²": a digit to isdecimal()
    assert listed.status_code == 200
    assert listed.json()["results"] == []
    exported = client.get("/api/v1/export/claims?format=json&reviewer=%C2%B2")
    assert exported.status_code == 200
    assert json.loads(export_body(exported)) == []


def test_plain_text_article_in_an_unnamed_non_utf8_charset_is_a_400(reviewer_ann, api_as):
    response = api_as(reviewer_ann).post(
        "/api/v1/articles/", b"Caf\xe9 story", content_type="text/plain"
    )
    assert response.status_code == 400
    assert "could not be read" in response.json()["detail"]
    assert not Article.objects.exists()


def test_plain_text_article_in_a_named_charset_is_decoded(reviewer_ann, api_as):
    response = api_as(reviewer_ann).post(
        "/api/v1/articles/", b"Caf\xe9 story", content_type="text/plain; charset=latin-1"
    )
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "Café story"
    assert Article.objects.get().text == "Café story"


def test_plain_text_article_with_a_long_first_line_gets_the_title_cut_to_500(reviewer_ann, api_as):
    text = "A" * 600 + "\n\nThe bank raised rates. Markets fell."
    response = api_as(reviewer_ann).post(
        "/api/v1/articles/", text.encode(), content_type="text/plain; charset=utf-8"
    )
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "A" * 500
    assert Article.objects.get().text == text


@pytest.mark.parametrize("method", ["TRACE", "PURGE"])
def test_unknown_methods_are_refused_not_crashing(seed_article, reviewer_ann, api_as, method):
    assert api_as().generic(method, "/api/v1/claims/").status_code == 401
    assert api_as(reviewer_ann).generic(method, "/api/v1/claims/").status_code == 403


def test_has_errors_accepts_1_and_0_and_refuses_other_values(
    claim, reviewer_ann, editor_eve, api_as
):
    annotate(claim, reviewer_ann, "Foreign Minister")
    client = api_as(editor_eve)
    base = f"/api/v1/claims/?article={claim.article_id}"
    everything = claim_ids(client, base)
    assert claim_ids(client, base + "&has_errors=1") == [claim.pk]
    assert claim_ids(client, base + "&has_errors=0") == [pk for pk in everything if pk != claim.pk]
    exported = client.get(
        f"/api/v1/export/claims?format=json&article={claim.article_id}&has_errors=1"
    )
    assert exported.status_code == 200
    assert [r["claim"]["id"] for r in json.loads(export_body(exported))] == [claim.pk]

    refused = client.get(base + "&has_errors=maybe")
    assert refused.status_code == 400
    assert "has_errors" in refused.json()
    refused = client.get("/api/v1/export/claims?format=json&has_errors=maybe")
    assert refused.status_code == 400
    assert "has_errors" in refused.json()


def test_full_update_by_the_author_returns_resolved_offsets(claim, reviewer_ann, api_as):
    client = api_as(reviewer_ann)
    created = client.post(
        "/api/v1/annotations/",
        {"claim": claim.pk, "quote": "Foreign Minister", "error_type": "wrong-title"},
        format="json",
    ).json()
    response = client.put(
        f"/api/v1/annotations/{created['id']}/",
        {
            "quote": "Foreign Minister Antony Blinken",
            "error_type": "wrong-name",
            "correction": "Secretary of State Antony Blinken",
            "note": "whole name and title",
            "severity": "minor",
            "sources": [],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["start"], body["end"], body["quote"]) == (
        65,
        96,
        "Foreign Minister Antony Blinken",
    )
    assert (body["error_type"], body["severity"]) == ("wrong-name", "minor")
    stored = Annotation.objects.get()
    assert (stored.start, stored.end, stored.reviewer) == (65, 96, reviewer_ann)


def test_reviewer_in_the_body_is_ignored_the_annotation_belongs_to_the_caller(
    claim, reviewer_ann, reviewer_ben, api_as
):
    assign(claim.article, reviewer_ben)
    response = api_as(reviewer_ann).post(
        "/api/v1/annotations/",
        {
            "claim": claim.pk,
            "quote": "Foreign Minister",
            "error_type": "wrong-title",
            "reviewer": reviewer_ben.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["reviewer"] == "ann"
    assert Annotation.objects.get().reviewer == reviewer_ann


@pytest.mark.parametrize("url", ["/api/v1/articles/", "/api/v1/sources/"])
def test_article_and_source_lists_run_as_many_queries_for_one_row_as_for_fifty(
    reviewer_ann, api_as, url
):
    for n in range(6):
        someone = UserFactory(username=f"importer{n}")
        article(f"Story {n} here. It rained {n} times.", imported_by=someone)
        SourceFactory(added_by=someone)
    assert Article.objects.count() >= 5 and Source.objects.count() >= 5
    client = api_as(reviewer_ann)

    def queries(page_size):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{url}?page_size={page_size}")
        assert response.status_code == 200, response.content
        assert len(response.json()["results"]) == min(page_size, 6)
        return len(captured)

    assert queries(1) == queries(50)


@pytest.mark.parametrize("value", ["%C2%B2", "99999999999999999999", "abc"])
def test_bad_article_id_on_the_annotation_list_is_a_400(db, editor_eve, api_as, value):
    response = api_as(editor_eve).get(f"/api/v1/annotations/?article={value}")
    assert response.status_code == 400
    assert "article" in response.json()
