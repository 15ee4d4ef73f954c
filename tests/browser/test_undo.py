"""Ctrl+Z on the workspace: the reviewer's last create, edit or delete taken back, through
the API and its versions; and a draft is not lost to a reload without asking."""

import pytest

from claims.models import Annotation
from tests.browser.workspace import drag_over, key_for, wait_for_saved_tag, workspace_path
from tests.factories import SourceFactory, annotate, assign

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def first_claim(seed_article):
    return seed_article.claims.get(text__startswith="Foreign Minister")


@pytest.fixture
def page(open_as, seed_article, reviewer_ann):
    assign(seed_article, reviewer_ann)
    return open_as(reviewer_ann, workspace_path(seed_article))


def tag_with_keys(page, quote: str, correction: str) -> None:
    drag_over(page, quote)
    page.keyboard.press(key_for(page, "wrong-title"))
    page.keyboard.type(correction)
    page.keyboard.press("Enter")
    wait_for_saved_tag(page)
    page.wait_for_selector("[data-tag-form]", state="hidden")


def undo(page, says: str, keys: str = "Control+z") -> None:
    page.keyboard.press(keys)
    page.wait_for_selector(f"[data-message]:has-text('{says}')")


@pytest.mark.parametrize("keys", ["Control+z", "Meta+z"])  # Cmd+Z on a Mac
def test_ctrl_z_undoes_a_new_tag(page, keys):
    tag_with_keys(page, "Foreign Minister", "Secretary of State")
    assert Annotation.objects.count() == 1
    undo(page, "Undone", keys)
    assert "Foreign Minister" in page.locator("[data-message]").inner_text()
    assert not Annotation.objects.exists()
    assert page.locator("[data-annotation-id]").count() == 0
    assert page.locator("[data-progress]").inner_text().endswith("0 errors tagged")


def test_ctrl_z_undoes_an_edit_back_to_the_old_values(page, first_claim, reviewer_ann):
    source = SourceFactory(url="https://www.state.gov/", title="State")
    tag = annotate(
        first_claim,
        reviewer_ann,
        "Foreign Minister",
        correction="Secretary",
        note="Checked.",
        sources=[source],
    )
    page.reload()
    page.locator(f'[data-annotation-id="{tag.pk}"]').first.click()
    page.locator("[data-annotation-card] [data-action=edit]").click()
    page.wait_for_selector("[data-tag-form]:not([hidden])")
    page.locator('[data-tag-form] [data-error-type="wrong-name"]').click()
    page.fill('[name="note"]', "Changed my mind.")
    page.fill('[name="correction"]', "Secretary of State")
    page.locator('[name="correction"]').press("Enter")
    page.wait_for_selector("[data-tag-form]", state="hidden")
    tag.refresh_from_db()
    assert (tag.correction, tag.version) == ("Secretary of State", 2)

    undo(page, "Undone")
    tag.refresh_from_db()
    assert (tag.correction, tag.note, tag.error_type.slug, tag.version) == (
        "Secretary",
        "Checked.",
        "wrong-title",
        3,  # a write like any other: versions go on
    )
    assert list(tag.sources.all()) == [source]
    highlight = page.locator(f'[data-annotation-id="{tag.pk}"]').first
    assert highlight.get_attribute("data-error-type") == "wrong-title"


def test_undoing_an_edit_someone_changed_since_does_not_overwrite_theirs(
    page, first_claim, reviewer_ann
):
    tag = annotate(first_claim, reviewer_ann, "Foreign Minister", correction="Secretary")
    page.reload()
    page.locator(f'[data-annotation-id="{tag.pk}"]').first.click()
    page.locator("[data-annotation-card] [data-action=edit]").click()
    page.fill('[name="correction"]', "Secretary of State")
    page.locator('[name="correction"]').press("Enter")
    page.wait_for_selector("[data-tag-form]", state="hidden")
    other_tab = page.context.new_page()
    other_tab.goto(page.url)
    other_tab.locator(f'[data-annotation-id="{tag.pk}"]').first.click()
    other_tab.locator("[data-annotation-card] [data-action=edit]").click()
    other_tab.fill('[name="correction"]', "Top diplomat")
    other_tab.locator('[name="correction"]').press("Enter")
    other_tab.wait_for_selector("[data-tag-form]", state="hidden")
    # Opening the form again reads their version (and its ETag); cancelled, it changes
    # nothing, and the undo still must not write over their version.
    page.locator(f'[data-annotation-id="{tag.pk}"]').first.click()
    page.locator("[data-annotation-card] [data-action=edit]").click()
    page.wait_for_selector("[data-tag-form]:not([hidden])")
    page.keyboard.press("Escape")

    undo(page, "Not undone")
    assert "changed" in page.locator("[data-message]").inner_text()
    tag.refresh_from_db()
    assert (tag.correction, tag.version) == ("Top diplomat", 3)
    page.locator(f'[data-annotation-id="{tag.pk}"]').first.click()
    card = page.locator("[data-annotation-card]")
    card.wait_for()  # hidden since the form opened: this is the card opened now
    assert "Top diplomat" in card.inner_text()


