"""ETag and If-Match: a stale write is refused with 412, never a silent overwrite."""

import pytest

from claims.models import Annotation, Verdict
from tests.factories import annotate, assign


@pytest.fixture
def claim(seed_article, reviewer_ann):
    assign(seed_article, reviewer_ann)
    return seed_article.claims.get(text__startswith="Foreign Minister")


@pytest.fixture
def annotation(claim, reviewer_ann):
    return annotate(claim, reviewer_ann, "Foreign Minister", correction="Secretary of State")


def url(annotation) -> str:
    return f"/api/v1/annotations/{annotation.pk}/"


def test_detail_carries_an_etag_of_id_and_version(annotation, reviewer_ann, api_as):
    response = api_as(reviewer_ann).get(url(annotation))
    assert response.status_code == 200
    assert response["ETag"] == f'"{annotation.pk}-1"'
    assert response.json()["version"] == 1


def test_every_write_bumps_the_version_and_answers_the_new_etag(annotation, reviewer_ann, api_as):
    client = api_as(reviewer_ann)
    first = client.patch(url(annotation), {"note": "one"}, format="json")
    second = client.patch(url(annotation), {"note": "two"}, format="json")
    assert (first.status_code, second.status_code) == (200, 200)
    assert first["ETag"] == f'"{annotation.pk}-2"'
    assert second["ETag"] == f'"{annotation.pk}-3"'
    assert Annotation.objects.get().version == 3


def test_lost_update_is_refused_with_412_and_the_editors_correction_survives(
    annotation, reviewer_ann, editor_eve, api_as
):
    # The scenario: ann reads, the editor changes the correction, ann PUTs her
    # stale copy with only the note changed.
    ann = api_as(reviewer_ann)
    read = ann.get(url(annotation))
    stale_copy, tag = read.json(), read["ETag"]
    edited = api_as(editor_eve).patch(
        url(annotation), {"correction": "U.S. Secretary of State"}, format="json"
    )
    assert edited.status_code == 200

    stale_copy["note"] = "Checked against state.gov."
    stale_copy["sources"] = []
    response = ann.put(url(annotation), stale_copy, format="json", HTTP_IF_MATCH=tag)

    assert response.status_code == 412
    body = response.json()
    assert "changed by someone else" in body["detail"]
    assert body["current"]["correction"] == "U.S. Secretary of State"
    assert body["current"]["version"] == 2
    assert response["ETag"] == f'"{annotation.pk}-2"'
    stored = Annotation.objects.get()
    assert (stored.correction, stored.note, stored.version) == ("U.S. Secretary of State", "", 2)


def test_a_fresh_if_match_writes(annotation, reviewer_ann, api_as):
    client = api_as(reviewer_ann)
    tag = client.get(url(annotation))["ETag"]
    response = client.patch(url(annotation), {"note": "fresh"}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 200
    assert Annotation.objects.get().note == "fresh"


def test_a_weakened_etag_from_a_proxy_still_matches(annotation, reviewer_ann, api_as):
    response = api_as(reviewer_ann).patch(
        url(annotation), {"note": "via gzip"}, format="json", HTTP_IF_MATCH=f'W/"{annotation.pk}-1"'
    )
    assert response.status_code == 200


def test_a_write_without_if_match_still_works_for_scripts(annotation, editor_eve, api_as):
    response = api_as(editor_eve).patch(url(annotation), {"note": "scripted"}, format="json")
    assert response.status_code == 200
    assert Annotation.objects.get().note == "scripted"


@pytest.mark.parametrize("header", ['"999999-1"', "garbage"])
def test_an_if_match_for_another_row_or_unreadable_matches_nothing(
    annotation, reviewer_ann, api_as, header
):
    response = api_as(reviewer_ann).patch(
        url(annotation), {"note": "x"}, format="json", HTTP_IF_MATCH=header
    )
    assert response.status_code == 412
    assert f'"{annotation.pk}-1"' in response.json()["detail"]
    assert Annotation.objects.get().note == ""


def test_a_stale_delete_is_refused_and_deletes_nothing(annotation, reviewer_ann, api_as):
    client = api_as(reviewer_ann)
    client.patch(url(annotation), {"note": "moved on"}, format="json")
    response = client.delete(url(annotation), HTTP_IF_MATCH=f'"{annotation.pk}-1"')
    assert response.status_code == 412
    assert Annotation.objects.filter(pk=annotation.pk).exists()
    assert client.delete(url(annotation), HTTP_IF_MATCH=f'"{annotation.pk}-2"').status_code == 204
    assert not Annotation.objects.exists()


def test_verdict_carries_an_etag_and_a_stale_if_match_is_refused(claim, reviewer_ann, api_as):
    client = api_as(reviewer_ann)
    first = client.post("/api/v1/verdicts/", {"claim": claim.pk, "label": "inaccurate"})
    assert first.status_code == 201
    verdict = Verdict.objects.get()
    assert first["ETag"] == f'"{verdict.pk}-1"'
    assert client.get(f"/api/v1/verdicts/{verdict.pk}/")["ETag"] == f'"{verdict.pk}-1"'

    second = client.post(
        "/api/v1/verdicts/",
        {"claim": claim.pk, "label": "misleading"},
        HTTP_IF_MATCH=first["ETag"],
    )
    assert second.status_code == 201
    assert second["ETag"] == f'"{verdict.pk}-2"'

    stale = client.post(
        "/api/v1/verdicts/",
        {"claim": claim.pk, "label": "accurate"},
        HTTP_IF_MATCH=first["ETag"],
    )
    assert stale.status_code == 412
    assert stale.json()["current"]["label"] == "misleading"
    assert Verdict.objects.get().label == "misleading"


def test_if_match_on_a_verdict_not_yet_given_is_refused(claim, reviewer_ann, api_as):
    response = api_as(reviewer_ann).post(
        "/api/v1/verdicts/", {"claim": claim.pk, "label": "accurate"}, HTTP_IF_MATCH='"1-1"'
    )
    assert response.status_code == 412
    assert not Verdict.objects.exists()


def test_the_schema_documents_if_match_and_412(editor_eve, api_as):
    schema = api_as(editor_eve).get("/api/schema/?format=json").json()
    patch = schema["paths"]["/api/v1/annotations/{id}/"]["patch"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch["parameters"])
    assert "412" in patch["responses"]
    assert "409" in schema["paths"]["/api/v1/annotations/"]["post"]["responses"]
