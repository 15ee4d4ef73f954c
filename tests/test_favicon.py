"""The site's icon: linked from every admin page, and at /favicon.ico for the pages that
name none (the API's browsable pages, error pages), which browsers ask for on their own."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

ICON_LINK = re.compile(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">')


@pytest.fixture
def static_client():
    """A client whose WhiteNoise serves the apps' static files, as `runserver` does; the
    suite's own runs without them (nothing is collected)."""
    with override_settings(WHITENOISE_USE_FINDERS=True):
        yield Client()


def test_favicon_ico_is_the_sites_icon(static_client, db):
    response = static_client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in b"".join(response.streaming_content)


@pytest.mark.parametrize("signed_in", [False, True])
def test_admin_pages_link_an_icon_that_resolves(static_client, editor_eve, signed_in):
    if signed_in:
        static_client.force_login(editor_eve)
    page = static_client.get(reverse("admin:index" if signed_in else "admin:login"))
    assert page.status_code == 200
    [href] = ICON_LINK.findall(page.content.decode())
    icon = static_client.get(href)
    assert icon.status_code == 200
    assert icon["Content-Type"].startswith("image/svg+xml")