def test_ctrl_z_brings_a_deleted_tag_back_as_a_new_tag(page, first_claim, reviewer_ann):
    source = SourceFactory(url="https://www.state.gov/", title="State")
    tag = annotate(
        first_claim,
        reviewer_ann,
        "Foreign Minister",
        correction="Secretary",
        note="Checked.",
        severity="critical",
        sources=[source],
    )
    page.reload()
    page.locator(f'[data-annotation-id="{tag.pk}"]').first.click()
    card = page.locator("[data-annotation-card]")
    card.locator("[data-action=delete]").click()
    card.locator("[data-action=confirm-delete]").click()
    page.wait_for_selector("[data-annotation-id]", state="detached")
    assert not Annotation.objects.exists()

    undo(page, "new tag")
    back = Annotation.objects.get()
    assert back.pk != tag.pk
    assert (back.claim, back.start, back.end, back.reviewer) == (
        first_claim,
        tag.start,
        tag.end,
        reviewer_ann,
    )
    assert (back.error_type, back.correction, back.note, back.severity) == (
        tag.error_type,
        "Secretary",
        "Checked.",
        "critical",
    )
    assert list(back.sources.all()) == [source]
    page.wait_for_selector(f'[data-annotation-id="{back.pk}"]')

    undo(page, "Nothing to undo")  # the stack is empty again
    assert Annotation.objects.count() == 1


def test_ctrl_z_in_the_correction_field_undoes_typing_not_a_tag(page):
    tag_with_keys(page, "Foreign Minister", "Secretary of State")
    drag_over(page, "admitted on Monday")
    page.keyboard.press(key_for(page, "wrong-name"))
    page.keyboard.type("Tony")
    page.keyboard.press("Control+z")
    assert page.locator('[name="correction"]').input_value() == ""  # the browser's own undo
    assert page.locator("[data-tag-form]").is_visible()
    assert Annotation.objects.count() == 1
    page.keyboard.press("Escape")
    undo(page, "Undone")  # with the form closed, Ctrl+Z is the page's again
    assert not Annotation.objects.exists()


def test_reloading_with_a_draft_open_asks_first(page):
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    drag_over(page, "Foreign Minister")
    page.keyboard.press(key_for(page, "wrong-title"))
    page.keyboard.type("Secretary of State")
    page.reload()
    assert dialogs == ["beforeunload"]

    drag_over(page, "Foreign Minister")  # nothing typed: nothing to lose, no question
    page.reload()
    assert dialogs == ["beforeunload"]


def test_undo_goes_on_past_a_tag_brought_back(page):
    """Tagged, deleted, Ctrl+Z (back under a new id), Ctrl+Z: the tagging is undone too."""
    tag_with_keys(page, "Foreign Minister", "Secretary of State")
    made = Annotation.objects.get()
    page.locator(f'[data-annotation-id="{made.pk}"]').first.click()
    card = page.locator("[data-annotation-card]")
    card.locator("[data-action=delete]").click()
    card.locator("[data-action=confirm-delete]").click()
    page.wait_for_selector("[data-annotation-id]", state="detached")
    undo(page, "new tag")
    back = Annotation.objects.get()
    page.wait_for_selector(f'[data-annotation-id="{back.pk}"]')
    undo(page, "is removed")
    assert not Annotation.objects.exists()
    assert page.locator("[data-annotation-id]").count() == 0
