"""One reviewer, two tabs on the same article: what each tab shows when the other wrote first."""

import pytest

from claims.models import Annotation
from tests.browser.workspace import workspace_path
from tests.factories import annotate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DELETED = "This tag was deleted (in another tab or by someone else)."


@pytest.fixture
def first_claim(seed_article):
    return seed_article.claims.get(text__startswith="Foreign Minister")


@pytest.fixture
def tag(first_claim, reviewer_ann):
    return annotate(first_claim, reviewer_ann, "Foreign Minister", correction="Secretary")


@pytest.fixture
def two_tabs(open_as, seed_article, reviewer_ann, tag):
    """Two pages in one browser context: the same login, as two tabs are."""
    first = open_as(reviewer_ann, workspace_path(seed_article))
    second = first.context.new_page()
    errors = []
    second.on("pageerror", lambda error: errors.append(str(error)))
    second.set_default_timeout(10_000)
    second.goto(first.url)
    yield first, second
    assert errors == [], "the second tab's JavaScript failed"


def open_edit_form(page, tag) -> None:
    page.locator(f'[data-annotation-id="{tag.pk}"]').first.click()
    page.locator("[data-annotation-card] [data-action=edit]").click()
    page.wait_for_selector("[data-tag-form]:not([hidden])")


def edit(page, tag, *, correction, error_type=None, note=None) -> None:
    open_edit_form(page, tag)
    if error_type:
        page.locator(f'[data-tag-form] [data-error-type="{error_type}"]').click()
    if note is not None:
        page.fill('[name="note"]', note)
    page.fill('[name="correction"]', correction)
    page.locator('[name="correction"]').press("Enter")
    page.wait_for_selector("[data-tag-form]", state="hidden")


def card_text(page, tag) -> str:
    page.locator(f'[data-annotation-id="{tag.pk}"]').first.click()
    card = page.locator("[data-annotation-card]")
    card.wait_for()
    text = card.inner_text()
    page.keyboard.press("Escape")
    return text


def conflict_in_first_tab(first, second, tag) -> list[str]:
    """Tab one opens the form, tab two saves another version, tab one presses Enter.
    Returns the methods of the writes tab one sent for the tag."""
    writes = []
    first.on(
        "request",
        lambda r: writes.append(r.method) if r.method != "GET" and f"/{tag.pk}/" in r.url else None,
    )
    open_edit_form(first, tag)
    first.fill('[name="correction"]', "Secretary of State")
    edit(second, tag, correction="Top diplomat", error_type="wrong-name", note="From tab two")
    first.locator('[name="correction"]').press("Enter")
    first.locator("[data-conflict]").wait_for()
    return writes


def test_a_stale_edit_shows_theirs_beside_mine_and_enter_does_not_resend_it(two_tabs, tag):
    first, second = two_tabs
    writes = conflict_in_first_tab(first, second, tag)
    conflict = first.locator("[data-conflict]")
    message = conflict.inner_text()
    assert "reload" not in message.lower()  # the input stays here: no advice to throw it away
    assert "nothing of yours was saved" in message.lower()
    correction = conflict.locator('[data-conflict-field="correction"]')
    assert correction.locator("[data-theirs]").inner_text() == "Top diplomat"
    assert correction.locator("[data-mine]").inner_text() == "Secretary of State"
    kind = conflict.locator('[data-conflict-field="error_type"]')
    assert kind.locator("[data-theirs]").inner_text() == "Wrong name"
    assert kind.locator("[data-mine]").inner_text() == "Wrong title or role"
    note = conflict.locator('[data-conflict-field="note"]')
    assert note.locator("[data-theirs]").inner_text() == "From tab two"
    assert conflict.locator('[data-conflict-field="severity"]').count() == 0  # the same on both
    assert first.locator('[name="correction"]').input_value() == "Secretary of State"

    first.locator('[name="correction"]').press("Enter")
    first.wait_for_selector("[data-form-error]:has-text('Use mine')")
    assert writes == ["PATCH"]  # the second Enter sent nothing
    tag.refresh_from_db()
    assert (tag.correction, tag.version) == ("Top diplomat", 2)


