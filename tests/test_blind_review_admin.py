"""Blind review beyond annotations: evidence, counts, final labels, history, messages."""

import pytest
from django.core.exceptions import ValidationError

from claims import services
from claims.models import Adjudication, Claim
from tests.factories import UserFactory, annotate, assign, submit


@pytest.fixture
def bens_work(seed_article, reviewer_ann, reviewer_ben):
    """Ben tagged claim #1 with a new source; Ann is assigned and has not submitted."""
    assign(seed_article, reviewer_ann)
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    annotate(
        claim,
        reviewer_ben,
        "Foreign Minister",
        sources=[
            services.NewSource(
                url="https://example.org/ben", title="BenTitle", quoted_passage="BENSECRETPASSAGE"
            )
        ],
    )
    return claim


def test_another_reviewers_evidence_is_hidden_until_submitting(
    client, api_as, bens_work, reviewer_ann
):
    client.force_login(reviewer_ann)
    pages = [
        "/admin/claims/source/",
        "/admin/autocomplete/?app_label=claims&model_name=annotation&field_name=sources"
        "&term=BENSECRET",
    ]
    for url in pages:
        assert "BenTitle" not in client.get(url).content.decode(), url
    assert "BENSECRETPASSAGE" not in api_as(reviewer_ann).get("/api/v1/sources/").content.decode()
    submit(bens_work.article, reviewer_ann)
    assert "BENSECRETPASSAGE" in api_as(reviewer_ann).get("/api/v1/sources/").content.decode()


def test_a_hidden_source_cannot_be_cited_by_id(api_as, bens_work, reviewer_ann):
    hidden = bens_work.annotations.get().sources.get()
    response = api_as(reviewer_ann).post(
        "/api/v1/annotations/",
        {
            "claim": bens_work.pk,
            "quote": "Antony Blinken",
            "error_type": "wrong-name",
            "sources": [hidden.pk],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "no source with id" in str(response.json())


def test_error_type_counts_only_what_the_reader_may_see(
    client, bens_work, reviewer_ann, editor_eve
):
    client.force_login(reviewer_ann)
    page = client.get("/admin/claims/errortype/?q=wrong-title").content.decode()
    assert '<td class="field-my_usage">0</td>' in page  # a reviewer's count is of their own
    assert "field-usage" not in page
    client.force_login(editor_eve)
    page = client.get("/admin/claims/errortype/?q=wrong-title").content.decode()
    assert '<td class="field-usage">1</td>' in page


def test_final_labels_are_hidden_from_a_reviewer_until_submitting(
    client, bens_work, reviewer_ann, reviewer_ben, editor_eve
):
    carl = UserFactory(username="carl", groups=["reviewer"])
    assign(bens_work.article, carl)
    submit(bens_work.article, reviewer_ben)
    submit(bens_work.article, carl)
    services.claim_adjudicate(
        claim=bens_work, editor=editor_eve, verdict="misleading", note="EVENOTE"
    )
    adjudication = Adjudication.objects.get()
    client.force_login(reviewer_ann)
    assert "EVENOTE" not in client.get("/admin/claims/adjudication/").content.decode()
    assert client.get(f"/admin/claims/adjudication/{adjudication.pk}/change/").status_code == 302
    submit(bens_work.article, reviewer_ann)
    assert client.get(f"/admin/claims/adjudication/{adjudication.pk}/change/").status_code == 200


def test_history_cannot_be_reverted_from_the_admin(client, seed_article, reviewer_ann, editor_eve):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    tag = annotate(claim, reviewer_ann, "Foreign Minister", note="first")
    services.annotation_update(tag, by=reviewer_ann, note="second")
    first = tag.history.earliest("history_date")
    client.force_login(editor_eve)
    url = f"/admin/claims/annotation/{tag.pk}/history/{first.history_id}/"
    client.post(
        url,
        {
            "quote": "Foreign Minister",
            "start": 65,
            "end": 81,
            "note": "first",
            "correction": "",
            "severity": "major",
            "error_type": tag.error_type_id,
        },
    )
    tag.refresh_from_db()
    assert tag.note == "second"


def test_split_refusal_does_not_quote_another_reviewers_span(bens_work, editor_eve):
    with pytest.raises(ValidationError) as refused:
        services.claim_split(bens_work, at=bens_work.start + 5)
    assert "Foreign Minister" not in str(refused.value)


def test_merge_next_to_an_adjudicated_claim_is_refused(
    seed_article, reviewer_ann, reviewer_ben, editor_eve
):
    assign(seed_article, reviewer_ann, reviewer_ben)
    submit(seed_article, reviewer_ann)
    submit(seed_article, reviewer_ben)
    first, second = seed_article.claims.all()[:2]
    services.claim_adjudicate(claim=second, editor=editor_eve)
    for claim in (first, second):
        with pytest.raises(ValidationError, match="has final labels"):
            services.claim_merge_with_next(claim)
    assert Claim.objects.filter(pk=second.pk).exists()
