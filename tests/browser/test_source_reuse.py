"""A source typed in the workspace by an address its writer already stored is that one."""

import pytest

from claims.models import Annotation, Source
from tests.browser.workspace import drag_over, key_for, wait_for_saved_tag, workspace_path
from tests.factories import SourceFactory, assign

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_ones_own_stored_source_typed_again_is_cited_not_copied(
    open_as, seed_article, reviewer_ann
):
    assign(seed_article, reviewer_ann)
    bio = SourceFactory(  # Ann's own, stored before: only one's own is reused
        url="https://www.state.gov/biographies/antony-j-blinken/",
        title="Antony J. Blinken",
        added_by=reviewer_ann,
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


def test_anothers_source_of_the_address_is_not_cited(open_as, seed_article, reviewer_ann):
    """Someone else's source may back their unsubmitted work: Ann gets her own."""
    assign(seed_article, reviewer_ann)
    theirs = SourceFactory(url="https://www.state.gov/biographies/antony-j-blinken/")
    page = open_as(reviewer_ann, workspace_path(seed_article))
    drag_over(page, "Foreign Minister")
    page.keyboard.press(key_for(page, "wrong-title"))
    page.fill('[name="source-url"]', "https://WWW.State.gov/biographies/antony-j-blinken/#career")
    page.fill('[name="source-title"]', "Blinken's page")
    page.locator('[name="source-title"]').press("Enter")
    wait_for_saved_tag(page)

    [cited] = Annotation.objects.get().sources.all()
    assert cited != theirs
    assert (cited.added_by, cited.title) == (reviewer_ann, "Blinken's page")
    assert Source.objects.count() == 2
