"""Every create, change and delete of reviewers' work and the workflow is on record."""

from claims import services
from claims.models import Annotation, Assignment, Claim, Verdict
from tests.factories import annotate, assign


def test_annotation_history_records_create_change_and_delete_with_who(seed_article, reviewer_ann):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    tag = annotate(claim, reviewer_ann, "Foreign Minister", note="first")
    services.annotation_update(tag, by=reviewer_ann, note="second")
    pk = tag.pk
    services.annotation_delete(tag, by=reviewer_ann)
    rows = Annotation.history.filter(id=pk).order_by("history_date")
    assert [r.history_type for r in rows] == ["+", "~", "-"]
    assert [r.note for r in rows] == ["first", "second", "second"]
    assert {r.history_user for r in rows} == {reviewer_ann}


def test_verdict_and_assignment_history(seed_article, editor_eve, reviewer_ann):
    services.assignments_create(article=seed_article, reviewers=[reviewer_ann], by=editor_eve)
    claim = seed_article.claims.first()
    services.verdict_set(claim=claim, reviewer=reviewer_ann, label="accurate")
    services.verdict_set(claim=claim, reviewer=reviewer_ann, label="misleading")
    review = Assignment.objects.get()
    services.assignment_submit(review, by=reviewer_ann)
    services.assignment_reopen(review, by=editor_eve)
    assert list(Verdict.history.order_by("history_date").values_list("history_type", "label")) == [
        ("+", "accurate"),
        ("~", "misleading"),
    ]
    states = list(Assignment.history.order_by("history_date").values_list("state", flat=True))
    assert states == ["assigned", "in_progress", "submitted", "reopened"]


def test_nothing_is_lost_when_a_claim_is_split_and_merged(seed_article, reviewer_ann):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    tag = annotate(claim, reviewer_ann, "persuade China")
    left, right = services.claim_split(claim, at=seed_article.text.index("he had failed"))
    tag.refresh_from_db()
    assert tag.claim == right
    merged = services.claim_merge_with_next(left)
    tag.refresh_from_db()
    assert tag.claim == merged and tag.quote == "persuade China"
    claims_seen = list(
        Annotation.history.filter(id=tag.pk)
        .order_by("history_date")
        .values_list("claim_id", flat=True)
    )
    assert claims_seen == [claim.pk, right.pk, merged.pk]
    assert Claim.history.filter(id=right.pk, history_type="-").exists()


def test_history_is_visible_in_the_admin_to_those_who_may_see_the_work(
    client, seed_article, reviewer_ann, reviewer_ben, editor_eve
):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    bens = annotate(claim, reviewer_ben, "Foreign Minister", note="ben's")
    assign(seed_article, reviewer_ann)
    url = f"/admin/claims/annotation/{bens.pk}/history/"
    client.force_login(editor_eve)
    assert client.get(url).status_code == 200
    client.force_login(reviewer_ann)
    assert client.get(url).status_code == 403  # blind review covers history too
