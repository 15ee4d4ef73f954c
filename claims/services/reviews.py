"""Assignments: who reviews which article, and the life of each review."""

import functools
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from claims import permissions
from claims.models import Article, Assignment
from claims.roles import Role

State = Assignment.State


def eligible_reviewers():
    """Whom reviews are handed out to: ``permissions.blind_reviewers``."""
    return permissions.blind_reviewers(get_user_model().objects.all())


# What each refusal of the write rule tells the writer, by its code.
_REFUSALS = {
    permissions.NOT_YOURS: "Only the reviewer or an editor can change a reviewer's labels.",
    permissions.NOT_ASSIGNED: (
        "“{article}” is not assigned to {reviewer}; an editor assigns articles to reviewers."
    ),
    permissions.REVIEW_SUBMITTED: (
        "{reviewer} submitted the review of “{article}”; it is read-only until an editor "
        "reopens it."
    ),
}


def open_review(reviewer, article) -> Assignment:
    """The reviewer's open review of ``article``: labels are written only inside one."""
    return check_may_label(reviewer=reviewer, article=article)


def check_may_label(*, reviewer, article, by=None) -> Assignment | None:
    """May ``by`` write labels owned by ``reviewer``? The write rule decides
    (``permissions.label_refusal``); a refusal is a ValidationError with its code. Returns
    the review being written into: the writer's own, when the labels are theirs."""
    by = by or reviewer
    review = functools.cache(
        lambda: Assignment.objects.filter(article=article, reviewer=by).first()
    )
    if code := permissions.label_refusal(by, owner_id=reviewer.pk, own_review=review):
        message = _REFUSALS[code].format(reviewer=reviewer, article=article)
        raise ValidationError(message, code=code)
    # An editor correcting a reviewer's labels writes into no review of her own.
    return review() if by.pk == reviewer.pk else None


def record_work(assignment: Assignment | None) -> None:
    """The first label written into a review puts it in progress."""
    if assignment is not None and assignment.state in (State.ASSIGNED, State.REOPENED):
        _move(assignment, State.IN_PROGRESS)


def _move(assignment: Assignment, to: str) -> Assignment:
    assignment.check_transition(to)
    assignment.state = to
    assignment.submitted_at = timezone.now() if to == State.SUBMITTED else None
    assignment.save()
    return assignment


@transaction.atomic
def assignments_create(*, article: Article, reviewers, by) -> list[Assignment]:
    """Assign ``article`` to each reviewer not already on it; returns the new assignments."""
    _require_editor(by)
    have = set(article.assignments.values_list("reviewer_id", flat=True))
    created = []
    for reviewer in reviewers:
        # Anyone who may annotate can be assigned: reviewers, and editors assigning themselves.
        if not permissions.may_label(reviewer):
            raise ValidationError(
                f"{reviewer} is not an active reviewer; add them to the {Role.REVIEWER} "
                "group first.",
                code="not_a_reviewer",
            )
        if reviewer.pk in have:
            continue
        assignment = Assignment(article=article, reviewer=reviewer, assigned_by=by)
        assignment.full_clean()
        assignment.save()
        have.add(reviewer.pk)
        created.append(assignment)
    return created


@transaction.atomic
def assignments_distribute(
    *, reviews_per_article: int, by, articles=None, reviewers=None
) -> list[Assignment]:
    """Give each article ``reviews_per_article`` distinct reviewers, least loaded first.

    Load is a reviewer's number of open reviews; ties go by username, so a run is
    repeatable. Articles default to those with fewer reviewers than asked for.
    """
    _require_editor(by)
    if reviews_per_article < 1:
        raise ValidationError("Ask for at least one review per article.", code="too_few")
    reviewers = list(reviewers if reviewers is not None else eligible_reviewers())
    if len(reviewers) < reviews_per_article:
        raise ValidationError(
            f"{reviews_per_article} independent reviews per article need at least "
            f"{reviews_per_article} reviewers; there are {len(reviewers)}.",
            code="too_few_reviewers",
        )
    if articles is None:
        articles = Article.objects.annotate(reviews=Count("assignments")).filter(
            reviews__lt=reviews_per_article
        )
    load = Counter(
        dict(
            Assignment.objects.open()
            .filter(reviewer__in=reviewers)
            .values_list("reviewer")
            .annotate(n=Count("id"))
        )
    )
    created = []
    for article in articles.order_by("imported_at", "id"):
        have = set(article.assignments.values_list("reviewer_id", flat=True))
        candidates = sorted(
            (r for r in reviewers if r.pk not in have), key=lambda r: (load[r.pk], r.get_username())
        )
        for reviewer in candidates[: max(0, reviews_per_article - len(have))]:
            created.append(
                Assignment.objects.create(article=article, reviewer=reviewer, assigned_by=by)
            )
            load[reviewer.pk] += 1
    return created


@transaction.atomic
def assignment_submit(assignment: Assignment, *, by) -> Assignment:
    if by.pk != assignment.reviewer_id:
        raise ValidationError(
            "Only the assigned reviewer can submit their review.", code="not_yours"
        )
    return _move(Assignment.objects.select_for_update().get(pk=assignment.pk), State.SUBMITTED)


@transaction.atomic
def assignment_reopen(assignment: Assignment, *, by) -> Assignment:
    _require_editor(by)
    return _move(Assignment.objects.select_for_update().get(pk=assignment.pk), State.REOPENED)


def _require_editor(user) -> None:
    if not user.has_perm(permissions.ASSIGN):
        raise ValidationError("Only an editor can assign or reopen reviews.", code="not_editor")
