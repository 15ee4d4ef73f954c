"""Issue 8's leaks, each pinned: history pages, final labels in exports, a claim's kind, and
the blind counts and filters of the admin that no test held before."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.models import Adjudication, Annotation, Assignment, Claim
from tests.factories import UserFactory, annotate, annotate_opening, assign, submit

BEN_CORRECTION = "BENSCORRECTION"
EVE_NOTE = "EVESFINALNOTE"


@pytest.fixture
def adjudicated(seed_article, reviewer_ann, reviewer_ben, editor_eve):
    """Ben and Carl submitted, Eve adjudicated claim #1; Ann is assigned, not submitted."""
    carl = UserFactory(username="carl", groups=["reviewer"])
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    annotate(claim, reviewer_ben, "Foreign Minister", correction=BEN_CORRECTION)
    assign(seed_article, reviewer_ann, carl)
    submit(seed_article, reviewer_ben)
    submit(seed_article, carl)
    services.claim_adjudicate(claim=claim, editor=editor_eve, verdict="misleading", note=EVE_NOTE)
    return Adjudication.objects.get(claim=claim)


def history_pages(model: str, obj) -> list[str]:
    first = obj.history.earliest("history_date")
    return [
        f"/admin/claims/{model}/{obj.pk}/history/",
        f"/admin/claims/{model}/{obj.pk}/history/{first.history_id}/",
    ]


def test_adjudication_history_is_hidden_from_reviewers_who_have_not_submitted(
    client, adjudicated, reviewer_ann, editor_eve
):
    stranger = UserFactory(username="dora", groups=["reviewer"])  # not even assigned
    for reader in (reviewer_ann, stranger):
        client.force_login(reader)
        for url in history_pages("adjudication", adjudicated):
            response = client.get(url)
            assert response.status_code == 403, (reader, url)
            assert EVE_NOTE not in response.content.decode()
    client.force_login(editor_eve)
    assert all(
        client.get(url).status_code == 200 for url in history_pages("adjudication", adjudicated)
    )
    submit(adjudicated.claim.article, reviewer_ann)
    client.force_login(reviewer_ann)
    listing, version = history_pages("adjudication", adjudicated)
    assert client.get(listing).status_code == 200
    assert EVE_NOTE in client.get(version).content.decode()


def test_assignment_history_shows_a_reviewer_only_their_own_reviews(
    client, adjudicated, reviewer_ann, reviewer_ben, editor_eve
):
    bens = Assignment.objects.get(reviewer=reviewer_ben)
    anns = Assignment.objects.get(reviewer=reviewer_ann)
    client.force_login(reviewer_ann)
    for url in history_pages("assignment", bens):
        assert client.get(url).status_code == 403, url
    for url in history_pages("assignment", anns):
        assert client.get(url).status_code == 200, url
    client.force_login(editor_eve)
    for url in history_pages("assignment", bens):
        assert client.get(url).status_code == 200, url


def test_history_of_a_deleted_annotation_stays_blind(
    client, seed_article, reviewer_ann, reviewer_ben
):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    bens = annotate(claim, reviewer_ben, "Foreign Minister", correction=BEN_CORRECTION)
    assign(seed_article, reviewer_ann)
    pages = history_pages("annotation", bens)
    services.annotation_delete(bens, by=reviewer_ben)
    client.force_login(reviewer_ann)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 403, url
        assert BEN_CORRECTION not in response.content.decode()


def exporter(**fields):
    """A reviewer who was also given the export permission, and no editor role."""
    user = UserFactory(groups=["reviewer"], **fields)
    user.user_permissions.add(Permission.objects.get(codename="export_claims"))
    return user


def test_export_permission_alone_does_not_reveal_final_labels(adjudicated, api_as):
    reader = exporter(username="xena")
    assign(adjudicated.claim.article, reader)
    client = api_as(reader)
    for labels in ("all", "final"):
        for fmt in ("jsonl", "json", "csv"):
            response = client.get(f"/api/v1/export/claims?format={fmt}&labels={labels}")
            assert response.status_code == 200
            content = b"".join(response.streaming_content).decode()
            assert EVE_NOTE not in content, (labels, fmt)
            assert "misleading" not in content, (labels, fmt)
    submit(adjudicated.claim.article, reader)
    response = client.get("/api/v1/export/claims?format=jsonl&labels=final")
    records = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    finals = [r["final"] for r in records if r["final"]]
    assert [(f["verdict"], f["note"]) for f in finals] == [("misleading", EVE_NOTE)]


def change_kind(client, claim: Claim, kind: str):
    return client.post(f"/admin/claims/claim/{claim.pk}/change/", {"kind": kind})


def test_only_editors_and_open_reviewers_of_the_article_change_a_claims_kind(
    client, seed_article, reviewer_ann, reviewer_ben, editor_eve
):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    assign(seed_article, reviewer_ann)
    client.force_login(reviewer_ben)  # a reviewer, not assigned to this article
    assert change_kind(client, claim, "quote").status_code == 403
    claim.refresh_from_db()
    assert claim.kind == "statement"
    client.force_login(reviewer_ann)
    assert change_kind(client, claim, "quote").status_code == 302
    claim.refresh_from_db()
    assert claim.kind == "quote"
    submit(seed_article, reviewer_ann)  # a submitted review is read-only
    assert change_kind(client, claim, "heading").status_code == 403
    client.force_login(editor_eve)
    assert change_kind(client, claim, "heading").status_code == 302
    claim.refresh_from_db()
    assert claim.kind == "heading"


