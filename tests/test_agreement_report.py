"""The agreement report over the database: only submitted, blind work, values worked by hand.

The bridge story has four claims. Ann and Ben both review it and submit:

    claim  Ann                            Ben
    0      wrong-title [0, 5), misquote   wrong-title [0, 3), misquote  (same types)
    1      wrong-title [0, 5)             nothing                       (the one disagreement)
    2      nothing                        nothing
    3      nothing                        nothing

(misquote at [6, 10) for both; offsets relative to the claim.) Verdicts: Ann says
inaccurate, inaccurate, accurate, -; Ben says inaccurate, accurate, -, -.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.agreement import cohen_kappa, fleiss_kappa, krippendorff_alpha
from claims.agreement_report import agreement_report
from claims.models import Claim, ErrorType
from tests.factories import UserFactory, annotate, article, assign, submit

BRIDGE = (
    "The mayor opened the new bridge on Monday morning.\n\n"
    "The city council approved a budget of ten million dollars for it. "
    "Workers finished the project two months ahead of schedule. "
    "Traffic on the old ferry route fell by half within a week.\n"
)


def tag(claim, reviewer, start, end, slug="wrong-title"):
    return annotate(claim, reviewer, start=claim.start + start, end=claim.start + end, slug=slug)


def verdicts(claims, reviewer, labels):
    for claim, label in zip(claims, labels, strict=False):
        if label:
            services.verdict_set(claim=claim, reviewer=reviewer, label=label)


@pytest.fixture
def bridge(db):
    return article(BRIDGE, title="Bridge opens")


@pytest.fixture
def bridge_claims(bridge):
    claims = list(bridge.claims.order_by("order"))
    assert len(claims) == 4
    return claims


@pytest.fixture
def reviewed_bridge(bridge, bridge_claims, reviewer_ann, reviewer_ben):
    c = bridge_claims
    assign(bridge, reviewer_ann, reviewer_ben)
    tag(c[0], reviewer_ann, 0, 5)
    tag(c[0], reviewer_ann, 6, 10, slug="misquote")
    tag(c[1], reviewer_ann, 0, 5)
    tag(c[0], reviewer_ben, 0, 3)
    tag(c[0], reviewer_ben, 6, 10, slug="misquote")
    verdicts(c, reviewer_ann, ["inaccurate", "inaccurate", "accurate", None])
    verdicts(c, reviewer_ben, ["inaccurate", "accurate", None, None])
    submit(bridge, reviewer_ann)
    submit(bridge, reviewer_ben)
    return bridge


@pytest.fixture
def reviewer_cai(db):
    return UserFactory(username="cai", groups=["reviewer"])


def test_claim_level_error_matches_hand_computed_values(reviewed_bridge):
    ann, ben = [True, True, False, False], [True, False, False, False]

    error = agreement_report(Claim.objects.all())["claim_level"]["error"]

    assert error["items"] == 4
    assert error["percent_agreement"] == 0.75
    # p_o = 3/4, p_e = 1/2 * 1/4 + 1/2 * 3/4 = 1/2, kappa = (3/4 - 1/2) / (1 - 1/2)
    assert error["cohen_kappa"] == pytest.approx(0.5)
    assert error["cohen_kappa"] == pytest.approx(cohen_kappa(ann, ben))
    # Three True, five False; one disagreeing unit: 1 - 7 * 2 / (3 * 5 * 2)
    assert error["krippendorff_alpha"] == pytest.approx(8 / 15)
    assert error["fleiss_kappa"] == pytest.approx(fleiss_kappa(list(zip(ann, ben, strict=True))))


def test_claim_level_error_types_and_verdicts(reviewed_bridge):
    report = agreement_report(Claim.objects.all())

    error_type = report["claim_level"]["error_type"]
    ann = ["misquote+wrong-title", "wrong-title", "none", "none"]
    ben = ["misquote+wrong-title", "none", "none", "none"]
    assert error_type["percent_agreement"] == 0.75
    assert error_type["krippendorff_alpha"] == pytest.approx(
        krippendorff_alpha([list(unit) for unit in zip(ann, ben, strict=True)])
    )
    # Only claims 0 and 1 have two verdicts, and the reviewers differ on claim 1.
    verdict = report["claim_level"]["verdict"]
    assert verdict["items"] == 2
    assert verdict["percent_agreement"] == 0.5
    assert verdict["cohen_kappa"] == 0.0
    assert verdict["krippendorff_alpha"] == pytest.approx(0.0)


def test_error_types_have_alpha_and_raw_and_final_counts(
    reviewed_bridge, bridge_claims, editor_eve
):
    first = bridge_claims[0]
    services.claim_adjudicate(
        claim=first,
        editor=editor_eve,
        labels=[
            services.FinalLabel(
                start=first.start,
                end=first.start + 5,
                error_type=ErrorType.objects.get(slug="wrong-title"),
            )
        ],
    )

    error_types = agreement_report(Claim.objects.all())["error_types"]

    assert list(error_types) == ["wrong-title", "misquote"]  # the taxonomy's order
    assert error_types["wrong-title"] == {
        "name": "Wrong title or role",
        "krippendorff_alpha": pytest.approx(8 / 15),
        "annotations": 3,
        "final_labels": 1,
    }
    assert error_types["misquote"]["krippendorff_alpha"] == 1.0
    assert error_types["misquote"]["annotations"] == 2
    assert error_types["misquote"]["final_labels"] == 0


def test_span_agreement_per_pair_and_error_type(reviewed_bridge):
    (pair,) = agreement_report(Claim.objects.all())["spans"]

    assert pair["reviewers"] == ["ann", "ben"]
    assert pair["articles"] == 1
    # Ann has 3 spans, Ben 2. Exact: only the misquote, 2 * 1 / 5. Overlap: the misquote
    # and Ben's [0, 3) inside Ann's [0, 5) on claim 0, 2 * 2 / 5.
    assert pair["exact_f1"] == pytest.approx(0.4)
    assert pair["overlap_f1"] == pytest.approx(0.8)
    assert pair["by_error_type"] == {
        "wrong-title": {"exact_f1": 0.0, "overlap_f1": pytest.approx(2 / 3)},
        "misquote": {"exact_f1": 1.0, "overlap_f1": 1.0},
    }


def test_unsubmitted_review_is_left_out(reviewed_bridge, bridge_claims, reviewer_cai):
    before = agreement_report(Claim.objects.all())
    tag(bridge_claims[2], reviewer_cai, 0, 5, slug="wrong-date")
    services.verdict_set(claim=bridge_claims[3], reviewer=reviewer_cai, label="misleading")

    after = agreement_report(Claim.objects.all())

    assert after["reviewers"] == ["ann", "ben"]
    assert "wrong-date" not in after["error_types"]
    assert after == before


def test_reopened_review_is_left_out(reviewed_bridge, editor_eve, reviewer_ben):
    assignment = reviewed_bridge.assignments.get(reviewer=reviewer_ben)
    services.assignment_reopen(assignment, by=editor_eve)

    report = agreement_report(Claim.objects.all())

    assert report["claims"] == 0
    assert report["reviewers"] == []
    assert report["claim_level"]["error"]["krippendorff_alpha"] is None
    assert report["spans"] == []


def test_article_with_one_submitted_review_is_left_out(reviewed_bridge, reviewer_ann, reviewer_ben):
    solo = article("Ann reviewed this story on her own.\n\nBen never submitted it.\n")
    for claim in solo.claims.all():
        tag(claim, reviewer_ann, 0, 3)
    tag(solo.claims.first(), reviewer_ben, 0, 3)
    submit(solo, reviewer_ann)

    report = agreement_report(Claim.objects.all())

    assert report["claims"] == 4
    assert report["articles"] == 1
    assert report["error_types"]["wrong-title"]["annotations"] == 3


def test_spans_of_different_articles_never_match(db, reviewer_ann, reviewer_ben):
    # Both stories open with a five-letter word at offset 0; each reviewer tags it in
    # a different story, so any match would be a cross-article one.
    north = article("North wind hits the coast.\n")
    south = article("South wind hits the coast.\n")
    tag(north.claims.get(), reviewer_ann, 0, 5)
    tag(south.claims.get(), reviewer_ben, 0, 5)
    for story in (north, south):
        submit(story, reviewer_ann)
        submit(story, reviewer_ben)

    (pair,) = agreement_report(Claim.objects.all())["spans"]

    assert pair["articles"] == 2
    assert pair["exact_f1"] == 0.0
    assert pair["overlap_f1"] == 0.0


def test_three_reviewers_give_fleiss_and_alpha_but_no_cohen(
    reviewed_bridge, reviewer_cai, bridge_claims
):
    tag(bridge_claims[1], reviewer_cai, 0, 5)
    tag(bridge_claims[2], reviewer_cai, 0, 5)
    submit(reviewed_bridge, reviewer_cai)
    units = [[True, True, False], [True, False, True], [False, False, True], [False] * 3]

    report = agreement_report(Claim.objects.all())

    error = report["claim_level"]["error"]
    assert report["reviewers"] == ["ann", "ben", "cai"]
    assert error["cohen_kappa"] is None
    assert error["fleiss_kappa"] == pytest.approx(fleiss_kappa(units))
    assert error["krippendorff_alpha"] == pytest.approx(krippendorff_alpha(units))
    assert error["percent_agreement"] == 0.25
    assert [pair["reviewers"] for pair in report["spans"]] == [
        ["ann", "ben"],
        ["ann", "cai"],
        ["ben", "cai"],
    ]


def test_report_follows_the_claims_given(reviewed_bridge, bridge_claims):
    report = agreement_report(Claim.objects.filter(pk__in=[c.pk for c in bridge_claims[2:]]))

    assert report["claims"] == 2
    assert report["claim_level"]["error"]["percent_agreement"] == 1.0
    assert report["error_types"] == {}
    assert report["spans"][0]["exact_f1"] == 1.0  # nothing tagged by either: agreement


def queries_for_report() -> int:
    with CaptureQueriesContext(connection) as captured:
        agreement_report(Claim.objects.all())
    return len(captured)


def test_query_count_does_not_grow_with_claims(reviewed_bridge, reviewer_ann, reviewer_ben):
    before = queries_for_report()
    longer = article(BRIDGE.replace("mayor", "governor") + "\nA second bridge is planned.\n")
    for claim in longer.claims.all():
        tag(claim, reviewer_ann, 0, 5)
        tag(claim, reviewer_ben, 0, 4)
        services.verdict_set(claim=claim, reviewer=reviewer_ann, label="accurate")
    submit(longer, reviewer_ann)
    submit(longer, reviewer_ben)

    assert queries_for_report() == before == 5
