"""Submitting a review in a real browser: what it asks first, what it leaves, where it leads."""

import pytest

from claims.models import Annotation, Assignment
from tests.browser.workspace import workspace_path
from tests.factories import annotate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def first_claim(seed_article):
    return seed_article.claims.get(text__startswith="Foreign Minister")


def submit_review(page) -> None:
    page.click("[data-action=submit-review]")
    page.click("[data-action=submit-review]")
    page.wait_for_selector("[data-review-state]:has-text('submitted')")


def card_actions(page, annotation: Annotation) -> list[str]:
    page.locator(f'[data-annotation-id="{annotation.pk}"]').first.click()
    card = page.locator(f'[data-annotation-card] [data-card-for="{annotation.pk}"]')
    card.wait_for()
    return card.locator("[data-action]").evaluate_all("(bs) => bs.map((b) => b.dataset.action)")


def test_a_submitted_review_offers_neither_edit_nor_delete(
    open_as, seed_article, first_claim, reviewer_ann
):
    tag = annotate(first_claim, reviewer_ann, "Foreign Minister")
    page = open_as(reviewer_ann, workspace_path(seed_article))
    assert card_actions(page, tag) == ["edit", "delete"]
    page.keyboard.press("Escape")
    submit_review(page)
    assert card_actions(page, tag) == []


def test_an_editor_who_submitted_her_own_review_may_still_change_others_work_not_hers(
    open_as, seed_article, first_claim, reviewer_ann, editor_eve
):
    anns = annotate(first_claim, reviewer_ann, "Foreign Minister")
    eves = annotate(first_claim, editor_eve, "Antony Blinken", slug="wrong-name")
    page = open_as(editor_eve, workspace_path(seed_article))
    submit_review(page)
    assert Assignment.objects.get(reviewer=editor_eve).state == Assignment.State.SUBMITTED
    assert card_actions(page, anns) == ["edit", "delete"]
    page.keyboard.press("Escape")
    assert card_actions(page, eves) == []
