"""Tagging in a real browser: select, one key, the correction, Enter; no page load."""

import pytest

from claims.models import Annotation, Assignment
from tests.browser.workspace import (
    drag_over,
    key_for,
    mark_page,
    not_reloaded,
    select_utf16,
    wait_for_saved_tag,
    workspace_path,
)
from tests.factories import SourceFactory, article, assign

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STATE_BIO = "https://www.state.gov/biographies/antony-j-blinken/"


def test_reviewer_logs_in_drags_over_foreign_minister_and_tags_it_without_a_reload(
    browser, live_server, seed_article, reviewer_ann
):
    assign(seed_article, reviewer_ann)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next={workspace_path(seed_article)}")
    page.fill("#id_username", "ann")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_selector("[data-article-text]")
    mark_page(page)

    drag_over(page, "Foreign Minister")
    page.wait_for_selector("[data-tag-form]:not([hidden])")
    assert page.locator("[data-form-quote]").inner_text() == "Foreign Minister"
    page.keyboard.press(key_for(page, "wrong-title"))
    assert page.locator('[data-error-type="wrong-title"]').get_attribute("aria-pressed") == "true"
    page.keyboard.type("Secretary of State")  # the key moved the focus to the correction
    page.fill('[name="source-url"]', STATE_BIO)
    page.fill('[name="source-title"]', "Antony J. Blinken")
    page.locator('[name="source-title"]').press("Enter")

    highlight = page.locator("[data-annotation-id]").first
    highlight.wait_for()
    tag = Annotation.objects.get()
    assert (tag.start, tag.end, tag.quote) == (65, 81, "Foreign Minister")
    assert seed_article.text[tag.start : tag.end] == "Foreign Minister"
    assert (tag.error_type.slug, tag.correction, tag.reviewer) == (
        "wrong-title",
        "Secretary of State",
        reviewer_ann,
    )
    assert [(s.url, s.title) for s in tag.sources.all()] == [(STATE_BIO, "Antony J. Blinken")]
    assert highlight.get_attribute("data-annotation-id") == str(tag.pk)
    assert highlight.inner_text() == "Foreign Minister"
    assert not_reloaded(page)
    assert page.locator("[data-progress]").inner_text().endswith("1 error tagged")
    assert (
        page.evaluate("document.querySelector('[data-article-text]').textContent")
        == seed_article.text
    )  # highlights wrap text, never add any
    context.close()


EMOJI_STORY = (
    "Fans 👍🏽 cheered 🇺🇸 and said « Montréal » as the Foreign Minister arrived.\n\n"
    "A second paragraph."
)


@pytest.fixture
def emoji_article(reviewer_ann):
    story = article(EMOJI_STORY, title="Emoji first")
    assign(story, reviewer_ann)
    return story


def test_offsets_are_code_points_after_emoji(open_as, emoji_article, reviewer_ann):
    page = open_as(reviewer_ann, workspace_path(emoji_article))
    drag_over(page, "Foreign Minister")
    page.keyboard.press(key_for(page, "wrong-title"))
    page.keyboard.type("Secretary of State")
    page.keyboard.press("Enter")
    wait_for_saved_tag(page)
    tag = Annotation.objects.get()
    start = EMOJI_STORY.index("Foreign Minister")  # Python: code points
    assert (tag.start, tag.end) == (start, start + len("Foreign Minister"))
    utf16_start = page.evaluate(
        "document.querySelector('[data-article-text]').textContent.indexOf('Foreign Minister')"
    )
    assert utf16_start == start + 4  # four code points outside the BMP came before it


def test_a_selection_cutting_an_emoji_is_snapped_to_the_whole_emoji(
    open_as, emoji_article, reviewer_ann
):
    page = open_as(reviewer_ann, workspace_path(emoji_article))
    # UTF-16 5..7 is the thumb without its skin-tone modifier (7..9): half a character.
    select_utf16(page, 4, 7)  # the space before is trimmed, the modifier pulled in
    page.wait_for_selector("[data-tag-form]:not([hidden])")
    assert page.locator("[data-form-quote]").inner_text() == "👍🏽"
    page.keyboard.press(key_for(page, "misquote"))
    page.keyboard.press("Enter")
    wait_for_saved_tag(page)
    tag = Annotation.objects.get()
    assert (tag.start, tag.end, tag.quote) == (5, 7, "👍🏽")


