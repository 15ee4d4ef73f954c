"""Oversized bodies and fields are refused, naming the limit, and never echoed in full.

Long articles themselves are legitimate: test_long_articles.py.
"""

import io

import pytest

from claims.api.parsers import RequestTooLarge, read_bounded
from claims.models import Annotation, Article
from tests.factories import assign


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
