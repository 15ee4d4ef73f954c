"""The claim list pages by keyset (cursor links), and still by page number for old clients."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from tests.api.listing import claim_ids
from tests.factories import annotate_opening, article


@pytest.fixture
def three_articles(seed_article):
    """The seed article (30 claims) between two short ones, so pages cross articles."""
    first = article("Rain fell on Monday. Roads flooded. Schools closed early.", title="Rain")
    last = article("The mayor spoke. She promised help. Crews arrived.", title="Mayor")
    return [first, seed_article, last]


def reading_order() -> list[int]:
    return list(Claim.objects.order_by("article_id", "order").values_list("pk", flat=True))


def test_following_next_links_reads_every_claim_once_in_reading_order(
    three_articles, reviewer_ann, api_as
):
    client = api_as(reviewer_ann)
    assert claim_ids(client, "/api/v1/claims/?page_size=7") == reading_order()


def test_previous_links_lead_back_through_the_same_pages(three_articles, reviewer_ann, api_as):
    client = api_as(reviewer_ann)
    page = client.get("/api/v1/claims/?page_size=7").json()
    assert page["previous"] is None  # the first page says so
    forward = [[claim["id"] for claim in page["results"]]]
    while page["next"]:
        page = client.get(page["next"]).json()
        forward.append([claim["id"] for claim in page["results"]])
    backward = [forward[-1]]
    while page["previous"]:
        page = client.get(page["previous"]).json()
        backward.append([claim["id"] for claim in page["results"]])
    assert backward[::-1] == forward
    assert len(forward) == -(-len(reading_order()) // 7)


def test_the_last_page_has_no_next_and_the_first_no_previous(three_articles, reviewer_ann, api_as):
    client = api_as(reviewer_ann)
    everything = client.get("/api/v1/claims/?page_size=500").json()
    assert everything["next"] is None and everything["previous"] is None
    assert [claim["id"] for claim in everything["results"]] == reading_order()


def test_links_keep_the_filters(three_articles, reviewer_ann, api_as):
    seed = three_articles[1]
    every_other = seed.claims.order_by("order")[::2]
    tagged = [annotate_opening(claim, reviewer_ann, 4).claim_id for claim in every_other]
    client = api_as(reviewer_ann)
    first = client.get("/api/v1/claims/?has_errors=true&page_size=4").json()
    assert "has_errors=true" in first["next"]
    assert claim_ids(client, "/api/v1/claims/?has_errors=true&page_size=4") == tagged


def test_a_cursor_page_is_read_from_the_index_not_by_skipping_rows(
    three_articles, reviewer_ann, api_as
):
    client = api_as(reviewer_ann)
    deep = client.get("/api/v1/claims/?page_size=10").json()["next"]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(deep).status_code == 200
    claims_query = next(q["sql"] for q in captured if 'FROM "claims_claim"' in q["sql"])
    assert "OFFSET" not in claims_query.upper()
    # One row comparison on the (article_id, order) index's own columns.
    assert re.search(r'\((\S+\.)?"?article_id"?, (\S+\.)?"order"\) >', claims_query), claims_query


def test_page_numbers_still_work_with_links_by_number(three_articles, reviewer_ann, api_as):
    client = api_as(reviewer_ann)
    second = client.get("/api/v1/claims/?page=2&page_size=7").json()
    assert [claim["id"] for claim in second["results"]] == reading_order()[7:14]
    assert "page=3" in second["next"] and "page=1" in second["previous"]
    assert "count" not in second  # counting a million claims costs a scan, every request


@pytest.mark.parametrize("page", ["0", "-1", "two", "99", "²"])
def test_a_page_number_that_is_not_a_page_is_a_404(three_articles, reviewer_ann, api_as, page):
    response = api_as(reviewer_ann).get("/api/v1/claims/", {"page": page, "page_size": 7})
    assert response.status_code == 404
    assert "page" in response.json()["detail"]


# Not a cursor; a direction that is neither n nor p; a negative key; a non-ASCII digit;
# a key past any integer column.
@pytest.mark.parametrize("cursor", ["not a cursor", "x.1.2", "n.-1.2", "n.².2", "n.1." + "9" * 30])
def test_a_cursor_the_api_did_not_give_is_a_400_naming_it(
    three_articles, reviewer_ann, api_as, cursor
):
    response = api_as(reviewer_ann).get("/api/v1/claims/", {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_a_cursor_wins_over_a_page_number(three_articles, reviewer_ann, api_as):
    client = api_as(reviewer_ann)
    first = client.get("/api/v1/claims/?page_size=5").json()
    cursor = parse_qs(urlsplit(first["next"]).query)["cursor"][0]
    both = client.get("/api/v1/claims/", {"cursor": cursor, "page": 3, "page_size": 5}).json()
    assert [claim["id"] for claim in both["results"]] == reading_order()[5:10]
