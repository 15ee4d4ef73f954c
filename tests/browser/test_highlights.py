"""Highlights in a real browser: who sees what, the card, edit and delete, hostile text."""

import json

import pytest

from claims.models import Annotation
from tests.browser.workspace import mark_page, not_reloaded, workspace_path
from tests.factories import SourceFactory, annotate, article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def first_claim(seed_article):
    return seed_article.claims.get(text__startswith="Foreign Minister")


def highlight_ids(page) -> set[int]:
    return set(
        page.evaluate(
            "[...document.querySelectorAll('[data-annotation-id]')]"
            ".map((m) => Number(m.dataset.annotationId))"
        )
    )


def test_reviewer_sees_only_their_own_highlights_until_they_submit(
    open_as, seed_article, first_claim, reviewer_ann, reviewer_ben
):
    bens = annotate(first_claim, reviewer_ben, "Foreign Minister")
    anns = annotate(first_claim, reviewer_ann, "Antony Blinken", slug="wrong-name")
    page = open_as(reviewer_ann, workspace_path(seed_article))
    assert highlight_ids(page) == {anns.pk}
    assert "ben" not in page.content()
    page.click("[data-action=submit-review]")  # asks once more, in a dialog
    page.click("[data-submit-dialog] [data-action=confirm-submit]")
    page.wait_for_selector(f'[data-annotation-id="{bens.pk}"]')
    assert highlight_ids(page) == {anns.pk, bens.pk}


def test_overlapping_annotations_are_drawn_overlapping(
    open_as, seed_article, first_claim, reviewer_ann
):
    title = annotate(first_claim, reviewer_ann, "Foreign Minister")
    name = annotate(first_claim, reviewer_ann, "Minister Antony Blinken", slug="wrong-name")
    page = open_as(reviewer_ann, workspace_path(seed_article))
    pieces = page.evaluate(
        """[...document.querySelectorAll('[data-annotation-id]')].map((m) => [
             Number(m.dataset.annotationId), m.textContent,
             Number(m.parentElement.dataset.annotationId) || null])"""
    )
    assert [title.pk, "Foreign ", None] in pieces
    assert [title.pk, "Minister", None] in pieces
    assert [name.pk, "Minister", title.pk] in pieces  # the shared piece carries both
    assert [name.pk, " Antony Blinken", None] in pieces


def test_click_a_highlight_to_read_edit_and_delete_it(
    open_as, seed_article, first_claim, reviewer_ann
):
    source = SourceFactory(url="https://www.state.gov/biographies/antony-j-blinken/", title="Bio")
    tag = annotate(
        first_claim,
        reviewer_ann,
        "Foreign Minister",
        correction="Secretary",
        note="Checked.",
        sources=[source],
    )
    page = open_as(reviewer_ann, workspace_path(seed_article))
    mark_page(page)
    page.locator(f'[data-annotation-id="{tag.pk}"]').first.click()
    card = page.locator("[data-annotation-card]")
    card.wait_for()
    assert "Tagged by" in card.inner_text() and "ann" in card.inner_text()
    assert "Checked." in card.inner_text()
    assert card.locator("a").get_attribute("href") == source.url

    card.locator("[data-action=edit]").click()
    page.wait_for_selector("[data-tag-form]:not([hidden])")  # filled once the fresh copy is in
    correction = page.locator('[name="correction"]')
    assert correction.input_value() == "Secretary"
    correction.fill("Secretary of State")
    correction.press("Enter")
    page.wait_for_selector("[data-tag-form]", state="hidden")
    tag.refresh_from_db()
    assert (tag.correction, tag.start, tag.end) == ("Secretary of State", 65, 81)
    assert list(tag.sources.all()) == [source]  # kept when not touched

    page.locator(f'[data-annotation-id="{tag.pk}"]').first.click()
    card.locator("[data-action=delete]").click()
    card.locator("[data-action=confirm-delete]").click()
    page.wait_for_selector("[data-annotation-id]", state="detached")
    assert not Annotation.objects.exists()
    assert not_reloaded(page)


