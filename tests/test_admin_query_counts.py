"""Admin changelists run a fixed number of queries however many rows the tables hold, never
count a whole large table on PostgreSQL, and offer filters of bounded length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.admin.filters import ARTICLE_CHOICES
from claims.models import Adjudication
from tests.factories import SourceFactory, annotate_opening, article, assign, submit

CHANGELISTS = [
    "claims_claim_changelist",
    "claims_annotation_changelist",
    "claims_verdict_changelist",
    "claims_article_changelist",
    "claims_assignment_changelist",
    "claims_adjudication_changelist",
    "claims_source_changelist",
    "claims_errortype_changelist",
]


def reviewed_stories(first: int, count: int, reviewers, editor) -> None:
    """``count`` more articles, each tagged (with a source) and judged by every reviewer,
    submitted, and adjudicated on one claim."""
    for n in range(first, first + count):
        story = article(f"Story {n}\n\nThe mayor said {n} roads flooded. Crews arrived at {n}.")
        claim = story.claims.get(order=1)
        for reviewer in reviewers:
            annotate_opening(claim, reviewer, 3, sources=[SourceFactory()])
            services.verdict_set(claim=claim, reviewer=reviewer, label="inaccurate")
            submit(story, reviewer)
        assign(story, editor)
        Adjudication.objects.create(claim=claim, editor=editor, verdict="inaccurate")


def queries_for(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured]


@pytest.fixture
def reviewers(reviewer_ann, reviewer_ben):
    return [reviewer_ann, reviewer_ben]


@pytest.mark.parametrize("changelist", CHANGELISTS)
@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_changelist_queries_do_not_grow_with_the_tables(
    client, reviewers, editor_eve, changelist, role
):
    reader = editor_eve if role == "editor" else reviewers[0]
    client.force_login(reader)
    url = reverse(f"admin:{changelist}")
    reviewed_stories(0, 2, reviewers, editor_eve)
    few = len(queries_for(client, url))
    reviewed_stories(2, 6, reviewers, editor_eve)
    assert len(queries_for(client, url)) == few


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite counts from an index")
@pytest.mark.parametrize("changelist", [c for c in CHANGELISTS if "errortype" not in c])
def test_no_changelist_counts_a_whole_table_on_postgresql(
    client, reviewers, editor_eve, changelist
):
    reviewed_stories(0, 2, reviewers, editor_eve)
    client.force_login(editor_eve)
    counts = [
        sql for sql in queries_for(client, reverse(f"admin:{changelist}")) if "COUNT(*)" in sql
    ]
    assert all("LIMIT" in sql for sql in counts), counts


def test_the_article_filter_offers_the_newest_articles_and_the_one_chosen(
    client, editor_eve, reviewers
):
    stories = [article(f"Story {n}\n\nIt rained {n} times.") for n in range(ARTICLE_CHOICES + 5)]
    client.force_login(editor_eve)
    claims = reverse("admin:claims_claim_changelist")
    page = client.get(claims).content.decode()
    offered = [s for s in stories if f'?article__id__exact={s.pk}"' in page]
    assert offered == stories[-ARTICLE_CHOICES:]
    oldest = stories[0]
    page = client.get(claims, {"article__id__exact": oldest.pk}).content.decode()
    assert f'?article__id__exact={oldest.pk}"' in page


def test_the_claim_list_reads_newest_articles_first_each_in_reading_order(
    client, editor_eve, seed_article
):
    later = article("Later story\n\nIt rained. Roads flooded.")
    client.force_login(editor_eve)
    page = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    rows = [
        page.index(f"/admin/claims/claim/{claim.pk}/change/")
        for story in (later, seed_article)
        for claim in story.claims.order_by("order")
    ]
    assert rows == sorted(rows)
