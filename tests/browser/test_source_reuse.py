"""A source typed in the workspace by an address already stored is the stored one."""

import pytest

from claims.models import Annotation, Source
from tests.browser.workspace import drag_over, key_for, wait_for_saved_tag, workspace_path
from tests.factories import SourceFactory, assign

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_stored_source_typed_again_is_cited_not_copied(open_as, seed_article, reviewer_ann):
    assign(seed_article, reviewer_ann)
    bio = SourceFactory(
        url="https://www.state.gov/biographies/antony-j-blinken/", title="Antony J. Blinken"
    )
    page = open_as(reviewer_ann, workspace_path(seed_article))
    drag_over(page, "Foreign Minister")
    page.keyboard.press(key_for(page, "wrong-title"))
    page.fill('[name="source-url"]', "https://WWW.State.gov/biographies/antony-j-blinken/#career")
    page.fill('[name="source-title"]', "Blinken's page")
    page.locator('[name="source-title"]').press("Enter")
    wait_for_saved_tag(page)

    assert list(Annotation.objects.get().sources.all()) == [bio]
    assert Source.objects.count() == 1
    bio.refresh_from_db()
    assert bio.title == "Antony J. Blinken"
