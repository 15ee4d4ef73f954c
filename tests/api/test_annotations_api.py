"""Creating, reading, updating and deleting annotations over the API."""

import pytest

from claims.models import Annotation, Source
from tests.api.listing import claim_ids
from tests.factories import assign


@pytest.fixture
def claim(seed_article, reviewer_ann):
    assign(seed_article, reviewer_ann)
    return seed_article.claims.get(text__startswith="Foreign Minister")


def test_create_by_quote_with_a_new_source(claim, reviewer_ann, api_as):
    response = api_as(reviewer_ann).post(
        "/api/v1/annotations/",
        {
            "claim": claim.pk,
            "quote": "Foreign Minister",
            "error_type": "wrong-title",
            "correction": "Secretary of State",
            "severity": "major",
            "sources": [
                {
                    "url": "https://www.state.gov/biographies/antony-j-blinken/",
                    "title": "Antony J. Blinken",
                    "publisher": "U.S. Department of State",
                }
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["start"], body["end"], body["quote"]) == (65, 81, "Foreign Minister")
    assert body["reviewer"] == "ann"
    assert body["error_type"] == "wrong-title"
    assert body["sources"][0]["publisher"] == "U.S. Department of State"
    assert Annotation.objects.get().reviewer == reviewer_ann


def test_create_by_offsets_with_an_existing_source(claim, reviewer_ann, api_as):
    source = Source.objects.create(url="https://example.org/a")
    response = api_as(reviewer_ann).post(
        "/api/v1/annotations/",
        {
            "claim": claim.pk,
            "start": 65,
            "end": 81,
            "error_type": "wrong-title",
            "sources": [source.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["quote"] == "Foreign Minister"
    assert response.json()["sources"][0]["id"] == source.pk


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"quote": "Secretary of State"}, "quote", "does not occur in this claim"),
        ({"quote": "he"}, "quote", "occurs more than once"),
        ({"start": 0, "end": 5}, "non_field_errors", "must lie inside the claim"),
        ({"quote": "Foreign Minister", "error_type": "no-such-type"}, "error_type", ""),
        ({"quote": "Foreign Minister", "sources": [999999]}, "sources", "no source with id"),
        ({"quote": "Foreign Minister", "sources": [{"title": "no url"}]}, "sources", ""),
        ({"quote": "Foreign Minister", "severity": "apocalyptic"}, "severity", ""),
    ],
)
def test_bad_input_is_a_400_that_names_the_field_and_writes_nothing(
    claim, reviewer_ann, api_as, payload, field, message
):
    body = {"claim": claim.pk, "error_type": "wrong-title", **payload}
    response = api_as(reviewer_ann).post("/api/v1/annotations/", body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert message in str(response.json()[field])
    assert not Annotation.objects.exists()
    assert not Source.objects.exists()


def test_update_span_by_quote_and_fields(claim, reviewer_ann, api_as):
    client = api_as(reviewer_ann)
    created = client.post(
        "/api/v1/annotations/",
        {
            "claim": claim.pk,
            "quote": "Foreign Minister",
            "error_type": "wrong-title",
        },
        format="json",
    ).json()
    response = client.patch(
        f"/api/v1/annotations/{created['id']}/",
        {
            "quote": "Foreign Minister Antony Blinken",
            "note": "whole name and title",
            "error_type": "wrong-name",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["start"], body["end"]) == (65, 96)
    assert (body["note"], body["error_type"]) == ("whole name and title", "wrong-name")


def test_read_and_delete(claim, reviewer_ann, api_as):
    client = api_as(reviewer_ann)
    created = client.post(
        "/api/v1/annotations/",
        {
            "claim": claim.pk,
            "quote": "Foreign Minister",
            "error_type": "wrong-title",
        },
        format="json",
    ).json()
    listed = client.get(f"/api/v1/annotations/?article={claim.article_id}").json()
    assert [row["id"] for row in listed["results"]] == [created["id"]]
    assert client.get(f"/api/v1/annotations/{created['id']}/").json()["quote"] == "Foreign Minister"
    assert client.delete(f"/api/v1/annotations/{created['id']}/").status_code == 204
    assert not Annotation.objects.exists()


def test_article_created_from_json_is_split_by_the_server(reviewer_ann, api_as):
    response = api_as(reviewer_ann).post(
        "/api/v1/articles/",
        {
            "title": "Budget",
            "text": "The U.S. budget is $3.5 million. “It is fine,” he said.",
            "url": "https://news.example/budget",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [c["text"] for c in body["claims"]] == [
        "The U.S. budget is $3.5 million.",
        "“It is fine,” he said.",
    ]
    assert body["imported_by"] == "ann"
    again = api_as(reviewer_ann).post(
        "/api/v1/articles/",
        {"text": "Changed.", "url": "https://news.example/budget"},
        format="json",
    )
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]


def test_article_created_from_plain_text(reviewer_ann, api_as, seed_text):
    response = api_as(reviewer_ann).post(
        "/api/v1/articles/", seed_text.encode(), content_type="text/plain; charset=utf-8"
    )
    assert response.status_code == 201, response.content
    assert response.json()["title"] == (
        "Antony Blinken fails to resume US-China military communications"
    )
    assert response.json()["text"] == seed_text


def test_claims_filter_by_error_type_reviewer_and_has_errors(
    claim, reviewer_ann, reviewer_ben, api_as
):
    client = api_as(reviewer_ann)
    client.post(
        "/api/v1/annotations/",
        {"claim": claim.pk, "quote": "Foreign Minister", "error_type": "wrong-title"},
        format="json",
    )
    base = f"/api/v1/claims/?article={claim.article_id}"
    assert claim_ids(client, base + "&has_errors=true") == [claim.pk]
    assert claim_ids(client, base + "&error_type=wrong-title") == [claim.pk]
    assert claim_ids(client, base + "&error_type=wrong-date") == []
    assert claim_ids(client, base + "&reviewer=ann") == [claim.pk]
    assert claim_ids(client, base + "&reviewer=ben") == []
    everything = claim_ids(client, base)
    assert claim_ids(client, base + "&has_errors=false") == [
        pk for pk in everything if pk != claim.pk
    ]
    assert len(claim_ids(client, base + "&kind=boilerplate")) >= 3
    assert client.get(base + "&kind=nonsense").status_code == 400
