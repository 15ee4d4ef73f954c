"""The README's screenshots of the workspace, taken by the same browser machinery as the tests.

Every run takes them (into a temporary folder) so the code path stays tested;
``docs/screenshots.sh`` sets ``FACTCHECK_SCREENSHOTS=docs`` to write the committed PNGs.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from claims.models import Article
from claims.seeding import load_seeds
from tests.browser.workspace import drag_over, key_for, workspace_path
from tests.factories import UserFactory, annotate, assign

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def folder(tmp_path) -> Path:
    wanted = os.environ.get("FACTCHECK_SCREENSHOTS")
    return Path(settings.BASE_DIR / wanted) if wanted else tmp_path


@pytest.fixture
def seeded():
    """The seeds as ``make run`` loads them: ann's and ben's submitted reviews, eve's labels."""
    load_seeds(settings.BASE_DIR / "seeds")
    return Article.objects.get()


def shoot(page, path: Path) -> None:
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000  # a real picture, not a blank page


def test_reviewer_view_screenshot(open_as, seeded, folder):
    cara = UserFactory(username="cara", groups=["reviewer"])
    assign(seeded, cara)
    claim = seeded.claims.get(text__contains="long-awaited trip")
    annotate(claim, cara, "government’s", slug="mistranslation", correction="administration’s")
    page = open_as(cara, workspace_path(seeded), width=1400, height=860)
    page.keyboard.press("j")
    page.keyboard.press("i")  # a verdict on claim #1
    page.wait_for_selector(".fc-claim.fc-reviewed")
    drag_over(page, "Foreign Minister")
    page.keyboard.press(key_for(page, "wrong-title"))
    page.keyboard.type("Secretary of State")
    page.fill('[name="source-url"]', "https://www.state.gov/biographies/antony-j-blinken/")
    page.fill('[name="source-title"]', "Antony J. Blinken — U.S. Department of State")
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, folder / "workspace-reviewer.png")


def test_editor_view_screenshot(open_as, seeded, folder):
    eve = UserFactory(username="eve", groups=["editor"])  # the seeds' eve cannot log in
    page = open_as(eve, workspace_path(seeded), width=1400, height=860)
    page.locator("[data-annotation-id]").first.wait_for()
    shoot(page, folder / "workspace-editor.png")
