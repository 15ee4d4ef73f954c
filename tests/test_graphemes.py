"""A span never cuts a grapheme cluster: the pure check, the API and the admin refuse it."""

import pytest
from django.urls import reverse

from claims.models import Annotation, ErrorType
from claims.text.graphemes import cut_clusters
from tests.factories import article, assign

THUMB = "👍🏽"  # two code points: the emoji and its skin-tone modifier
FLAG = "🇺🇸"  # two regional indicators
ACCENTED = "e\u0301"  # a letter and a combining acute accent
STORY = f"Ann voted {THUMB} for the {FLAG} plan in Montre{ACCENTED}al.\n\nLater text."


def test_whole_clusters_are_never_cut():
    start = STORY.index(THUMB)
    assert cut_clusters(STORY, start, start + 2) == []
    assert cut_clusters(STORY, 0, len(STORY)) == []


@pytest.mark.parametrize("character", [THUMB, FLAG, ACCENTED])
def test_an_end_inside_a_cluster_is_reported(character):
    inside = STORY.index(character) + 1
    assert cut_clusters(STORY, 0, inside) == [character]
    assert cut_clusters(STORY, inside, inside + 3) == [character]


def test_a_flag_after_another_flag_is_paired_from_the_line_start():
    # Regional indicators pair up from the start of the run: segmenting from the middle of a
    # run would pair them wrongly, which is why the check reads from the line start.
    text = "🇫🇷🇩🇪🇮🇹"
    assert cut_clusters(text, 2, 4) == []
    assert cut_clusters(text, 3, 5) == ["🇩🇪", "🇮🇹"]


@pytest.fixture
def emoji_claim(reviewer_ann):
    story = article(STORY, title="Votes")
    assign(story, reviewer_ann)
    return story.claims.get(text__contains=THUMB)


def test_api_refuses_a_span_cutting_an_emoji_and_writes_nothing(emoji_claim, reviewer_ann, api_as):
    start = emoji_claim.article.text.index(THUMB)
    response = api_as(reviewer_ann).post(
        "/api/v1/annotations/",
        {"claim": emoji_claim.pk, "start": start, "end": start + 1, "error_type": "misquote"},
        format="json",
    )
    assert response.status_code == 400
    assert f"cuts the character “{THUMB}” in two" in str(response.json())
    assert not Annotation.objects.exists()


def test_api_accepts_the_whole_emoji_at_code_point_offsets(emoji_claim, reviewer_ann, api_as):
    start = emoji_claim.article.text.index(THUMB)
    response = api_as(reviewer_ann).post(
        "/api/v1/annotations/",
        {"claim": emoji_claim.pk, "start": start, "end": start + 2, "error_type": "misquote"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["quote"] == THUMB


def test_admin_form_refuses_a_span_cutting_an_accented_letter(client, emoji_claim, reviewer_ann):
    client.force_login(reviewer_ann)
    inside = emoji_claim.article.text.index(ACCENTED) + 1
    response = client.post(
        reverse("admin:claims_annotation_add"),
        {
            "claim": emoji_claim.pk,
            "quote": "",
            "start": inside - 4,
            "end": inside,
            "error_type": ErrorType.objects.get(slug="wrong-place").pk,
            "correction": "Montréal",
            "note": "",
            "severity": "major",
        },
    )
    assert response.status_code == 200
    assert "cuts the character" in response.content.decode()
    assert not Annotation.objects.exists()
