"""The claims table on an article's change page: what it shows under blind review, and a
cost that does not grow with the article."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.models import Annotation, ErrorType, Verdict
from tests.factories import annotate_opening, article, assign, submit


def story_of(claims: int):
    return article(
        "\n\n".join(f"Minister {n} said the bank raised rates by {n}." for n in range(claims)),
        title=f"{claims} claims",
    )


def reviewed(story, reviewers) -> None:
    """Every claim tagged and judged by every reviewer (in open reviews)."""
    assign(story, *reviewers)
    for claim in story.claims.all():
        for reviewer in reviewers:
            annotate_opening(claim, reviewer, 8)
            services.verdict_set(claim=claim, reviewer=reviewer, label="inaccurate")


def reviewed_in_bulk(story, reviewers) -> None:
    """The same rows as ``reviewed``, written in bulk: the 300-claim article only needs them
    to exist (1,200 service calls cost most of a minute), the reads are what is measured."""
    assign(story, *reviewers)
    error_type = ErrorType.objects.first()
    claims = list(story.claims.all())
    Annotation.objects.bulk_create(
        Annotation(
            claim=claim,
            reviewer=reviewer,
            error_type=error_type,
            start=claim.start,
            end=claim.start + 8,
            quote=claim.text[:8],
        )
        for claim in claims
        for reviewer in reviewers
    )
    Verdict.objects.bulk_create(
        Verdict(claim=claim, reviewer=reviewer, label="inaccurate")
        for claim in claims
        for reviewer in reviewers
    )


def queries_for(client, story) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:claims_article_change", args=[story.pk]))
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_article_page_queries_do_not_grow_with_its_claims(
    client, reviewer_ann, reviewer_ben, editor_eve, role
):
    client.force_login(editor_eve if role == "editor" else reviewer_ann)
    small, large = story_of(3), story_of(300)
    assert large.claims.count() == 300
    reviewed(small, [reviewer_ann, reviewer_ben])
    reviewed_in_bulk(large, [reviewer_ann, reviewer_ben])
    assert large.claims.filter(annotations__isnull=True).count() == 0
    queries_for(client, small)  # fills the process's content type cache, as any page does
    assert queries_for(client, large) == queries_for(client, small)


def test_article_page_lists_each_claim_with_the_counts_the_reader_may_see(
    client, reviewer_ann, reviewer_ben, editor_eve
):
    story = story_of(3)
    reviewed(story, [reviewer_ann, reviewer_ben])
    first = story.claims.get(order=0)
    url = reverse("admin:claims_article_change", args=[story.pk])
    row = f'<tr id="claim-{first.pk}">'

    def first_row(html):
        start = html.index(row)
        return html[start : html.index("</tr>", start)]

    client.force_login(reviewer_ann)  # her review is open: her own work only
    html = client.get(url).content.decode()
    assert html.count('<tr id="claim-') == 3
    cells = first_row(html)
    assert f"<td>{first.pk}</td>" in cells and "<td>Statement</td>" in cells  # its number
    assert "<td>1</td>\n          <td>1</td>" in cells  # one annotation, one verdict: hers
    assert "(ann)" in cells and "(ben)" not in cells
    assert reverse("admin:claims_claim_change", args=[first.pk]) in cells
    assert reverse("admin:claims_article_annotate", args=[story.pk]) in html

    client.force_login(editor_eve)
    cells = first_row(client.get(url).content.decode())
    assert "<td>2</td>\n          <td>2</td>" in cells
    assert "(ann)" in cells and "(ben)" in cells

    submit(story, reviewer_ann)  # once submitted, she sees the others' work too
    client.force_login(reviewer_ann)
    cells = first_row(client.get(url).content.decode())
    assert "<td>2</td>\n          <td>2</td>" in cells