def test_use_mine_saves_my_input_over_theirs(two_tabs, tag):
    first, second = two_tabs
    conflict_in_first_tab(first, second, tag)
    first.locator("[data-conflict] [data-action=use-mine]").click()
    first.wait_for_selector("[data-tag-form]", state="hidden")
    tag.refresh_from_db()
    assert (tag.correction, tag.error_type.slug, tag.note) == (
        "Secretary of State",
        "wrong-title",
        "",
    )
    highlight = first.locator(f'[data-annotation-id="{tag.pk}"]').first
    assert highlight.get_attribute("data-error-type") == "wrong-title"
    assert "Secretary of State" in card_text(first, tag)


def test_take_theirs_shows_their_version_and_the_next_edit_saves(two_tabs, tag):
    first, second = two_tabs
    conflict_in_first_tab(first, second, tag)
    first.locator("[data-conflict] [data-action=take-theirs]").click()
    first.wait_for_selector("[data-tag-form]", state="hidden")
    tag.refresh_from_db()
    assert (tag.correction, tag.version) == ("Top diplomat", 2)
    highlight = first.locator(f'[data-annotation-id="{tag.pk}"]').first
    assert highlight.get_attribute("data-error-type") == "wrong-name"
    card = card_text(first, tag)
    assert "Top diplomat" in card and "From tab two" in card and "Secretary" not in card

    edit(first, tag, correction="Secretary of State")  # with the ETag of their version
    tag.refresh_from_db()
    assert (tag.correction, tag.note, tag.version) == ("Secretary of State", "From tab two", 3)


def delete_in(page, tag) -> None:
    page.locator(f'[data-annotation-id="{tag.pk}"]').first.click()
    card = page.locator("[data-annotation-card]")
    card.locator("[data-action=delete]").click()
    card.locator("[data-action=confirm-delete]").click()
    page.wait_for_selector(f'[data-annotation-id="{tag.pk}"]', state="detached")


def test_saving_a_tag_deleted_in_another_tab_says_so_and_removes_it(two_tabs, tag):
    first, second = two_tabs
    open_edit_form(first, tag)
    first.fill('[name="correction"]', "Secretary of State")
    delete_in(second, tag)
    first.locator('[name="correction"]').press("Enter")
    first.wait_for_selector(f"[data-message]:has-text('{DELETED}')")
    assert first.locator(f'[data-annotation-id="{tag.pk}"]').count() == 0
    assert first.locator("[data-tag-form]").is_hidden()
    assert first.locator("[data-progress]").inner_text().endswith("0 errors tagged")
    assert not Annotation.objects.exists()


def test_editing_or_deleting_a_tag_deleted_in_another_tab_says_so_and_removes_it(two_tabs, tag):
    first, second = two_tabs
    delete_in(second, tag)
    first.locator(f'[data-annotation-id="{tag.pk}"]').first.click()
    first.locator("[data-annotation-card] [data-action=edit]").click()
    first.wait_for_selector(f"[data-message]:has-text('{DELETED}')")
    assert first.locator(f'[data-annotation-id="{tag.pk}"]').count() == 0
    assert first.locator("[data-annotation-card]").is_hidden()

    # And a delete of a tag deleted meanwhile.
    other = annotate(tag.claim, tag.reviewer, "Antony Blinken", slug="wrong-name")
    first.reload()
    second.reload()
    delete_in(second, other)
    first.locator(f'[data-annotation-id="{other.pk}"]').first.click()
    card = first.locator("[data-annotation-card]")
    card.locator("[data-action=delete]").click()
    card.locator("[data-action=confirm-delete]").click()
    first.wait_for_selector(f"[data-message]:has-text('{DELETED}')")
    assert first.locator(f'[data-annotation-id="{other.pk}"]').count() == 0
