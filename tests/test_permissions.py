"""The write rule in claims/permissions.py says what the services then do."""

import pytest
from django.core.exceptions import ValidationError

from claims import permissions, services
from tests.factories import annotate, submit

pytestmark = pytest.mark.django_db


def service_accepts(user, annotation) -> bool:
    try:
        services.check_may_label(
            reviewer=annotation.reviewer, article=annotation.claim.article, by=user
        )
    except ValidationError:
        return False
    return True


def test_the_page_offers_a_change_exactly_when_the_service_accepts_it(
    seed_article, reviewer_ann, reviewer_ben, editor_eve
):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    work = [
        annotate(claim, reviewer_ann, "Foreign Minister"),
        annotate(claim, reviewer_ben, "Antony Blinken", slug="wrong-name"),
        annotate(claim, editor_eve, "Minister", slug="misquote"),
    ]
    submit(seed_article, reviewer_ben)
    submit(seed_article, editor_eve)  # an editor's own submitted review is read-only too
    for user in (reviewer_ann, reviewer_ben, editor_eve):
        changer = permissions.work_changer(user, seed_article.pk, type(work[0]))
        many = permissions.changeable_work(user, work)
        for annotation in work:
            expected = service_accepts(user, annotation)
            assert permissions.may_change_work(user, annotation) == expected, (user, annotation)
            assert changer(annotation.reviewer_id) == expected, (user, annotation)
            assert (annotation.pk in many) == expected, (user, annotation)
