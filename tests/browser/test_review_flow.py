"""Submitting a review in a real browser: what it asks first, what it leaves, where it leads."""

import pytest

from claims.models import Annotation, Assignment
from tests.browser.workspace import workspace_path
from tests.factories import annotate, article, assign

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def first_claim(seed_article):
    return seed_article.claims.get(text__startswith="Foreign Minister")


def submit_review(page) -> None:
    page.click("[data-action=submit-review]")
    page.click("[data-submit-dialog] [data-action=confirm-submit]")
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


def test_submit_says_how_many_claims_have_no_verdict_and_the_reviewer_may_go_back(
    open_as, seed_article, reviewer_ann
):
    assign(seed_article, reviewer_ann)
    claims = list(seed_article.claims.order_by("order"))
    page = open_as(reviewer_ann, workspace_path(seed_article))
    page.keyboard.press("a")  # the headline: accurate
    page.wait_for_selector("[data-progress]:has-text('1 of')")

    page.click("[data-action=submit-review]")
    dialog = page.locator("[data-submit-dialog]")
    dialog.wait_for()
    assert f"{len(claims) - 1} of {len(claims)} claims have no verdict" in dialog.inner_text()
    page.keyboard.press("i")  # the page behind the dialog takes no verdict keys
    dialog.locator("[data-action=go-back]").click()
    assert dialog.is_hidden()
    assert Assignment.objects.get().state != Assignment.State.SUBMITTED
    current = page.locator(".fc-claim.fc-current")  # back at the first claim left to judge
    assert current.get_attribute("data-claim-id") == str(claims[1].pk)
    assert claims[1].verdicts.count() == 0

    page.click("[data-action=submit-review]")
    dialog.locator("[data-action=confirm-submit]").click()
    page.wait_for_selector("[data-review-state]:has-text('submitted')")
    assert Assignment.objects.get().state == Assignment.State.SUBMITTED


def test_submit_and_next_submits_and_opens_the_next_review_left_to_do(
    open_as, seed_article, reviewer_ann
):
    later = article("Later story\n\nIt rained. Roads flooded.")
    assign(seed_article, reviewer_ann)
    assign(later, reviewer_ann)
    page = open_as(reviewer_ann, workspace_path(seed_article))
    page.click("[data-action=submit-and-next]")
    page.click("[data-submit-dialog] [data-action=confirm-submit]")
    page.wait_for_url(f"**{workspace_path(later)}")
    assert page.locator(".fc-title").inner_text() == "Later story"
    states = dict(Assignment.objects.values_list("article_id", "state"))
    assert states == {seed_article.pk: "submitted", later.pk: "assigned"}
