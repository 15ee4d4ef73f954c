"""An exact duplicate (same reviewer, claim, span and error type) is refused everywhere:
in the service, by the database, over the API (400, even under a race) and in the admin."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from claims import services
from claims.models import Annotation, ErrorType
from tests.factories import annotate, assign


@pytest.fixture
def claim(seed_article, reviewer_ann):
    assign(seed_article, reviewer_ann)
    return seed_article.claims.get(text__startswith="Foreign Minister")


def wrong_title():
    return ErrorType.objects.get(slug="wrong-title")


def test_service_refuses_an_exact_duplicate_and_names_the_existing_annotation(claim, reviewer_ann):
    first = annotate(claim, reviewer_ann, "Foreign Minister", correction="Secretary of State")
    with pytest.raises(ValidationError) as refused:
        services.annotation_create(
            claim=claim, reviewer=reviewer_ann, start=65, end=81, error_type=wrong_title()
        )
    assert refused.value.error_list[0].code == "duplicate_annotation"
    assert refused.value.messages == [
        f"ann already tagged “Foreign Minister” (65–81) as Wrong title or role in this claim: "
        f"annotation {first.pk}. Change that one instead of adding a copy."
    ]
    assert list(Annotation.objects.all()) == [first]


def test_same_span_with_another_type_or_by_another_reviewer_is_no_duplicate(
    claim, reviewer_ann, reviewer_ben
):
    annotate(claim, reviewer_ann, "Foreign Minister")
    annotate(claim, reviewer_ann, "Foreign Minister", slug="mistranslation")
    annotate(claim, reviewer_ben, "Foreign Minister")
    annotate(claim, reviewer_ann, "Foreign Minister Antony Blinken")
    assert Annotation.objects.count() == 4


def test_update_into_a_duplicate_is_refused_and_changes_nothing(claim, reviewer_ann):
    first = annotate(claim, reviewer_ann, "Foreign Minister")
    second = annotate(claim, reviewer_ann, "Foreign Minister", slug="mistranslation", note="n")
    with pytest.raises(ValidationError) as refused:
        services.annotation_update(second, by=reviewer_ann, error_type=wrong_title(), note="x")
    assert refused.value.error_list[0].code == "duplicate_annotation"
    assert f"annotation {first.pk}" in refused.value.messages[0]
    second.refresh_from_db()
    assert (second.error_type.slug, second.note) == ("mistranslation", "n")
    # Saving an annotation unchanged is not a duplicate of itself.
    services.annotation_update(first, by=reviewer_ann, note="still mine")


def test_database_refuses_a_duplicate_that_skips_the_service(claim, reviewer_ann):
    first = annotate(claim, reviewer_ann, "Foreign Minister")
    copy = Annotation(
        claim=claim,
        reviewer=reviewer_ann,
        start=first.start,
        end=first.end,
        quote=first.quote,
        error_type=first.error_type,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_a_copy_refused_by_the_constraint_becomes_the_same_validation_error(claim, reviewer_ann):
    """What a writer that got past the check (without the services' locks) meets."""
    from claims.services.annotations import _save_unique

    first = annotate(claim, reviewer_ann, "Foreign Minister")
    copy = Annotation(
        claim=claim,
        reviewer=reviewer_ann,
        start=first.start,
        end=first.end,
        quote=first.quote,
        error_type=first.error_type,
    )
    with pytest.raises(ValidationError) as refused:
        _save_unique(copy)
    assert refused.value.error_list[0].code == "duplicate_annotation"
    assert f"annotation {first.pk}" in refused.value.messages[0]
    assert list(Annotation.objects.all()) == [first]  # and the transaction is still usable


def test_api_answers_400_with_the_message(claim, reviewer_ann, api_as):
    first = annotate(claim, reviewer_ann, "Foreign Minister")
    client = api_as(reviewer_ann)
    response = client.post(
        "/api/v1/annotations/",
        {"claim": claim.pk, "quote": "Foreign Minister", "error_type": "wrong-title"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert f"annotation {first.pk}. Change that one" in str(response.json())

    other = annotate(claim, reviewer_ann, "Foreign Minister", slug="mistranslation")
    patched = client.patch(
        f"/api/v1/annotations/{other.pk}/", {"error_type": "wrong-title"}, format="json"
    )
    assert patched.status_code == 400, patched.content
    assert f"annotation {first.pk}" in str(patched.json())
    assert Annotation.objects.count() == 2


def test_admin_form_shows_the_duplicate_message_once(client, claim, reviewer_ann):
    first = annotate(claim, reviewer_ann, "Foreign Minister")
    client.force_login(reviewer_ann)
    response = client.post(
        reverse("admin:claims_annotation_add") + f"?claim={claim.pk}",
        {
            "claim": claim.pk,
            "quote": "Foreign Minister",
            "start": "",
            "end": "",
            "error_type": wrong_title().pk,
            "severity": "major",
            "correction": "",
            "note": "",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(f"annotation {first.pk}. Change that one") == 1
    assert Annotation.objects.count() == 1


_answered = threading.Event()  # the second request has its answer


def race_with_an_uncommitted_copy(claim, reviewer, second_request) -> dict:
    """Run ``second_request()`` while another transaction holds the same tag, written but
    not committed. The second waits (on PostgreSQL, on the article's claim locks the writers
    take, or on the unique index without them; on SQLite, for the database's write lock)
    and is then refused as a duplicate: by its own check, or by the constraint, which the
    service turns into the same message. Returns what the second answered."""
    first_written = threading.Event()
    _answered.clear()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                services.annotation_create(
                    claim=claim, reviewer=reviewer, start=65, end=81, error_type=wrong_title()
                )
                first_written.set()
                outcome["second_waited"] = _wait_for_a_blocked_writer()
        finally:
            connection.close()

    def second():
        first_written.wait(timeout=30)
        try:
            outcome["response"] = second_request()
            _answered.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcome["second_waited"], "the second request never waited on the first's row"
    assert Annotation.objects.count() == 1
    return outcome["response"]


# serialized_rollback: a transactional test empties the tables after it, including the
# error types and roles that migrations load; this puts them back first.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_api_requests_for_one_tag_give_one_annotation_and_a_400(
    seed_article, reviewer_ann, api_as
):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    assign(seed_article, reviewer_ann)
    client = api_as(reviewer_ann)
    response = race_with_an_uncommitted_copy(
        claim,
        reviewer_ann,
        lambda: client.post(
            "/api/v1/annotations/",
            {"claim": claim.pk, "start": 65, "end": 81, "error_type": "wrong-title"},
            format="json",
        ),
    )
    assert response.status_code == 400, response.content
    assert "already tagged “Foreign Minister” (65–81)" in str(response.json())


# serialized_rollback: a transactional test empties the tables after it, including the
# error types and roles that migrations load; this puts them back first.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_form_racing_a_copy_shows_the_duplicate_message_once(
    client, seed_article, reviewer_ann
):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    assign(seed_article, reviewer_ann)
    client.force_login(reviewer_ann)
    form = {
        "claim": claim.pk,
        "quote": "Foreign Minister",
        "start": "",
        "end": "",
        "error_type": wrong_title().pk,
        "severity": "major",
        "correction": "",
        "note": "",
    }
    add = reverse("admin:claims_annotation_add") + f"?claim={claim.pk}"
    response = race_with_an_uncommitted_copy(claim, reviewer_ann, lambda: client.post(add, form))
    assert response.status_code == 200
    assert response.content.decode().count("already tagged “Foreign Minister” (65–81)") == 1


def _wait_for_a_blocked_writer(attempts: int = 400) -> bool:
    """True once another session of this database waits on a lock (ours, uncommitted)."""
    if connection.vendor == "sqlite":
        # SQLite shows no lock table. Its IMMEDIATE transactions queue the second writer in
        # the busy timeout: hold ours a moment and check the second has not answered yet.
        time.sleep(0.5)
        return not _answered.is_set()
    with connection.cursor() as cursor:
        for _ in range(attempts):
            # pg_locks is live; pg_stat_activity would be frozen for this transaction.
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False