def test_a_stale_edit_without_the_current_row_says_nothing_was_saved_and_keeps_the_input(
    open_as, seed_article, first_claim, reviewer_ann
):
    tag = annotate(first_claim, reviewer_ann, "Foreign Minister", correction="Secretary")
    page = open_as(reviewer_ann, workspace_path(seed_article))
    detail = f"**/api/v1/annotations/{tag.pk}/"
    sent = {}

    def versioned(route, request):
        if request.method == "GET":  # as the versioned API answers: with an ETag
            response = route.fetch()
            route.fulfill(response=response, headers={**response.headers, "etag": '"v1"'})
            return
        sent["if-match"] = request.headers.get("if-match")
        route.fulfill(
            status=412,
            content_type="application/json",
            body=json.dumps({"detail": "Ben changed this annotation after you opened it."}),
        )

    page.route(detail, versioned)
    page.locator(f'[data-annotation-id="{tag.pk}"]').first.click()
    page.locator("[data-annotation-card] [data-action=edit]").click()
    page.wait_for_selector("[data-tag-form]:not([hidden])")
    page.fill('[name="correction"]', "Secretary of State")
    page.locator('[name="correction"]').press("Enter")
    error = page.locator("[data-form-error]")
    error.wait_for()
    # Its detail (which says to reload) is not repeated: a reload would lose the input.
    assert "nothing of yours was saved" in error.inner_text()
    assert "reload" not in error.inner_text().lower()
    assert sent["if-match"] == '"v1"'
    assert page.locator('[name="correction"]').input_value() == "Secretary of State"
    tag.refresh_from_db()
    assert tag.correction == "Secretary"


def test_editor_sees_everyone_coloured_per_reviewer_and_filters_by_reviewer(
    open_as, seed_article, first_claim, reviewer_ann, reviewer_ben, editor_eve
):
    anns = annotate(first_claim, reviewer_ann, "Foreign Minister")
    bens = annotate(first_claim, reviewer_ben, "Antony Blinken", slug="wrong-name")
    page = open_as(editor_eve, workspace_path(seed_article))
    assert highlight_ids(page) == {anns.pk, bens.pk}
    colour = (
        "(id) => getComputedStyle(document.querySelector(`[data-annotation-id='${id}']`))"
        ".getPropertyValue('--fc-colour')"
    )
    assert page.evaluate(colour, anns.pk) != page.evaluate(colour, bens.pk)
    page.locator('[data-reviewer-filter="ben"]').uncheck()
    assert highlight_ids(page) == {anns.pk}
    assert page.locator("[data-action=assign-me]").is_visible()


HOSTILE = (
    "<script>window.__pwned = 1</script> The minister said <img src=x "
    'onerror="window.__pwned = 2"> nothing.\n\nSecond <b>paragraph</b>.'
)


def test_hostile_article_stays_inert(open_as, reviewer_ann, editor_eve):
    story = article(HOSTILE, title='<img src=x onerror="window.__pwned = 3">')
    claim = story.claims.first()
    tag = annotate(
        claim,
        reviewer_ann,
        start=claim.start,
        end=claim.start + 8,
        slug="misquote",
        correction='<img src=x onerror="window.__pwned = 4">',
        note="</script><script>window.__pwned = 5</script>",
        sources=[SourceFactory(url="javascript:window.__pwned=6", title="<b>evil</b>")],
    )
    page = open_as(editor_eve, workspace_path(story))
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    text = page.evaluate("document.querySelector('[data-article-text]').textContent")
    assert text == HOSTILE
    page.locator(f'[data-annotation-id="{tag.pk}"]').first.click()
    card = page.locator("[data-annotation-card]")
    card.wait_for()
    assert '<img src=x onerror="window.__pwned = 4">' in card.inner_text()
    assert "<b>evil</b>" in card.inner_text()
    assert card.locator("a").count() == 0  # a javascript: url is never a link
    injected = "[data-article-text] img, [data-article-text] b, .fc-title img"
    assert page.locator(injected).count() == 0
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
