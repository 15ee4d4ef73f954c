"""One claim number everywhere people read one: the claim's id, as the API gives it."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims import services
from claims.models import Claim
from tests.factories import annotate, article, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(reviewer_ann, reviewer_ben):
    """A second article, so that its claims' ids are not their positions (nor one more)."""
    article("An earlier story\n\nIt rained. Roads flooded. Crews came.")
    later = article("The later story\n\nThe mayor said ten roads flooded. Crews arrived.")
    claim = later.claims.get(text__startswith="The mayor")
    for reviewer in (reviewer_ann, reviewer_ben):
        annotate(claim, reviewer, "ten roads", slug="wrong-number")
        services.verdict_set(claim=claim, reviewer=reviewer, label="inaccurate")
        submit(later, reviewer)
    return later


def api_numbers(api_as, user, story) -> dict[str, int]:
    """Each claim's text and the number the API gives it."""
    rows = api_as(user).get("/api/v1/claims/", {"article": story.pk}).json()["results"]
    return {row["text"]: row["id"] for row in rows}


def test_the_adjudication_page_numbers_each_claim_as_the_api_does(
    client, api_as, story, editor_eve
):
    numbers = api_numbers(api_as, editor_eve, story)
    assert all(c.pk not in (c.order, c.order + 1) for c in story.claims.all())
    client.force_login(editor_eve)
    page = client.get(reverse("admin:claims_article_adjudicate", args=[story.pk]))
    sections = re.findall(
        r"<h2>Claim #(\d+).*?<blockquote class=\"fc-claim\">(.*?)</blockquote>",
        page.content.decode(),
        re.S,
    )
    assert sections
    for number, text in sections:
        assert int(number) == numbers[re.sub(r"<[^>]+>", "", text)], text


def test_the_admin_names_a_claim_by_the_api_number(api_as, story, editor_eve):
    numbers = api_numbers(api_as, editor_eve, story)
    for claim in Claim.objects.filter(article=story):
        assert str(claim).startswith(f"#{numbers[claim.text]} ")


def test_the_workspace_names_each_claim_by_the_api_number(client, api_as, story, editor_eve):
    numbers = api_numbers(api_as, editor_eve, story)
    client.force_login(editor_eve)
    page = client.get(reverse("admin:claims_article_annotate", args=[story.pk])).content.decode()
    titles = re.findall(r'data-claim-id="(\d+)"[^>]*title="Claim #(\d+) ', page)
    assert len(titles) == len(numbers)
    assert all(claim_id == number for claim_id, number in titles)
    assert {int(number) for _, number in titles} == set(numbers.values())


def test_the_refusal_of_two_identical_final_labels_names_the_api_number(api_as, story, editor_eve):
    numbers = api_numbers(api_as, editor_eve, story)
    claim = story.claims.get(text__startswith="The mayor")
    tag = claim.annotations.first()
    twice = [
        services.FinalLabel(
            start=tag.start, end=tag.end, error_type=tag.error_type, from_annotations=(tag,)
        )
    ] * 2
    with pytest.raises(ValidationError) as refusal:
        services.claim_adjudicate(claim=claim, editor=editor_eve, labels=twice)
    assert refusal.value.messages[0].startswith(f"Claim #{numbers[claim.text]}: ")
