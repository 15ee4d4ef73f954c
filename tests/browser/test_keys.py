"""Keys in a real browser: they act only where the reviewer means them to."""

import pytest

from claims.models import Verdict
from tests.browser.workspace import drag_over, workspace_path
from tests.factories import assign

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_dragging_again_over_text_still_selected_after_esc_opens_the_form_and_sets_no_verdict(
    open_as, seed_article, reviewer_ann
):
    assign(seed_article, reviewer_ann)
    page = open_as(reviewer_ann, workspace_path(seed_article))
    drag_over(page, "Foreign Minister")
    page.keyboard.press("Escape")
    page.wait_for_selector("[data-tag-form]", state="hidden")

    drag_over(page, "Foreign Minister", wait_for_form=False)
    page.wait_for_timeout(100)  # as long as a person takes to start typing
    page.keyboard.type("ani")  # meant for the form, not verdicts on the current claim
    page.wait_for_timeout(500)  # a verdict key's request would be answered by now
    assert not Verdict.objects.exists()
    assert page.locator("[data-tag-form]").is_visible()
    assert page.locator("[data-form-quote]").inner_text() == "Foreign Minister"


def test_navigation_and_verdict_keys_do_nothing_while_the_tag_form_is_open(
    open_as, seed_article, reviewer_ann
):
    assign(seed_article, reviewer_ann)
    page = open_as(reviewer_ann, workspace_path(seed_article))
    drag_over(page, "Foreign Minister")
    current = page.locator(".fc-claim.fc-current").get_attribute("data-claim-id")
    page.keyboard.press("j")
    page.keyboard.press("k")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("u")
    page.wait_for_timeout(500)
    assert page.locator(".fc-claim.fc-current").get_attribute("data-claim-id") == current
    assert page.locator("[data-tag-form]").is_visible()
    assert not Verdict.objects.exists()


def test_question_mark_shows_every_key_and_esc_closes_it(open_as, seed_article, reviewer_ann):
    assign(seed_article, reviewer_ann)
    page = open_as(reviewer_ann, workspace_path(seed_article))
    page.keyboard.press("?")
    help_ = page.locator("[data-key-help]")
    help_.wait_for()
    keys = help_.locator("kbd").all_inner_texts()
    for key in ["j", "k", "↓", "↑", "Enter", "Esc", "?", "Shift+→", "Ctrl+Shift+→"]:
        assert key in keys, key
    for button in page.locator("[data-verdict]").all():  # each key as its button shows it
        assert button.locator("kbd").inner_text() in keys
    for button in page.locator("[data-error-type]").all():
        assert button.locator("kbd").inner_text() in keys
    assert "Inaccurate" in help_.inner_text()
    page.keyboard.press("i")  # keys under the overlay do nothing
    page.keyboard.press("Escape")
    assert help_.is_hidden()
    page.wait_for_timeout(300)
    assert not Verdict.objects.exists()


def test_error_types_and_their_keys_show_before_any_selection(open_as, seed_article, reviewer_ann):
    assign(seed_article, reviewer_ann)
    page = open_as(reviewer_ann, workspace_path(seed_article))
    assert page.locator("[data-tag-form]").is_hidden()
    legend = page.locator("[data-type-legend]")
    assert legend.is_visible()
    shown = legend.locator("li").all_inner_texts()
    expected = [
        f"{b.locator('kbd').inner_text()} {b.inner_text().split(' ', 1)[1]}"
        for b in page.locator("[data-error-type]").all()  # the form's buttons, hidden
    ]
    assert [" ".join(s.split()) for s in shown] == expected
