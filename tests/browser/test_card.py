"""A highlight's card in a real browser: however long what it shows, it fits the window."""

import pytest
from django.conf import settings

from tests.browser.workspace import workspace_path
from tests.factories import annotate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_card_with_the_longest_correction_fits_the_window_and_scrolls(
    open_as, seed_article, reviewer_ann
):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    longest = "Secretary " * (settings.FACTCHECK_MAX_NOTE_CHARS // 10)  # 20,000: the limit
    tag = annotate(claim, reviewer_ann, "Foreign Minister", correction=longest)
    page = open_as(reviewer_ann, workspace_path(seed_article), height=900)
    page.locator(f'[data-annotation-id="{tag.pk}"]').first.click()
    card = page.locator("[data-annotation-card]")
    card.wait_for()
    box = card.bounding_box()
    assert box["height"] <= 900
    assert box["y"] >= 0 and box["y"] + box["height"] <= 900  # all of it in the window
    assert card.evaluate("(c) => c.scrollHeight > c.clientHeight")
    assert card.evaluate("(c) => getComputedStyle(c).overflowY") == "auto"
    card.evaluate("(c) => { c.scrollTop = c.scrollHeight; }")
    assert card.evaluate("(c) => c.scrollTop") > 0
