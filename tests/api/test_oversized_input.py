"""Long articles are legitimate; oversized bodies and fields are refused, naming the limit.

A 1 MB transcript once took minutes and gigabytes because every claim row carried the
article's whole text. These tests pin the structure that keeps it bounded (no claim query
selects the text; claims are bulk-created) rather than timings: bench/large_article.py
measures those.
"""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.api.parsers import RequestTooLarge, read_bounded
from claims.models import Annotation, Article, Claim
from tests.factories import annotate_opening, assign

ARTICLE_TEXT_COLUMN = '"claims_article"."text"'


def long_text(seed_text: str, copies: int) -> str:
    return "".join(f"Part {n}.\n\n{seed_text}\n\n" for n in range(copies))


def selects_of_article_text(captured) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT") and ARTICLE_TEXT_COLUMN in q["sql"]
    ]


@pytest.fixture
def long_article(seed_text, reviewer_ann, editor_eve, api_as):
    response = api_as(editor_eve).post(
        "/api/v1/articles/", long_text(seed_text, 3).encode(), content_type="text/plain"
    )
    assert response.status_code == 201, response.content
    article = Article.objects.get(pk=response.json()["id"])
    for claim in article.claims.filter(kind="statement")[:20]:
        annotate_opening(claim, reviewer_ann, 4)
    return article


def test_import_bulk_creates_claims_and_reads_the_text_once(seed_text, editor_eve, api_as):
    text = long_text(seed_text, 3)
    with CaptureQueriesContext(connection) as captured:
        response = api_as(editor_eve).post(
            "/api/v1/articles/", text.encode(), content_type="text/plain"
        )
    assert response.status_code == 201, response.content
    claims = Claim.objects.filter(article_id=response.json()["id"]).count()
    assert claims == len(response.json()["claims"]) > 90
    inserts = [q for q in captured.captured_queries if 'INSERT INTO "claims_claim"' in q["sql"]]
    assert len(inserts) <= 2  # one bulk insert (SQLite may need a second batch), not one a claim
    # The duplicate check and the response's article row; never once per claim.
    assert len(selects_of_article_text(captured)) <= 2
    assert response.json()["text"] == text


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/claims/?page_size=500",
        "/api/v1/articles/",
        "/api/v1/annotations/?page_size=500",
        "/api/v1/export/claims?format=jsonl",
        "/api/v1/export/claims?format=csv",
    ],
)
def test_lists_and_exports_never_select_the_article_text(long_article, editor_eve, api_as, url):
    with CaptureQueriesContext(connection) as captured:
        response = api_as(editor_eve).get(url)
        if response.streaming:
            body = b"".join(response.streaming_content)
            assert body.count(b"\n") > 90  # every claim was written
    assert response.status_code == 200
    assert selects_of_article_text(captured) == []


def test_article_detail_reads_the_text_once_not_once_per_claim(long_article, editor_eve, api_as):
    with CaptureQueriesContext(connection) as captured:
        response = api_as(editor_eve).get(f"/api/v1/articles/{long_article.pk}/")
    assert response.status_code == 200
    assert len(response.json()["claims"]) > 90
    assert len(selects_of_article_text(captured)) == 1


@pytest.mark.parametrize("page", ["claim", "annotation"])
def test_admin_lists_never_select_the_article_text(page, long_article, editor_eve, client):
    client.force_login(editor_eve)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/admin/claims/{page}/")
    assert response.status_code == 200
    assert selects_of_article_text(captured) == []


def test_tagging_a_span_of_a_long_article_does_not_read_its_text(
    long_article, reviewer_ann, api_as
):
    claim = long_article.claims.filter(kind="statement").last()
    assign(long_article, reviewer_ann)
    with CaptureQueriesContext(connection) as captured:
        response = api_as(reviewer_ann).post(
            "/api/v1/annotations/",
            {"claim": claim.pk, "quote": claim.text[:12], "error_type": "wrong-name"},
            format="json",
        )
    assert response.status_code == 201, response.content
    assert response.json()["start"] == claim.start
    # At most the one read that records the span's surrounding context; never per claim.
    assert len(selects_of_article_text(captured)) <= 1


def test_a_claim_whose_text_differs_from_the_article_is_still_refused(long_article):
    claim = Claim.objects.with_article().filter(article=long_article).last()
    claim.text = claim.text.upper() + "!"
    with pytest.raises(Exception, match="must equal the article text"):
        claim.full_clean()


