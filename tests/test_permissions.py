"""The write rule in claims/permissions.py says what the services then do."""

import pytest
from django.core.exceptions import ValidationError

from claims import permissions, services
from claims.models import Assignment
from tests.factories import annotate, article, submit

pytestmark = pytest.mark.django_db


def service_accepts(user, annotation) -> bool:
    try:
        services.check_may_label(
            reviewer=annotation.reviewer, article=annotation.claim.article, by=user
        )
    except ValidationError:
        return False
    return True


def put_review_in(state: str, story, reviewer, editor) -> None:
    """Bring ``reviewer``'s review of ``story`` (open while they labelled) into ``state``."""
    if state == "unassigned":  # e.g. an editor withdrew the assignment after work began
        Assignment.objects.filter(article=story, reviewer=reviewer).delete()
    elif state in ("submitted", "reopened"):
        review = submit(story, reviewer)
        if state == "reopened":
            services.assignment_reopen(review, by=editor)


@pytest.mark.parametrize("state", ["unassigned", "in_progress", "submitted", "reopened"])
def test_the_page_offers_a_change_exactly_when_the_service_accepts_it(
    state, reviewer_ann, reviewer_ben, editor_eve, outsider
):
    """For every writer, every owner and each state of the owner's review, the permission
    answers (one row, a list, a page) are the service's accept or refuse: one rule. And
    the rule: one's own labels while one's review is open, others' by editors any time."""
    story = article("Officials met on Monday. They agreed on nothing.")
    claim = story.claims.first()
    owners = (reviewer_ann, reviewer_ben, editor_eve)  # an editor's own work: the own rule
    work = [annotate(claim, owner, "Officials") for owner in owners]
    for owner in owners:
        put_review_in(state, story, owner, editor_eve)
    is_open = state in ("in_progress", "reopened")
    answers = set()
    for user in (*owners, outsider):
        for action in ("change", "delete"):
            changer = permissions.work_changer(user, story.pk, type(work[0]), action)
            many = permissions.changeable_work(user, work, action)
            for annotation in work:
                expected = service_accepts(user, annotation) and permissions.may(
                    user, action, type(annotation)
                )
                assert permissions.may_change_work(user, annotation, action) == expected, (
                    user,
                    annotation.reviewer,
                    action,
                )
                assert changer(annotation.reviewer_id) == expected, (user, annotation.reviewer)
                assert (annotation.pk in many) == expected, (user, annotation.reviewer)
                own = annotation.reviewer == user
                assert expected == (is_open if own else user == editor_eve), (user, annotation)
                answers.add(expected)
    assert answers == {True, False}  # the grid holds both answers: it can tell them apart
