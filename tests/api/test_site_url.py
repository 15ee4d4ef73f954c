"""The addresses in linked-data exports (W3C ids, ClaimReview urls): FACTCHECK_SITE_URL when
it is set, else the origin the request came to (the app at 127.0.0.1:8123 does not call
itself localhost:8000); the command, which has no request, takes --site-url."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from claims.models import Annotation

ORIGIN = "http://factcheck.test:8123"
HOST = {"HTTP_HOST": "factcheck.test:8123"}


@pytest.fixture(autouse=True)
def unset(settings):
    settings.FACTCHECK_SITE_URL = ""
    settings.FACTCHECK_ORGANIZATION_URL = ""
    settings.ALLOWED_HOSTS = ["factcheck.test", "localhost"]


@pytest.fixture
def seeded(db):
    call_command("load_seeds", stdout=io.StringIO())


def read(response) -> str:
    assert response.status_code == 200, response.content
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def w3c_ids(document: dict) -> list[str]:
    pages = [node for node in document["@graph"] if node["type"] == "AnnotationPage"]
    collections = [node["id"] for node in document["@graph"] if node["type"] != "AnnotationPage"]
    return collections + [item["id"] for page in pages for item in page["items"]]


def test_w3c_ids_use_the_requests_origin(seeded, editor_eve, api_as):
    response = api_as(editor_eve).get("/api/v1/export/claims?format=w3c", **HOST)
    ids = w3c_ids(json.loads(read(response)))
    assert len(ids) > 1
    assert all(id.startswith(f"{ORIGIN}/api/v1/") for id in ids), ids[:3]


def test_claimreview_urls_and_author_use_the_requests_origin(seeded, editor_eve, api_as):
    response = api_as(editor_eve).get("/api/v1/export/claims?format=claimreview", **HOST)
    reviews = json.loads(read(response))
    assert reviews
    for review in reviews:
        assert review["url"].startswith(f"{ORIGIN}/api/v1/claims/")
        assert review["author"]["url"] == ORIGIN


def test_the_embeddable_markup_and_an_annotations_page_use_it_too(seeded, editor_eve, api_as):
    client = api_as(editor_eve)
    annotation = Annotation.objects.first()
    markup = read(
        client.get(f"/api/v1/articles/{annotation.claim.article_id}/claimreview.html", **HOST)
    )
    assert f'"url": "{ORIGIN}/api/v1/claims/' in markup or f'"url":"{ORIGIN}/api/v1/claims/' in (
        markup
    )
    assert "localhost" not in markup
    page = client.get(
        f"/api/v1/annotations/{annotation.pk}/", HTTP_ACCEPT="application/ld+json", **HOST
    )
    assert json.loads(read(page))["id"] == f"{ORIGIN}/api/v1/annotations/{annotation.pk}/"


def test_a_request_over_https_gives_https_addresses(seeded, editor_eve, api_as):
    response = api_as(editor_eve).get(
        "/api/v1/export/claims?format=claimreview", secure=True, HTTP_HOST="factcheck.test"
    )
    assert json.loads(read(response))[0]["url"].startswith("https://factcheck.test/api/v1/")


def test_a_set_site_url_wins_over_the_request(seeded, editor_eve, api_as, settings):
    settings.FACTCHECK_SITE_URL = "https://checks.example"
    response = api_as(editor_eve).get("/api/v1/export/claims?format=w3c", **HOST)
    ids = w3c_ids(json.loads(read(response)))
    assert all(id.startswith("https://checks.example/api/v1/") for id in ids)
    reviews = json.loads(
        read(api_as(editor_eve).get("/api/v1/export/claims?format=claimreview", **HOST))
    )
    assert reviews[0]["author"]["url"] == "https://checks.example"


def command_ids(*arguments) -> list[str]:
    out = io.StringIO()
    call_command("export_claims", "--format", "w3c", *arguments, stdout=out)
    return w3c_ids(json.loads(out.getvalue()))


def test_the_command_takes_site_url_and_says_its_default(seeded, editor_eve, api_as, capsys):
    # A request just before must not leave its origin behind.
    read(api_as(editor_eve).get("/api/v1/export/claims?format=w3c", **HOST))
    assert all(id.startswith("http://localhost:8000/") for id in command_ids())
    ids = command_ids("--site-url", "https://checks.example/")
    assert all(id.startswith("https://checks.example/api/v1/") for id in ids)
    with pytest.raises(CommandError, match="--site-url"):
        command_ids("--site-url", "checks.example")
    with pytest.raises(SystemExit):
        call_command("export_claims", "--help")
    assert "http://localhost:8000" in " ".join(capsys.readouterr().out.split())


def test_the_command_takes_the_setting_when_set(seeded, settings):
    settings.FACTCHECK_SITE_URL = "https://checks.example"
    assert all(id.startswith("https://checks.example/") for id in command_ids())