def test_a_body_over_the_upload_limit_is_refused_with_413_naming_it(
    settings, seed_text, editor_eve, api_as
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = api_as(editor_eve)
    text = seed_text[:1500]
    as_text = client.post("/api/v1/articles/", text.encode(), content_type="text/plain")
    as_json = client.post("/api/v1/articles/", {"text": text}, format="json")
    for response in (as_text, as_json):
        assert response.status_code == 413
        assert "1,000 bytes (DATA_UPLOAD_MAX_MEMORY_SIZE)" in response.json()["detail"]
    assert not Article.objects.exists()
    fits = client.post("/api/v1/articles/", seed_text[:900].encode(), content_type="text/plain")
    assert fits.status_code == 201


def test_a_body_without_a_declared_length_is_read_only_up_to_the_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    stream = io.BytesIO(b"x" * 1_000_000)
    with pytest.raises(RequestTooLarge):
        read_bounded(stream, {})
    assert stream.tell() == 11  # never read the rest into memory
    assert read_bounded(io.BytesIO(b"short"), {}) == b"short"


def test_an_article_over_the_character_limit_is_refused_naming_it(
    settings, seed_text, editor_eve, api_as
):
    settings.FACTCHECK_MAX_ARTICLE_CHARS = 1000
    response = api_as(editor_eve).post("/api/v1/articles/", {"text": seed_text}, format="json")
    assert response.status_code == 400
    (message,) = response.json()["text"]
    assert f"{len(seed_text):,} characters" in message
    assert "1,000 (FACTCHECK_MAX_ARTICLE_CHARS)" in message
    assert not Article.objects.exists()


@pytest.fixture
def claim(seed_article, reviewer_ann):
    assign(seed_article, reviewer_ann)
    return seed_article.claims.get(text__startswith="Foreign Minister")


def test_a_long_quote_is_never_echoed_in_full(claim, reviewer_ann, api_as):
    client = api_as(reviewer_ann)
    for quote in ("Q" * 100_000, "Q" * 5_000):
        response = client.post(
            "/api/v1/annotations/",
            {"claim": claim.pk, "quote": quote, "error_type": "wrong-title"},
            format="json",
        )
        assert response.status_code == 400
        assert len(response.content) < 500, response.content[:600]
    assert "FACTCHECK_MAX_QUOTE_CHARS" in str(
        client.post(
            "/api/v1/annotations/",
            {"claim": claim.pk, "quote": "Q" * 100_000, "error_type": "wrong-title"},
            format="json",
        ).json()
    )
    assert not Annotation.objects.exists()


def test_a_quote_that_does_not_match_the_offsets_is_quoted_short(claim, reviewer_ann, api_as):
    response = api_as(reviewer_ann).post(
        "/api/v1/annotations/",
        {
            "claim": claim.pk,
            "start": claim.start,
            "end": claim.start + 7,
            "quote": "x" * 9_000,
            "error_type": "wrong-title",
        },
        format="json",
    )
    assert response.status_code == 400
    (message,) = response.json()["quote"]
    assert message.startswith(f"The offsets {claim.start}–{claim.start + 7} hold “Foreign”")
    assert "(9,000 characters)" in message
    assert len(message) < 250


def test_a_correction_over_the_note_limit_is_refused_naming_it(
    settings, claim, reviewer_ann, api_as
):
    settings.FACTCHECK_MAX_NOTE_CHARS = 50
    response = api_as(reviewer_ann).post(
        "/api/v1/annotations/",
        {
            "claim": claim.pk,
            "quote": "Foreign Minister",
            "error_type": "wrong-title",
            "correction": "S" * 51,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "FACTCHECK_MAX_NOTE_CHARS" in response.json()["correction"][0]
    assert not Annotation.objects.exists()


def test_a_long_error_type_or_severity_is_never_echoed_in_full(claim, reviewer_ann, api_as):
    response = api_as(reviewer_ann).post(
        "/api/v1/annotations/",
        {
            "claim": claim.pk,
            "quote": "Foreign Minister",
            "error_type": "w" * 100_000,
            "severity": "s" * 100_000,
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"error_type", "severity"}
    assert len(response.content) < 600, response.content[:700]
    assert "(100,000 characters)" in errors["severity"][0]


def test_reading_an_article_never_copies_its_text_into_each_claim_row(
    long_article, editor_eve, api_as, client
):
    """Counting claims with a join grouped the article by its text: every claim row carried
    a copy, 3 GB and 50 s for a 1 MB transcript. Counts are correlated subqueries now."""
    client.force_login(editor_eve)
    with CaptureQueriesContext(connection) as captured:
        assert api_as(editor_eve).get(f"/api/v1/articles/{long_article.pk}/").status_code == 200
        assert client.get(f"/admin/claims/article/{long_article.pk}/change/").status_code == 200
        assert client.get("/admin/claims/article/").status_code == 200
    with_text = selects_of_article_text(captured)
    assert with_text  # the detail and the change page do read it, once each
    for sql in with_text:
        assert 'GROUP BY "claims_article"' not in sql, sql[:300]  # subqueries may group
