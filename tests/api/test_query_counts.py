"""List endpoints run a fixed number of queries, whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from tests.factories import SEED_ARTICLE, SourceFactory, UserFactory, annotate_opening, article
from tests.module_world import world_per_module


def build_busy_article():
    """The seed article, every statement tagged and labelled by Ann and Ben."""
    seed_article = article(SEED_ARTICLE.read_bytes().decode("utf-8"))
    reviewers = [
        UserFactory(username="ann", groups=["reviewer"]),
        UserFactory(username="ben", groups=["reviewer"]),
    ]
    source = SourceFactory()
    for claim in seed_article.claims.filter(kind="statement"):
        for reviewer in reviewers:
            annotate_opening(claim, reviewer, 7, sources=[source])
            services.verdict_set(claim=claim, reviewer=reviewer, label="inaccurate")
    return seed_article


# Built once for the module (the cast fixtures find Ann and Ben in it); each test's changes
# are rolled back.
busy_article_of_the_module = world_per_module(build_busy_article)


@pytest.fixture
def busy_article(busy_article_of_the_module, db):
    return busy_article_of_the_module


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/claims/",
        "/api/v1/annotations/",
        "/api/v1/articles/",
        "/api/v1/sources/",
        "/api/v1/error-types/",
        "/api/v1/verdicts/",
    ],
)
def test_list_query_count_does_not_grow_with_page_size(busy_article, reviewer_ann, api_as, url):
    client = api_as(reviewer_ann)
    # Five rows reach past the heading, so every prefetch has something to fetch.
    small = queries_for(client, f"{url}?page_size=5")
    large = queries_for(client, f"{url}?page_size=200")
    assert small == large


# The token with its user (DRF's own TokenAuthentication since issue 19), the user's own
# permissions and their groups' in one statement (claims/backends.py, kept for its measured
# cost), then the page read and written by the database (claims/api/claim_pages.py). No
# count: a scan of the whole table at a million claims.
CLAIM_PAGE_QUERIES = 3


def test_claim_list_query_budget(busy_article, reviewer_ann, api_as, django_assert_num_queries):
    client = api_as(reviewer_ann)
    with django_assert_num_queries(CLAIM_PAGE_QUERIES) as captured:
        client.get("/api/v1/claims/?page_size=100")
    assert not any("COUNT(" in query["sql"].upper() for query in captured.captured_queries)


def test_a_deep_claim_page_runs_the_queries_of_the_first(
    busy_article, reviewer_ann, api_as, django_assert_num_queries
):
    client = api_as(reviewer_ann)
    first = client.get("/api/v1/claims/?page_size=5").json()
    with django_assert_num_queries(CLAIM_PAGE_QUERIES):
        later = client.get(first["next"]).json()
    assert later["results"][0]["order"] == 5


def test_article_detail_query_count_does_not_grow_with_annotations(
    busy_article, reviewer_ann, api_as
):
    client = api_as(reviewer_ann)
    before = queries_for(client, f"/api/v1/articles/{busy_article.pk}/")
    for claim in busy_article.claims.filter(kind="quote"):
        annotate_opening(claim, reviewer_ann, 3, slug="misquote")
    assert queries_for(client, f"/api/v1/articles/{busy_article.pk}/") == before
