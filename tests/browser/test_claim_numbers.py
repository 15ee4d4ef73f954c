"""The workspace numbers claims as the API does (the claim's id)."""

import pytest

from tests.browser.workspace import drag_over, workspace_path
from tests.factories import article, assign, token_client

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_workspace_says_the_number_the_api_gives_each_claim(open_as, reviewer_ann):
    article("An earlier story\n\nIt rained. Roads flooded. Crews came.")  # ids ≠ positions
    story = article("The later story\n\nThe mayor said ten roads flooded. Crews arrived.")
    assign(story, reviewer_ann)
    rows = token_client(reviewer_ann).get("/api/v1/claims/", {"article": story.pk}).json()
    numbers = {row["text"]: row["id"] for row in rows["results"]}
    page = open_as(reviewer_ann, workspace_path(story))
    heading = page.locator("[data-claim-heading]")
    for text in ["The later story", "The mayor said ten roads flooded.", "Crews arrived."]:
        current = page.locator(".fc-claim.fc-current").inner_text()
        assert current == text
        assert heading.inner_text().split(" (")[0] == f"Claim #{numbers[text]}"
        page.keyboard.press("j")
    drag_over(page, "ten roads")
    where = page.locator("[data-form-where]").inner_text()
    assert where.startswith(f"claim #{numbers['The mayor said ten roads flooded.']},")
