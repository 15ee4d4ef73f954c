"""A claim's admin page lists its annotations, under blind review, with edit and delete
links only where the reader may use them, in a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import permissions, services
from tests.factories import SourceFactory, annotate, assign, submit


@pytest.fixture
def claim(seed_article):
    return seed_article.claims.get(text__startswith="Foreign Minister")


def claim_page(client, claim) -> str:
    response = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert response.status_code == 200
    return response.content.decode()


def rows(html: str) -> dict[int, str]:
    """The annotation list's rows, by annotation id."""
    return {
        int(pk): row
        for pk, row in re.findall(r'<tr data-annotation-id="(\d+)">(.*?)</tr>', html, re.S)
    }


def test_claim_page_lists_reviewer_type_span_correction_and_sources(client, claim, reviewer_ann):
    tag = annotate(
        claim,
        reviewer_ann,
        "Foreign Minister",
        correction="Secretary of State",
        note="<b>his title</b>",
        sources=[
            services.NewSource(url="https://www.state.gov/a", title="State <Dept>"),
            services.NewSource(url="ftp://files.example/b", title="Archive"),
        ],
    )
    client.force_login(reviewer_ann)
    row = rows(claim_page(client, claim))[tag.pk]
    assert "<td>ann</td>" in row
    assert "Wrong title or role <small>(major)</small>" in row
    assert "“Foreign Minister” <small>65–81</small>" in row
    assert "<td>Secretary of State</td>" in row
    assert "&lt;b&gt;his title&lt;/b&gt;" in row  # escaped
    assert (
        '<a href="https://www.state.gov/a" rel="noopener noreferrer">State &lt;Dept&gt;</a>' in row
    )
    assert "Archive" in row and 'href="ftp:' not in row  # only http(s) becomes a link
    assert reverse("admin:claims_annotation_change", args=[tag.pk]) in row
    assert reverse("admin:claims_annotation_delete", args=[tag.pk]) in row


def test_claim_page_keeps_blind_review(client, claim, reviewer_ann, reviewer_ben):
    mine = annotate(claim, reviewer_ann, "Foreign Minister")
    bens = annotate(claim, reviewer_ben, "Foreign Minister", correction="ben's secret fix")
    client.force_login(reviewer_ann)
    html = claim_page(client, claim)
    assert set(rows(html)) == {mine.pk}
    assert "secret fix" not in html
    assert "Annotations (1)" in html

    submit(claim.article, reviewer_ann)
    after = rows(claim_page(client, claim))
    assert set(after) == {mine.pk, bens.pk}
    assert "<td>ben</td>" in after[bens.pk]
    # Submitted: Ann sees Ben's work, and may change neither his nor (now) her own.
    for row in after.values():
        assert ">view</a>" in row and ">edit</a>" not in row and ">delete</a>" not in row


def test_edit_and_delete_links_follow_the_permissions(
    client, claim, reviewer_ann, reviewer_ben, editor_eve
):
    mine = annotate(claim, reviewer_ann, "Foreign Minister")
    bens = annotate(claim, reviewer_ben, "Antony Blinken", slug="wrong-name")
    submit(claim.article, reviewer_ben)
    assign(claim.article, reviewer_ann)

    client.force_login(reviewer_ann)  # open review: her own, editable; Ben's not visible
    shown = rows(claim_page(client, claim))
    assert set(shown) == {mine.pk}
    assert ">edit</a>" in shown[mine.pk] and ">delete</a>" in shown[mine.pk]

    client.force_login(editor_eve)  # editors change everyone's
    shown = rows(claim_page(client, claim))
    assert set(shown) == {mine.pk, bens.pk}
    assert all(">edit</a>" in row and ">delete</a>" in row for row in shown.values())


def test_bulk_rights_agree_with_the_row_rights(
    claim, reviewer_ann, reviewer_ben, editor_eve, outsider
):
    mine = annotate(claim, reviewer_ann, "Foreign Minister")
    bens = annotate(claim, reviewer_ben, "Antony Blinken", slug="wrong-name")
    submit(claim.article, reviewer_ben)
    work = [mine, bens]
    for user in (reviewer_ann, reviewer_ben, editor_eve, outsider):
        for action in ("change", "delete"):
            one_by_one = {w.pk for w in work if permissions.may_change_work(user, w, action)}
            assert permissions.changeable_work(user, work, action) == one_by_one, (user, action)


def page_queries(client, claim) -> int:
    with CaptureQueriesContext(connection) as captured:
        claim_page(client, claim)
    return len(captured)


@pytest.mark.parametrize(("reader", "rows_after"), [("reviewer_ann", 3), ("editor_eve", 6)])
def test_claim_page_query_count_does_not_grow_with_annotations(
    client, request, claim, reviewer_ann, reviewer_ben, reader, rows_after
):
    # Ann's review stays open: each of her rows needs its edit right, and gets it without
    # a query of its own.
    for reviewer in (reviewer_ann, reviewer_ben):
        annotate(claim, reviewer, "Foreign Minister", sources=[SourceFactory()])
    client.force_login(request.getfixturevalue(reader))
    few = page_queries(client, claim)
    for quote, slug in [("Antony Blinken", "wrong-name"), ("Chinese President", "wrong-title")]:
        for reviewer in (reviewer_ann, reviewer_ben):
            annotate(claim, reviewer, quote, slug=slug, sources=[SourceFactory(), SourceFactory()])
    assert len(rows(claim_page(client, claim))) == rows_after
    assert page_queries(client, claim) == few