def test_a_selection_across_two_claims_is_refused_with_a_message(
    open_as, seed_article, reviewer_ann
):
    assign(seed_article, reviewer_ann)
    page = open_as(reviewer_ann, workspace_path(seed_article))
    text = seed_article.text
    start = text.index("communications .") + len("communications")
    end = text.index("I think it’s absolutely")
    select_utf16(page, start, end + 7)
    message = page.locator("[data-message]")
    message.wait_for()
    assert "spans two claims" in message.inner_text()
    assert page.locator("[data-tag-form]").is_hidden()


def test_keyboard_only_tagging(open_as, seed_article, reviewer_ann):
    assign(seed_article, reviewer_ann)
    page = open_as(reviewer_ann, workspace_path(seed_article))
    mark_page(page)
    page.keyboard.press("j")  # the headline is current on load: on to claim #1
    assert page.locator(".fc-claim.fc-current").inner_text().startswith("Foreign Minister")
    page.keyboard.press("Control+Shift+ArrowRight")  # "Foreign"
    page.keyboard.press("Control+Shift+ArrowRight")  # "Foreign Minister"
    assert page.locator("[data-form-quote]").inner_text() == "Foreign Minister"
    page.keyboard.press(key_for(page, "wrong-title"))
    page.keyboard.type("Secretary of State")
    page.keyboard.press("Enter")
    wait_for_saved_tag(page)
    tag = Annotation.objects.get()
    assert (tag.start, tag.end, tag.correction) == (65, 81, "Secretary of State")
    assert not_reloaded(page)


def test_j_and_k_move_between_claims_and_scroll_the_current_one_into_view(
    open_as, seed_article, reviewer_ann
):
    assign(seed_article, reviewer_ann)
    page = open_as(reviewer_ann, workspace_path(seed_article), height=500)
    claims = list(seed_article.claims.order_by("order"))
    for _ in range(25):
        page.keyboard.press("j")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("k")
    current = page.locator(".fc-claim.fc-current")
    assert current.get_attribute("data-claim-id") == str(claims[23].pk)
    assert page.locator("[data-claim-heading]").inner_text().startswith(f"Claim #{claims[23].pk}")
    in_view = (
        "(el) => { const r = el.getBoundingClientRect(); "
        "return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )
    assert current.evaluate(in_view)


def test_verdict_keys_mark_the_claim_reviewed_and_the_review_can_be_submitted(
    open_as, seed_article, reviewer_ann
):
    assign(seed_article, reviewer_ann)
    page = open_as(reviewer_ann, workspace_path(seed_article))
    claims = list(seed_article.claims.order_by("order"))
    page.keyboard.press("j")  # claim #1
    page.keyboard.press("i")  # inaccurate
    current = page.locator(f'[data-claim-id="{claims[1].pk}"]')
    page.wait_for_function(
        f"document.querySelector('[data-claim-id=\"{claims[1].pk}\"]')"
        ".classList.contains('fc-reviewed')"
    )
    assert "Reviewed: Inaccurate" in page.locator("[data-reviewed-state]").inner_text()
    assert page.locator("[data-progress]").inner_text().startswith(f"1 of {len(claims)} claims")
    assert current.is_visible()
    assert claims[1].verdicts.get().label == "inaccurate"
    page.keyboard.press("k")
    page.keyboard.press("a")
    page.wait_for_selector("[data-progress]:has-text('2 of')")
    assert claims[0].verdicts.get().label == "accurate"

    page.click("[data-action=submit-review]")  # asks once more, in a dialog
    page.click("[data-submit-dialog] [data-action=confirm-submit]")
    page.wait_for_selector("[data-review-state]:has-text('submitted')")
    assert Assignment.objects.get().state == Assignment.State.SUBMITTED
    assert page.locator("[data-verdict]").first.is_disabled()


def test_an_existing_source_is_found_by_search_and_cited(open_as, seed_article, reviewer_ann):
    assign(seed_article, reviewer_ann)
    bio = SourceFactory(url=STATE_BIO, title="Antony J. Blinken")
    SourceFactory(url="https://example.org/unrelated", title="Rates rise")
    page = open_as(reviewer_ann, workspace_path(seed_article))
    drag_over(page, "Foreign Minister")
    page.keyboard.press(key_for(page, "wrong-title"))
    page.fill('[name="source-search"]', "state.gov")
    page.locator(f'[data-source-results] [data-source-id="{bio.pk}"]').click()
    assert page.locator("[data-source-results] li").count() == 0
    page.locator('[name="correction"]').press("Enter")
    wait_for_saved_tag(page)
    assert list(Annotation.objects.get().sources.all()) == [bio]