def test_an_adjudicated_claims_kind_is_changed_by_editors_only(
    client, adjudicated, reviewer_ann, editor_eve
):
    claim = adjudicated.claim
    client.force_login(reviewer_ann)  # assigned, review still open
    assert change_kind(client, claim, "quote").status_code == 403
    claim.refresh_from_db()
    assert claim.kind == "statement"
    client.force_login(editor_eve)
    assert change_kind(client, claim, "quote").status_code == 302
    claim.refresh_from_db()
    assert claim.kind == "quote"


def test_a_refused_kind_change_is_explained(adjudicated, reviewer_ann):
    with pytest.raises(ValidationError, match="final labels"):
        services.claim_set_kind(adjudicated.claim, kind="quote", by=reviewer_ann)


# The admin's counts and filters: blind in code, and now held by tests.


@pytest.fixture
def bens_tag(seed_article, reviewer_ann, reviewer_ben):
    """Ben tagged claim #1; Ann tagged another claim and has not submitted."""
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    annotate_opening(seed_article.claims.exclude(pk=claim.pk).first(), reviewer_ann)
    return annotate(claim, reviewer_ben, "Foreign Minister", correction=BEN_CORRECTION)


def cell(page: str, field: str) -> list[str]:
    """The values of one changelist column, in row order."""
    marker = f'class="field-{field}">'
    return [part.split("<", 1)[0] for part in page.split(marker)[1:]]


def test_article_annotation_count_is_blind(client, bens_tag, reviewer_ann, editor_eve):
    client.force_login(reviewer_ann)
    assert cell(client.get("/admin/claims/article/").content.decode(), "annotation_count") == ["1"]
    client.force_login(editor_eve)
    assert cell(client.get("/admin/claims/article/").content.decode(), "annotation_count") == ["2"]


def test_claim_list_error_count_is_blind(client, bens_tag, reviewer_ann, editor_eve):
    url = f"/admin/claims/claim/?q={bens_tag.claim.text[:30]}"
    client.force_login(reviewer_ann)
    assert cell(client.get(url).content.decode(), "error_count") == ["0"]
    client.force_login(editor_eve)
    assert cell(client.get(url).content.decode(), "error_count") == ["1"]


def test_claim_list_reviewer_filter_and_sidebar_are_blind(
    client, bens_tag, reviewer_ann, editor_eve
):
    client.force_login(reviewer_ann)
    page = client.get("/admin/claims/claim/?reviewer=ben")
    assert page.status_code == 200
    assert page.context["cl"].result_count == 0
    sidebar = client.get("/admin/claims/claim/").content.decode()
    assert "?reviewer=ann" in sidebar  # the filter is shown, with Ann's own name only
    assert "?reviewer=ben" not in sidebar
    client.force_login(editor_eve)
    page = client.get("/admin/claims/claim/?reviewer=ben")
    assert [c.pk for c in page.context["cl"].result_list] == [bens_tag.claim_id]
    assert "?reviewer=ben" in client.get("/admin/claims/claim/").content.decode()


def test_claim_list_error_type_filter_is_blind_and_counted_right(
    client, bens_tag, reviewer_ann, editor_eve
):
    slug = bens_tag.error_type.slug
    tagged = Annotation.objects.filter(error_type=bens_tag.error_type)
    anns = set(tagged.filter(reviewer=reviewer_ann).values_list("claim_id", flat=True))
    assert bens_tag.claim_id not in anns
    client.force_login(reviewer_ann)
    page = client.get(f"/admin/claims/claim/?error_type={slug}")
    assert page.status_code == 200
    assert page.context["cl"].result_count == len(anns)
    assert {c.pk for c in page.context["cl"].result_list} == anns  # not Ben's claim
    client.force_login(editor_eve)
    page = client.get(f"/admin/claims/claim/?error_type={slug}")
    every = anns | {bens_tag.claim_id}
    assert page.context["cl"].result_count == len(every)
    assert {c.pk for c in page.context["cl"].result_list} == every


def test_article_list_counts_the_page_only(client, bens_tag, reviewer_ann, editor_eve):
    """Counted in the list's own query, the counts were made for every article before a
    sort by a column chose the page (1.2 s for a reviewer on SQLite at a million claims)."""
    article = bens_tag.claim.article
    for user, annotations in ((reviewer_ann, "1"), (editor_eve, "2")):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/admin/claims/article/", {"o": "1"}).content.decode()
        listed = [q["sql"] for q in queries if q["sql"].startswith('SELECT "claims_article"."id"')]
        assert listed and not any("COUNT(" in sql for sql in listed), listed
        assert cell(page, "claim_count") == [str(article.claims.count())]
        assert cell(page, "annotation_count") == [annotations]  # Ben's is hidden from Ann
