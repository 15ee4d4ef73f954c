"""Assignment, the life of a review, and automatic distribution (service level)."""

import pytest
from django.core.exceptions import ValidationError

from claims import services
from claims.models import Annotation, Assignment
from tests.factories import UserFactory, annotate, article, assign

State = Assignment.State


def test_editor_assigns_and_reassigning_keeps_one_assignment(
    seed_article, editor_eve, reviewer_ann, reviewer_ben
):
    made = services.assignments_create(
        article=seed_article, reviewers=[reviewer_ann, reviewer_ben], by=editor_eve
    )
    assert {a.reviewer for a in made} == {reviewer_ann, reviewer_ben}
    assert all(a.state == State.ASSIGNED and a.assigned_by == editor_eve for a in made)
    again = services.assignments_create(
        article=seed_article, reviewers=[reviewer_ann], by=editor_eve
    )
    assert again == []
    assert Assignment.objects.count() == 2


def test_a_reviewer_cannot_assign(seed_article, reviewer_ann, reviewer_ben):
    with pytest.raises(ValidationError, match="Only an editor"):
        services.assignments_create(article=seed_article, reviewers=[reviewer_ben], by=reviewer_ann)
    assert not Assignment.objects.exists()


def test_only_reviewers_can_be_assigned(seed_article, editor_eve, outsider):
    with pytest.raises(ValidationError, match="not an active reviewer"):
        services.assignments_create(article=seed_article, reviewers=[outsider], by=editor_eve)


def test_review_moves_assigned_in_progress_submitted_reopened(
    seed_article, editor_eve, reviewer_ann
):
    (review,) = assign(seed_article, reviewer_ann)
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    annotate(claim, reviewer_ann, "Foreign Minister")
    review.refresh_from_db()
    assert review.state == State.IN_PROGRESS
    review = services.assignment_submit(review, by=reviewer_ann)
    assert review.state == State.SUBMITTED and review.submitted_at is not None
    review = services.assignment_reopen(review, by=editor_eve)
    assert review.state == State.REOPENED and review.submitted_at is None
    annotate(claim, reviewer_ann, "Antony Blinken", slug="wrong-name")
    review.refresh_from_db()
    assert review.state == State.IN_PROGRESS


@pytest.mark.parametrize(
    ("state", "move", "message"),
    [
        (State.SUBMITTED, "submit", "A review that is submitted cannot become submitted"),
        (State.ASSIGNED, "reopen", "A review that is assigned cannot become reopened"),
        (State.IN_PROGRESS, "reopen", "A review that is in progress cannot become reopened"),
    ],
)
def test_illegal_transitions_are_refused_with_a_clear_message(
    seed_article, editor_eve, reviewer_ann, state, move, message
):
    (review,) = assign(seed_article, reviewer_ann)
    Assignment.objects.filter(pk=review.pk).update(state=state)
    review.refresh_from_db()
    with pytest.raises(ValidationError, match=message):
        if move == "submit":
            services.assignment_submit(review, by=reviewer_ann)
        else:
            services.assignment_reopen(review, by=editor_eve)
    review.refresh_from_db()
    assert review.state == state


def test_only_the_assigned_reviewer_submits_and_only_an_editor_reopens(
    seed_article, reviewer_ann, reviewer_ben
):
    (review,) = assign(seed_article, reviewer_ann)
    with pytest.raises(ValidationError, match="Only the assigned reviewer"):
        services.assignment_submit(review, by=reviewer_ben)
    services.assignment_submit(review, by=reviewer_ann)
    with pytest.raises(ValidationError, match="Only an editor"):
        services.assignment_reopen(review, by=reviewer_ann)


def test_submitted_review_is_read_only_to_its_reviewer(seed_article, reviewer_ann, editor_eve):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    mine = annotate(claim, reviewer_ann, "Foreign Minister")
    services.assignment_submit(seed_article.assignments.get(), by=reviewer_ann)
    with pytest.raises(ValidationError, match="read-only until an editor reopens it"):
        annotate(claim, reviewer_ann, "Antony Blinken")
    with pytest.raises(ValidationError, match="read-only"):
        services.annotation_update(mine, by=reviewer_ann, note="late change")
    with pytest.raises(ValidationError, match="read-only"):
        services.annotation_delete(mine, by=reviewer_ann)
    with pytest.raises(ValidationError, match="read-only"):
        services.verdict_set(claim=claim, reviewer=reviewer_ann, label="accurate")
    services.annotation_update(mine, by=editor_eve, note="editor's correction")
    mine.refresh_from_db()
    assert mine.note == "editor's correction"


def test_unassigned_reviewer_cannot_label(seed_article, reviewer_ann):
    claim = seed_article.claims.first()
    with pytest.raises(ValidationError, match="not assigned to ann"):
        services.annotation_create(
            claim=claim,
            reviewer=reviewer_ann,
            start=claim.start,
            end=claim.start + 3,
            error_type=Annotation._meta.get_field("error_type").related_model.objects.first(),
        )


def test_distribution_gives_each_article_n_distinct_reviewers_and_balances_load(db, editor_eve):
    reviewers = [UserFactory(username=f"r{i}", groups=["reviewer"]) for i in range(5)]
    articles = [article(f"Story {i}. It happened.") for i in range(6)]
    created = services.assignments_distribute(reviews_per_article=2, by=editor_eve)
    assert len(created) == 12
    for story in articles:
        assert story.assignments.values("reviewer").distinct().count() == 2
    loads = [Assignment.objects.filter(reviewer=r).count() for r in reviewers]
    assert sum(loads) == 12 and max(loads) - min(loads) <= 1
    assert services.assignments_distribute(reviews_per_article=2, by=editor_eve) == []


def test_distribution_prefers_the_least_loaded_reviewers(db, editor_eve):
    busy, idle_a, idle_b = (
        UserFactory(username=n, groups=["reviewer"]) for n in ("busy", "idle_a", "idle_b")
    )
    for i in range(3):
        assign(article(f"Old story {i}."), busy)
    fresh = article("Fresh story. Needs review.")
    services.assignments_distribute(
        reviews_per_article=2, by=editor_eve, articles=type(fresh).objects.filter(pk=fresh.pk)
    )
    assert set(fresh.assignments.values_list("reviewer__username", flat=True)) == {
        "idle_a",
        "idle_b",
    }


def test_distribution_tops_up_an_article_that_already_has_a_reviewer(
    db, editor_eve, reviewer_ann, reviewer_ben
):
    story = article("One story. Half reviewed.")
    assign(story, reviewer_ann)
    services.assignments_distribute(reviews_per_article=2, by=editor_eve)
    assert set(story.assignments.values_list("reviewer__username", flat=True)) == {"ann", "ben"}


def test_distribution_refuses_more_reviews_than_reviewers(db, editor_eve, reviewer_ann):
    article("A story.")
    with pytest.raises(ValidationError, match="need at least 3 reviewers; there are 1"):
        services.assignments_distribute(reviews_per_article=3, by=editor_eve)
    assert not Assignment.objects.exists()
