"""The claim list and a claim's page write claims by hand (claims/api/representations.py):
byte for byte what DRF's field-by-field serializers write, on pinned data with the awkward
cases (an orphaned span, sources with and without dates, several sources, quotes and
non-ASCII text, microseconds), under blind review."""

import datetime
import json

from rest_framework import serializers as drf
from rest_framework.renderers import JSONRenderer

from claims import services
from claims.api.serializers import ClaimSerializer
from claims.api.views import visible_claims
from claims.models import Annotation, Source, Verdict
from tests.factories import annotate, assign

PINNED = datetime.datetime(2026, 11, 28, 23, 59, 58, 123456, tzinfo=datetime.UTC)


def pinned_reviews(seed_article, reviewer_ann, reviewer_ben) -> None:
    assign(seed_article, reviewer_ann, reviewer_ben)
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    annotate(
        claim,
        reviewer_ann,
        "Foreign Minister",
        correction='Secretary of State "Blinken" — ünïcode',
        note="A <b>note</b>",
        sources=[
            services.NewSource(
                url="https://example.org/b", title="Beta", published_on=datetime.date(2026, 1, 2)
            ),
            services.NewSource(url="https://example.org/a", title="Alpha"),
        ],
    )
    orphan = annotate(claim, reviewer_ann, "Antony Blinken", slug="wrong-name")
    Annotation.objects.filter(pk=orphan.pk).update(anchor="orphaned", start=None, end=None)
    annotate(claim, reviewer_ben, "Antony Blinken", slug="wrong-name", note="BEN-ONLY")
    for reviewer in (reviewer_ann, reviewer_ben):
        services.verdict_set(claim=claim, reviewer=reviewer, label="inaccurate", note="why")
    Source.objects.filter(title="Alpha").update(accessed_on=datetime.date(2026, 11, 3))
    Annotation.objects.update(created_at=PINNED, updated_at=PINNED)
    Verdict.objects.update(created_at=PINNED, updated_at=PINNED - datetime.timedelta(days=1))


def drf_written(user, claims) -> bytes:
    """What ``ClaimSerializer``'s declared fields write, through DRF's generic path."""
    serializer = ClaimSerializer()
    return JSONRenderer().render(
        [drf.Serializer.to_representation(serializer, claim) for claim in claims]
    )


def results_bytes(response) -> bytes:
    # The page's results as the renderer wrote them (json keeps the key order).
    return JSONRenderer().render(json.loads(response.content)["results"])


def test_the_claim_list_writes_what_the_serializers_would(
    api_as, seed_article, reviewer_ann, reviewer_ben, editor_eve
):
    pinned_reviews(seed_article, reviewer_ann, reviewer_ben)
    for reader in (reviewer_ann, editor_eve):
        response = api_as(reader).get("/api/v1/claims/?page_size=500")
        assert response.status_code == 200
        claims = visible_claims(reader).order_by("article_id", "order")
        assert results_bytes(response) == drf_written(reader, claims)
    text = api_as(reviewer_ann).get("/api/v1/claims/?page_size=500").content.decode()
    assert "BEN-ONLY" not in text  # Ann's review is open: Ben's work stays hidden
    assert '"created_at":"2026-11-28T23:59:58.123456Z"' in text
    assert '"start":null,"end":null,"quote":"Antony Blinken","anchor":"orphaned"' in text
    assert '"published_on":"2026-01-02"' in text and '"accessed_on":"2026-11-03"' in text


def test_a_claims_page_writes_what_the_serializers_would(
    api_as, seed_article, reviewer_ann, reviewer_ben, editor_eve
):
    pinned_reviews(seed_article, reviewer_ann, reviewer_ben)
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    for reader in (reviewer_ann, editor_eve):
        response = api_as(reader).get(f"/api/v1/claims/{claim.pk}/")
        written = JSONRenderer().render([json.loads(response.content)])
        assert written == drf_written(reader, visible_claims(reader).filter(pk=claim.pk))
