"""Long articles are legitimate: a 1 MB transcript once took minutes and gigabytes because
every claim row carried the article's whole text. These tests pin the structure that keeps
it bounded (no claim query selects the text; claims are bulk-created) rather than timings:
bench/large_article.py measures those.

Oversized bodies and fields, refused naming the limit, are in test_oversized_input.py.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Article, Claim
from tests.factories import SEED_ARTICLE, UserFactory, annotate_opening, assign, token_client
from tests.module_world import world_per_module

ARTICLE_TEXT_COLUMN = '"claims_article"."text"'


def long_text(seed_text: str, copies: int) -> str:
    return "".join(f"Part {n}.\n\n{seed_text}\n\n" for n in range(copies))


def selects_of_article_text(captured) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT") and ARTICLE_TEXT_COLUMN in q["sql"]
    ]


def build_long_article() -> Article:
    reviewer_ann = UserFactory(username="ann", groups=["reviewer"])
    editor_eve = UserFactory(username="eve", groups=["editor"])
    # Its own heading: the import test below posts long_text(seed, 3) itself, which must be
    # a new article, not this one found again.
    text = "Transcript\n\n" + long_text(SEED_ARTICLE.read_bytes().decode("utf-8"), 3)
    response = token_client(editor_eve).post(
        "/api/v1/articles/", text.encode(), content_type="text/plain"
    )
    assert response.status_code == 201, response.content
    article = Article.objects.get(pk=response.json()["id"])
    for claim in article.claims.filter(kind="statement")[:20]:
        annotate_opening(claim, reviewer_ann, 4)
    return article


# Built once for the module (the cast fixtures find Ann and Eve in it); each test's changes
# are rolled back.
long_article_of_the_module = world_per_module(build_long_article)


@pytest.fixture
def long_article(long_article_of_the_module, db):
    return long_article_of_the_module


def test_import_bulk_creates_claims_and_reads_the_text_once(seed_text, editor_eve, api_as):
    text = long_text(seed_text, 3)
    with CaptureQueriesContext(connection) as captured:
        response = api_as(editor_eve).post(
            "/api/v1/articles/", text.encode(), content_type="text/plain"
        )
    assert response.status_code == 201, response.content
    claims = Claim.objects.filter(article_id=response.json()["id"]).count()
    assert claims == len(response.json()["claims"]) > 90
    inserts = [q for q in captured.captured_queries if 'INSERT INTO "claims_claim"' in q["sql"]]
    assert len(inserts) <= 2  # one bulk insert (SQLite may need a second batch), not one a claim
    # The duplicate check and the response's article row; never once per claim.
    assert len(selects_of_article_text(captured)) <= 2
    assert response.json()["text"] == text


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/claims/?page_size=500",
        "/api/v1/articles/",
        "/api/v1/annotations/?page_size=500",
        "/api/v1/export/claims?format=jsonl",
        "/api/v1/export/claims?format=csv",
    ],
)
def test_lists_and_exports_never_select_the_article_text(long_article, editor_eve, api_as, url):
    with CaptureQueriesContext(connection) as captured:
        response = api_as(editor_eve).get(url)
        if response.streaming:
            body = b"".join(response.streaming_content)
            assert body.count(b"\n") > 90  # every claim was written
    assert response.status_code == 200
    assert selects_of_article_text(captured) == []


def test_article_detail_reads_the_text_once_not_once_per_claim(long_article, editor_eve, api_as):
    with CaptureQueriesContext(connection) as captured:
        response = api_as(editor_eve).get(f"/api/v1/articles/{long_article.pk}/")
    assert response.status_code == 200
    assert len(response.json()["claims"]) > 90
    assert len(selects_of_article_text(captured)) == 1


@pytest.mark.parametrize("page", ["claim", "annotation"])
def test_admin_lists_never_select_the_article_text(page, long_article, editor_eve, client):
    client.force_login(editor_eve)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/admin/claims/{page}/")
    assert response.status_code == 200
    assert selects_of_article_text(captured) == []


def test_tagging_a_span_of_a_long_article_does_not_read_its_text(
    long_article, reviewer_ann, api_as
):
    claim = long_article.claims.filter(kind="statement").last()
    assign(long_article, reviewer_ann)
    with CaptureQueriesContext(connection) as captured:
        response = api_as(reviewer_ann).post(
            "/api/v1/annotations/",
            {"claim": claim.pk, "quote": claim.text[:12], "error_type": "wrong-name"},
            format="json",
        )
    assert response.status_code == 201, response.content
    assert response.json()["start"] == claim.start
    # At most the one read that records the span's surrounding context; never per claim.
    assert len(selects_of_article_text(captured)) <= 1


def test_a_claim_whose_text_differs_from_the_article_is_still_refused(long_article):
    claim = Claim.objects.with_article().filter(article=long_article).last()
    claim.text = claim.text.upper() + "!"
    with pytest.raises(Exception, match="must equal the article text"):
        claim.full_clean()


def test_reading_an_article_never_copies_its_text_into_each_claim_row(
    long_article, editor_eve, api_as, client
):
    """Counting claims with a join grouped the article by its text: every claim row carried
    a copy, 3 GB and 50 s for a 1 MB transcript. Counts are correlated subqueries now."""
    client.force_login(editor_eve)
    with CaptureQueriesContext(connection) as captured:
        assert api_as(editor_eve).get(f"/api/v1/articles/{long_article.pk}/").status_code == 200
        assert client.get(f"/admin/claims/article/{long_article.pk}/change/").status_code == 200
        assert client.get("/admin/claims/article/").status_code == 200
    with_text = selects_of_article_text(captured)
    assert with_text  # the detail and the change page do read it, once each
    for sql in with_text:
        assert 'GROUP BY "claims_article"' not in sql, sql[:300]  # subqueries may group
