"""The admin pages a reviewer or an editor opens on a large corpus: searched, filtered by
date, history, "my assignments". Each runs a fixed number of queries however many rows
the tables hold; on PostgreSQL the searches are answered by indexes, and a list the
planner puts far past a thousand rows is not counted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from claims.admin import paging
from claims.admin.searching import annotations_matching, claims_matching
from claims.models import Annotation, Article, Assignment, Claim
from tests.factories import annotate, article, assign, submit
from tests.test_admin_query_counts import reviewed_stories

SINCE = "2000-01-01 00:00:00+00:00"


def queries_for(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured]


def pages() -> dict[str, str]:
    """The pages, by name, on the data as it is now (history pages need a row)."""
    claim = Claim.objects.order_by("pk").first()
    annotation = Annotation.objects.order_by("pk").first()
    story = Article.objects.order_by("pk").first()
    claims = reverse("admin:claims_claim_changelist")
    annotations = reverse("admin:claims_annotation_changelist")
    articles = reverse("admin:claims_article_changelist")
    return {
        "claim search": f"{claims}?q=roads",
        "claim search, no match": f"{claims}?q=zzyzx",
        "annotation search": f"{annotations}?q=roads",
        "article search": f"{articles}?q=story",
        "articles by title": f"{articles}?o=1",
        # As the filter's "Past 7 days" link writes it: an aware time.
        "articles imported this week": f"{articles}?{urlencode({'imported_at__gte': SINCE})}",
        "my assignments": reverse("admin:claims_assignment_changelist"),
        "assignment search": f"{reverse('admin:claims_assignment_changelist')}?q=story",
        "claim history": reverse("admin:claims_claim_history", args=[claim.pk]),
        "annotation history": reverse("admin:claims_annotation_history", args=[annotation.pk]),
        "article history": reverse("admin:claims_article_history", args=[story.pk]),
        "claim picker": f"{reverse('admin:autocomplete')}?app_label=claims"
        "&model_name=annotation&field_name=claim&term=roads",
    }


PAGES = [
    "claim search",
    "claim search, no match",
    "annotation search",
    "article search",
    "articles by title",
    "articles imported this week",
    "my assignments",
    "assignment search",
    "claim history",
    "annotation history",
    "article history",
    "claim picker",
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_page_queries_do_not_grow_with_the_tables(
    client, reviewer_ann, reviewer_ben, editor_eve, page, role
):
    reviewers = [reviewer_ann, reviewer_ben]
    client.force_login(editor_eve if role == "editor" else reviewer_ann)
    reviewed_stories(0, 2, reviewers, editor_eve)
    url = pages()[page]
    queries_for(client, url)  # what a first render caches (content types…) is not counted
    few = len(queries_for(client, url))
    reviewed_stories(2, 6, reviewers, editor_eve)
    assert len(queries_for(client, url)) == few


def test_the_assignment_list_shows_each_reviewers_progress(client, reviewer_ann, editor_eve):
    story = article("Story\n\nThe mayor said 3 roads flooded. Crews arrived at 5.")
    other = article("Other\n\nThe mayor said 4 roads flooded.")
    first, second = story.claims.get(order=1), story.claims.get(order=2)
    annotate(first, reviewer_ann, start=first.start, end=first.start + 3)
    annotate(second, reviewer_ann, start=second.start, end=second.start + 5)
    annotate(
        other.claims.get(order=1),
        reviewer_ann,
        start=other.claims.get(order=1).start,
        end=other.claims.get(order=1).start + 3,
    )
    assign(story, editor_eve)
    rows = {
        (a.article_id, a.reviewer_id): a
        for a in Assignment.objects.with_progress().filter(article=story)
    }
    mine = rows[(story.pk, reviewer_ann.pk)]
    assert (mine.claim_total, mine.annotation_total, mine.judged_total) == (3, 2, 0)
    theirs = rows[(story.pk, editor_eve.pk)]
    assert (theirs.annotation_total, theirs.judged_total) == (0, 0)
    client.force_login(reviewer_ann)
    page = client.get(reverse("admin:claims_assignment_changelist")).content.decode()
    assert "2 error(s) tagged, 0 of 3 claims judged" in page


def test_admin_annotation_search_finds_the_quote_correction_note_and_claim_text(
    client, reviewer_ann
):
    story = article("Weather\n\nThe mayor said 3 roads flooded. Crews arrived at noon.")
    roads, crews = story.claims.get(order=1), story.claims.get(order=2)
    tagged = annotate(roads, reviewer_ann, quote="mayor", correction="governor", note="")
    noted = annotate(crews, reviewer_ann, quote="noon", note="Crews came at dusk")
    client.force_login(reviewer_ann)

    def found(terms):
        response = client.get(reverse("admin:claims_annotation_changelist"), {"q": terms})
        assert response.status_code == 200
        return {a.pk for a in response.context["cl"].result_list}

    assert found("mayor") == {tagged.pk}  # the quote, and the claim's text
    assert found("governor") == {tagged.pk}  # the correction
    assert found("dusk") == {noted.pk}  # the note
    assert found("flooded") == {tagged.pk}  # only the claim's text
    assert found("zzyzx") == set()


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("the indexes searched are PostgreSQL's")


def test_postgresql_claim_search_reads_the_indexes_not_the_table(postgresql, editor_eve):
    reviewed_stories(0, 2, [], editor_eve)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: as at a million rows
        plan = Claim.objects.filter(claims_matching("zzyzx quuxly")).order_by().explain()
    assert "claim_text_search" in plan and "Seq Scan on claims_claim" not in plan, plan


def test_postgresql_annotation_search_reads_the_indexes_not_the_table(postgresql, editor_eve):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        matching = Annotation.objects.filter(annotations_matching("zzyzx"))
        plan = matching.order_by().explain()
    assert "annotation_text_search" in plan and "Seq Scan on claims_annotation" not in plan


def test_postgresql_a_long_list_is_not_counted(postgresql, client, editor_eve, monkeypatch):
    """Past ESTIMATE_TRUSTED_FROM rows by the planner's estimate, the count is the estimate:
    no COUNT at all (here the threshold is lowered to the handful of rows a test holds)."""
    reviewed_stories(0, 3, [], editor_eve)
    monkeypatch.setattr(paging, "ESTIMATE_TRUSTED_FROM", 1)
    client.force_login(editor_eve)
    sql = queries_for(client, f"{reverse('admin:claims_claim_changelist')}?kind=statement")
    assert not [q for q in sql if "COUNT(*)" in q and "claims_claim" in q]
    monkeypatch.setattr(paging, "ESTIMATE_TRUSTED_FROM", 10_000)
    sql = queries_for(client, f"{reverse('admin:claims_claim_changelist')}?kind=statement")
    assert [q for q in sql if "COUNT(*)" in q and "claims_claim" in q]


def test_reviewer_sees_only_their_assignments(client, reviewer_ann, reviewer_ben):
    story = article("Story\n\nIt rained.")
    assign(story, reviewer_ann, reviewer_ben)
    submit(story, reviewer_ben)
    client.force_login(reviewer_ann)
    response = client.get(reverse("admin:claims_assignment_changelist"))
    assert [a.reviewer_id for a in response.context["cl"].result_list] == [reviewer_ann.pk]


def test_the_claim_list_does_not_join_the_articles(client, editor_eve, reviewer_ann):
    """Joined to the claims, SQLite with ANALYZE's statistics reads the articles first and
    sorts every claim; the titles come in a query of their own."""
    reviewed_stories(0, 2, [reviewer_ann], editor_eve)
    client.force_login(editor_eve)
    sql = queries_for(client, reverse("admin:claims_claim_changelist"))
    page = [q for q in sql if 'ORDER BY "claims_claim"."article_id" DESC' in q]
    assert page and all('JOIN "claims_article"' not in q for q in page), page
    html = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert "Story 1" in html  # the titles are still shown
