"""Tagging an error in the admin: after a mistake the form still shows the claim and each
message once; saving or deleting returns to the claim (or to ``?next=``)."""

import re

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from claims.models import Annotation, ErrorType
from tests.factories import annotate, assign

ADD = reverse("admin:claims_annotation_add")


@pytest.fixture
def claim(seed_article, reviewer_ann):
    assign(seed_article, reviewer_ann)
    return seed_article.claims.get(text__startswith="Foreign Minister")


@pytest.fixture
def as_ann(client, reviewer_ann):
    client.force_login(reviewer_ann)
    return client


def tag(claim, **fields) -> dict:
    return {
        "claim": claim.pk,
        "quote": "Foreign Minister",
        "start": "",
        "end": "",
        "error_type": ErrorType.objects.get(slug="wrong-title").pk,
        "severity": "major",
        "correction": "Secretary of State",
        "note": "",
        **fields,
    }


def errors_shown(html: str) -> list[str]:
    return re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"quote": "Secretary of State"}, "does not occur in this claim; copy it exactly"),
        ({"quote": "", "start": "1", "end": "5"}, "must lie inside the claim (65–306)"),
        ({"quote": "", "start": "70", "end": "65"}, "The span 70–65"),
        ({"start": "65", "end": "70"}, "hold “Forei”, not “Foreign Minister”"),
    ],
)
def test_after_an_error_the_form_shows_the_claim_and_each_message_once(
    as_ann, claim, fields, message
):
    # Posted without ?claim= in the address: the claim comes from the form itself.
    response = as_ann.post(ADD, tag(claim, **fields))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<q class="fc-claim">Foreign Minister Antony Blinken admitted on Monday' in html
    errors = errors_shown(html)
    assert len(errors) == 1, errors
    assert errors[0].count("<li>") == 1, errors
    assert message in errors[0]
    assert not Annotation.objects.exists()


def test_saving_a_new_annotation_returns_to_its_claim(as_ann, claim):
    response = as_ann.post(f"{ADD}?claim={claim.pk}", tag(claim))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:claims_claim_change", args=[claim.pk])
    assert Annotation.objects.get().claim == claim


def test_saving_a_change_returns_to_its_claim(as_ann, claim, reviewer_ann):
    mine = annotate(claim, reviewer_ann, "Foreign Minister")
    response = as_ann.post(
        reverse("admin:claims_annotation_change", args=[mine.pk]),
        tag(claim, start="65", end="81", note="checked"),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:claims_claim_change", args=[claim.pk])
    mine.refresh_from_db()
    assert mine.note == "checked"


def test_save_returns_to_next_when_it_is_a_page_of_this_site(as_ann, claim):
    workspace = f"/admin/claims/article/{claim.article_id}/annotate/#claim-{claim.pk}"
    query = urlencode({"claim": claim.pk, "next": workspace})
    response = as_ann.post(f"{ADD}?{query}", tag(claim))
    assert response["Location"] == workspace


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_next_pointing_elsewhere_is_ignored(as_ann, claim, elsewhere):
    response = as_ann.post(f"{ADD}?next={elsewhere}", tag(claim))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:claims_claim_change", args=[claim.pk])


def test_save_and_add_another_stays_on_the_claim_and_keeps_next(as_ann, claim):
    response = as_ann.post(f"{ADD}?next=/admin/", {**tag(claim), "_addanother": "1"})
    assert response["Location"] == f"{ADD}?claim={claim.pk}&next=%2Fadmin%2F"


def test_save_and_continue_keeps_next(as_ann, claim):
    response = as_ann.post(f"{ADD}?next=/admin/", {**tag(claim), "_continue": "1"})
    saved = Annotation.objects.get()
    change = reverse("admin:claims_annotation_change", args=[saved.pk])
    assert response["Location"] == f"{change}?next=%2Fadmin%2F"


def test_deleting_returns_to_the_claim(as_ann, claim, reviewer_ann):
    mine = annotate(claim, reviewer_ann, "Foreign Minister")
    response = as_ann.post(
        reverse("admin:claims_annotation_delete", args=[mine.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:claims_claim_change", args=[claim.pk])
    assert not Annotation.objects.exists()
