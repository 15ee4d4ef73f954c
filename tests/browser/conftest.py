"""Real-browser tests of the annotation workspace: Playwright driving the system Chromium.

Browsers are not downloaded: Playwright launches the Chromium from the machine's package
manager (``apt-get install chromium``), or the one named by ``$CHROMIUM``. Without one these
tests skip with the reason in the summary (``-ra``); CI sets ``FACTCHECK_REQUIRE_BROWSER=1``,
which turns that skip into a failure.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.test import Client

# Playwright's sync API runs an event loop in this thread; Django would then refuse the
# database calls the tests make between browser steps. They are sequential, so it is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    candidates = [
        os.environ.get("CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ]
    return next((c for c in candidates if c and Path(c).exists()), None)


def no_browser(reason: str):
    if os.environ.get("FACTCHECK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (FACTCHECK_REQUIRE_BROWSER=1: the browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def reference_rows(django_db_setup, django_db_blocker) -> str:
    """The rows migrations load (roles, their permissions, the error taxonomy), serialized
    when the test database was made. Starting Playwright can leave Django with a fresh
    connection object that lacks them, so the rollback of a transactional test would not
    restore them; ``restore_reference_rows`` does, from this copy."""
    from django.db import connection

    return getattr(connection, "_test_serialized_contents", None)


@pytest.fixture(autouse=True)
def restore_reference_rows(reference_rows, transactional_db):
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    from claims.roles import Role

    if not reference_rows:
        return
    if not Group.objects.filter(name=Role.REVIEWER).exists():
        # Emptied by a flush that recreated content types and permissions with new ids:
        # empty it again, without that, and load the rows as they were made.
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(reference_rows)
    # So that this test's own flush and the next test's set-up restore them, as Django does.
    connection._test_serialized_contents = reference_rows


@pytest.fixture(scope="session")
def browser(reference_rows):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        no_browser("browser tests skipped: the playwright package is not installed")
    path = chromium_path()
    if path is None:
        no_browser(
            "browser tests skipped: no Chromium found; install it (apt-get install chromium) "
            "or set CHROMIUM=/path/to/chromium"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def open_as(browser, live_server):
    """A fresh browser page logged in as ``user`` (by session cookie), at ``path``."""
    contexts, errors = [], []

    def open_page(user, path: str, width: int = 1400, height: int = 900):
        client = Client()
        client.force_login(user)
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        session = client.cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.set_default_timeout(10_000)
        page.goto(live_server.url + path)
        return page

    yield open_page
    for context in contexts:
        # Let requests in flight finish first: a live-server thread still answering after
        # the test has released the shared SQLite connection would fail in the background.
        for page in context.pages:
            page.wait_for_load_state("networkidle")
        context.close()
    assert errors == [], "the page's JavaScript failed"
