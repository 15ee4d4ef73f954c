"""``/api/v1/agreement``: editors only, the claim filters of the export, the report as JSON."""

import pytest

from tests.factories import annotate, article, submit

URL = "/api/v1/agreement"


def tag(claim, reviewer, length, slug="wrong-title"):
    return annotate(claim, reviewer, start=claim.start, end=claim.start + length, slug=slug)


@pytest.fixture
def bridge(reviewer_ann, reviewer_ben):
    """Ann and Ben agree on a wrong title and disagree on a wrong number."""
    story = article("The mayor opened the bridge.\n\nIt cost ten million dollars.\n")
    opening, cost = story.claims.order_by("order")
    tag(opening, reviewer_ann, 9)
    tag(opening, reviewer_ben, 9)
    tag(cost, reviewer_ann, 7, slug="wrong-number")
    for reviewer in (reviewer_ann, reviewer_ben):
        submit(story, reviewer)
    return story


@pytest.fixture
def ferry(reviewer_ann, reviewer_ben):
    """Ann and Ben agree on everything: no error anywhere."""
    story = article("The ferry stopped running in May.\n")
    for reviewer in (reviewer_ann, reviewer_ben):
        submit(story, reviewer)
    return story


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 401), ("outsider", 403), ("reviewer_ann", 403), ("editor_eve", 200)],
)
def test_only_editors_see_agreement(db, api_as, request, who, status):
    user = request.getfixturevalue(who) if who else None

    assert api_as(user).get(URL).status_code == status


def test_report_over_every_claim(bridge, ferry, editor_eve, api_as):
    response = api_as(editor_eve).get(URL)

    assert response.status_code == 200
    report = response.json()
    assert report["claims"] == 3
    assert report["articles"] == 2
    assert report["reviewers"] == ["ann", "ben"]
    assert set(report["claim_level"]) == {"error", "error_type", "verdict"}
    assert report["claim_level"]["error"]["percent_agreement"] == pytest.approx(2 / 3)
    assert report["claim_level"]["verdict"]["krippendorff_alpha"] is None  # no verdicts
    assert list(report["error_types"]) == ["wrong-title", "wrong-number"]
    assert report["spans"][0]["reviewers"] == ["ann", "ben"]
    assert report["spans"][0]["exact_f1"] == pytest.approx(2 / 3)


def test_filter_by_article(bridge, ferry, editor_eve, api_as):
    report = api_as(editor_eve).get(URL, {"article": ferry.pk}).json()

    assert report["claims"] == 1
    assert report["claim_level"]["error"]["percent_agreement"] == 1.0
    assert report["error_types"] == {}


def test_filter_by_error_type(bridge, ferry, editor_eve, api_as):
    report = api_as(editor_eve).get(URL, {"error_type": "wrong-number"}).json()

    assert report["claims"] == 1  # the claim on the cost, which only Ann tagged
    assert report["claim_level"]["error"]["percent_agreement"] == 0.0
    assert list(report["error_types"]) == ["wrong-number"]


@pytest.mark.parametrize("query", [{"article": "abc"}, {"article": 999999}, {"kind": "poem"}])
def test_bad_filter_is_a_400_that_names_it(db, editor_eve, api_as, query):
    response = api_as(editor_eve).get(URL, query)

    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_agreement_is_in_the_api_schema(db, editor_eve, api_as):
    schema = api_as(editor_eve).get("/api/schema/", {"format": "json"})

    parameters = schema.json()["paths"]["/api/v1/agreement"]["get"]["parameters"]
    assert {p["name"] for p in parameters} >= {
        "article",
        "kind",
        "error_type",
        "reviewer",
        "has_errors",
    }
