"""Blind review over the API: before submitting, a reviewer's request for another
reviewer's work gets nothing; after submitting, they see it; editors always do."""

import json

import pytest

from claims import services
from tests.factories import annotate, article, assign, submit


@pytest.fixture
def two_reviews(seed_article, reviewer_ann, reviewer_ben):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    anns = annotate(claim, reviewer_ann, "Foreign Minister", note="ann's note")
    bens = annotate(claim, reviewer_ben, "Antony Blinken", slug="wrong-name", note="ben's secret")
    services.verdict_set(
        claim=claim, reviewer=reviewer_ben, label="inaccurate", note="ben's verdict"
    )
    return claim, anns, bens


def text_of(response) -> str:
    assert response.status_code in (200, 404), response.content
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def reads(client, claim, bens) -> dict[str, str]:
    article = claim.article_id
    return {
        "annotation list": text_of(client.get(f"/api/v1/annotations/?article={article}")),
        "annotation": text_of(client.get(f"/api/v1/annotations/{bens.pk}/")),
        "claim list": text_of(client.get(f"/api/v1/claims/?article={article}")),
        "claim": text_of(client.get(f"/api/v1/claims/{claim.pk}/")),
        "article": text_of(client.get(f"/api/v1/articles/{article}/")),
        "verdicts": text_of(client.get(f"/api/v1/verdicts/?claim__article={article}")),
        "filter by reviewer": text_of(client.get("/api/v1/claims/?reviewer=ben")),
    }


def test_reviewer_cannot_see_other_reviews_before_submitting(two_reviews, reviewer_ann, api_as):
    claim, anns, bens = two_reviews
    for name, body in reads(api_as(reviewer_ann), claim, bens).items():
        assert "ben's" not in body, name
        assert '"reviewer":"ben"' not in body, name
    own = api_as(reviewer_ann).get(f"/api/v1/annotations/?article={claim.article_id}").json()
    assert [row["note"] for row in own["results"]] == ["ann's note"]
    assert api_as(reviewer_ann).get(f"/api/v1/annotations/{bens.pk}/").status_code == 404
    by_ben = api_as(reviewer_ann).get("/api/v1/claims/?reviewer=ben").json()
    assert by_ben["results"] == []


def test_reviewer_sees_other_reviews_after_submitting(two_reviews, reviewer_ann, api_as):
    claim, anns, bens = two_reviews
    submit(claim.article, reviewer_ann)
    seen = reads(api_as(reviewer_ann), claim, bens)
    for name in ("annotation list", "annotation", "claim", "article", "verdicts"):
        assert "ben's" in seen[name], name


def test_a_submitted_review_of_another_article_reveals_nothing_here(
    two_reviews, reviewer_ann, api_as
):
    claim, anns, bens = two_reviews
    other = article("Another story. Entirely.")
    assign(other, reviewer_ann)
    submit(other, reviewer_ann)
    for name, body in reads(api_as(reviewer_ann), claim, bens).items():
        assert "ben's" not in body, name


def test_editors_always_see_every_review(two_reviews, editor_eve, api_as):
    claim, anns, bens = two_reviews
    seen = reads(api_as(editor_eve), claim, bens)
    for name in ("annotation list", "claim", "article"):
        assert "ben's secret" in seen[name] and "ann's note" in seen[name], name
    assert "ben's secret" in seen["annotation"]
    assert "ben's verdict" in seen["verdicts"]
    exported = text_of(api_as(editor_eve).get("/api/v1/export/claims?format=jsonl"))
    records = [json.loads(line) for line in exported.splitlines()]
    tagged = next(r for r in records if r["claim"]["id"] == claim.pk)
    assert {a["reviewer"] for a in tagged["annotations"]} == {"ann", "ben"}


def test_reviewer_cannot_write_into_another_reviewers_work_by_id(two_reviews, reviewer_ann, api_as):
    claim, anns, bens = two_reviews
    client = api_as(reviewer_ann)
    assert (
        client.patch(f"/api/v1/annotations/{bens.pk}/", {"note": "x"}, format="json").status_code
        == 404
    )
    assert client.delete(f"/api/v1/annotations/{bens.pk}/").status_code == 404
    bens.refresh_from_db()
    assert bens.note == "ben's secret"


def test_reviewer_without_an_assignment_cannot_annotate_over_the_api(
    seed_article, reviewer_ann, api_as
):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    response = api_as(reviewer_ann).post(
        "/api/v1/annotations/",
        {"claim": claim.pk, "quote": "Foreign Minister", "error_type": "wrong-title"},
        format="json",
    )
    assert response.status_code == 403  # who asks, not what was sent
    assert "is not assigned to ann" in response.json()["detail"]
