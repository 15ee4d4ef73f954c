"""On PostgreSQL the claim list's page is written by the database (claims/api/claim_pages.py):
the same bytes as the Python path (representations.claim_page through DRF's renderer), for
every reader under blind review, on first, cursor, backward, numbered, filtered and empty
pages, with the strings JSON must escape. Elsewhere the Python path answers."""

import datetime

import pytest
from django.test import override_settings

from claims import services
from claims.api import claim_pages
from claims.models import Annotation, Claim, Source
from tests.api.test_claim_representation import pinned_reviews
from tests.factories import annotate

# What JSON escapes or may mangle: quotes, backslashes, control characters, the two
# characters DRF escapes for JavaScript, astral characters, HTML.
AWKWARD = 'a "q" \\ back\tslash\nline\x01\x1f \u2028\u2029 😀 <b>&amp;</b> ünï'


def both_paths(client, url, monkeypatch) -> tuple[bytes, bytes]:
    by_database = client.get(url)
    assert by_database.status_code == 200, by_database.content
    with monkeypatch.context() as patched:
        patched.setattr(claim_pages, "applies", lambda request, using="default": False)
        by_python = client.get(url)
    assert by_python.status_code == 200, by_python.content
    return by_database.content, by_python.content


@pytest.fixture
def reviewed(seed_article, reviewer_ann, reviewer_ben):
    pinned_reviews(seed_article, reviewer_ann, reviewer_ben)
    claim = seed_article.claims.order_by("order")[3]
    awkward = annotate(claim, reviewer_ben, claim.text[:5], correction=AWKWARD, note=AWKWARD)
    # Two sources whose titles sort the other way from their urls: listed by title.
    awkward.sources.add(
        Source.objects.create(url="https://a.example.org/awk", title=AWKWARD, publisher="P"),
        Source.objects.create(url="https://z.example.org/", title="Zeta report", publisher=""),
    )
    on_the_hour = datetime.datetime(2026, 11, 28, 12, 0, 0, tzinfo=datetime.UTC)
    Annotation.objects.filter(note=AWKWARD).update(created_at=on_the_hour)
    return seed_article


@pytest.mark.parametrize(
    "query",
    [
        "page_size=500",
        "page_size=7",
        "page_size=7&page=3",
        "page_size=7&kind=quote",
        "page_size=7&search=minister",
        "page_size=7&error_type=wrong-name",
        "page_size=7&article=999999999",  # a 400, the same from both
    ],
)
def test_the_database_writes_the_pages_python_would(
    reviewed, reviewer_ann, reviewer_ben, editor_eve, api_as, monkeypatch, query
):
    # Ben has submitted (he sees Ann's work), Ann has not (she sees only her own).
    services.assignment_submit(reviewed.assignments.get(reviewer=reviewer_ben), by=reviewer_ben)
    for reader in (reviewer_ann, reviewer_ben, editor_eve):
        client = api_as(reader)
        url = f"/api/v1/claims/?{query}"
        if "article=" in query:
            assert client.get(url).status_code == 400
            continue
        written, expected = both_paths(client, url, monkeypatch)
        assert written == expected, (reader.username, query)


def test_cursor_pages_both_ways_are_written_alike(reviewed, reviewer_ann, api_as, monkeypatch):
    client = api_as(reviewer_ann)
    page = client.get("/api/v1/claims/?page_size=4").json()
    forward = page["next"]
    written, expected = both_paths(client, forward, monkeypatch)
    assert written == expected
    backward = client.get(forward).json()["previous"]
    assert backward and "cursor=p." in backward
    written, expected = both_paths(client, backward, monkeypatch)
    assert written == expected
    # Backward from the third page: a page with pages before it and after it.
    third = client.get(forward).json()["next"]
    backward = client.get(third).json()["previous"]
    written, expected = both_paths(client, backward, monkeypatch)
    assert written == expected
    links = client.get(backward).json()
    assert "cursor=p." in links["previous"] and "cursor=n." in links["next"]


def test_a_page_number_past_the_end_is_a_404_from_both(reviewed, reviewer_ann, api_as, monkeypatch):
    client = api_as(reviewer_ann)
    url = "/api/v1/claims/?page_size=7&page=1000"
    assert client.get(url).status_code == 404
    with monkeypatch.context() as patched:
        patched.setattr(claim_pages, "applies", lambda request, using="default": False)
        assert client.get(url).status_code == 404


def test_what_the_database_writes_is_what_a_reader_may_see(
    reviewed, reviewer_ann, editor_eve, api_as
):
    hidden = api_as(reviewer_ann).get("/api/v1/claims/?page_size=500").content.decode()
    assert "BEN-ONLY" not in hidden  # Ann's review is open: Ben's work stays hidden
    assert '"created_at":"2026-11-28T23:59:58.123456Z"' in hidden
    shown = api_as(editor_eve).get("/api/v1/claims/?page_size=500").content.decode()
    assert "BEN-ONLY" in shown
    assert '"created_at":"2026-11-28T12:00:00Z"' in shown  # no microseconds: none written
    assert "\\u2028\\u2029" in shown and "\u2028" not in shown


def test_an_empty_page_is_an_empty_list(reviewer_ann, api_as):
    response = api_as(reviewer_ann).get("/api/v1/claims/?page_size=5")
    assert not Claim.objects.exists()
    assert response.content == b'{"next":null,"previous":null,"results":[]}'


def test_the_claim_page_is_three_queries_whatever_its_size(
    reviewed, reviewer_ann, api_as, django_assert_num_queries
):
    client = api_as(reviewer_ann)
    # the token with its user (DRF's own), the user's permissions and their groups' (one
    # statement: claims/backends.py), and the page: its window read inside the statement
    # that writes it
    for size in (1, 500):
        with django_assert_num_queries(3):
            client.get(f"/api/v1/claims/?page_size={size}")


def test_python_writes_the_page_where_the_database_cannot(reviewed, editor_eve, api_as):
    client = api_as(editor_eve)
    browsable = client.get("/api/v1/claims/?page_size=500", HTTP_ACCEPT="text/html")
    assert browsable.status_code == 200 and b"BEN-ONLY" in browsable.content
    assert b"<html" in browsable.content.lower()
    # DRF writes times in the current time zone; the database writes UTC only.
    with override_settings(TIME_ZONE="Europe/Paris"):
        paris = client.get("/api/v1/claims/?page_size=500").content.decode()
    assert '"created_at":"2026-11-29T00:59:58.123456+01:00"' in paris
