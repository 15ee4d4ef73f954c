"""The offset and quote invariants of annotations, through the service every caller uses."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import services
from claims.models import Annotation, Claim, ErrorType
from tests.factories import annotate, assign


def error_codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


@pytest.fixture
def first_claim(seed_article, reviewer_ann):
    assign(seed_article, reviewer_ann)
    return seed_article.claims.get(text__startswith="Foreign Minister")


def test_quote_resolves_to_article_offsets(first_claim, reviewer_ann):
    annotation = annotate(first_claim, reviewer_ann, "Foreign Minister")
    assert (annotation.start, annotation.end) == (65, 81)
    assert first_claim.article.text[annotation.start : annotation.end] == "Foreign Minister"


def test_offsets_resolve_to_the_quote(first_claim, reviewer_ann):
    annotation = services.annotation_create(
        claim=first_claim,
        reviewer=reviewer_ann,
        start=65,
        end=81,
        error_type=ErrorType.objects.get(slug="wrong-title"),
    )
    assert annotation.quote == "Foreign Minister"


@pytest.mark.parametrize(
    ("span", "code"),
    [
        ({"quote": "Secretary of State"}, "quote_absent"),
        ({"quote": "he"}, "quote_ambiguous"),
        ({"start": 0, "end": 10}, "span_outside_claim"),
        ({"start": 65, "end": 500}, "span_outside_claim"),
        ({"start": 65}, "span_incomplete"),
        ({}, "span_missing"),
        ({"start": 65, "end": 81, "quote": "Foreign Ministry"}, "quote_mismatch"),
    ],
)
def test_bad_span_is_refused_and_nothing_is_written(first_claim, reviewer_ann, span, code):
    with pytest.raises(ValidationError) as refused:
        services.annotation_create(
            claim=first_claim,
            reviewer=reviewer_ann,
            error_type=ErrorType.objects.get(slug="wrong-title"),
            **span,
        )
    assert error_codes(refused.value) == {code}
    assert not Annotation.objects.exists()


def test_database_refuses_an_empty_span(first_claim, reviewer_ann):
    annotation = annotate(first_claim, reviewer_ann, "Foreign Minister")
    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.filter(pk=annotation.pk).update(end=annotation.start)


def test_database_refuses_two_claims_with_one_order(seed_article):
    first, second = seed_article.claims.all()[:2]
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=second.pk).update(order=first.order)


def test_claim_text_must_match_its_offsets(seed_article):
    claim = seed_article.claims.first()
    claim.text = claim.text + " (edited)"
    with pytest.raises(ValidationError, match="claim text must equal"):
        claim.full_clean()


def test_new_sources_are_created_and_existing_ones_reused(first_claim, reviewer_ann):
    kept = services.NewSource(url="https://www.state.gov/biographies/antony-j-blinken/")
    first = annotate(first_claim, reviewer_ann, "Foreign Minister", sources=[kept])
    source = first.sources.get()
    second = annotate(
        first_claim, reviewer_ann, "Antony Blinken", slug="wrong-name", sources=[source]
    )
    assert list(second.sources.all()) == [source]
    assert source.added_by == reviewer_ann


def test_overlapping_annotations_by_different_reviewers_coexist(
    first_claim, reviewer_ann, reviewer_ben
):
    ann = annotate(first_claim, reviewer_ann, "Foreign Minister")
    ben = annotate(first_claim, reviewer_ben, "Foreign Minister Antony Blinken")
    assert ann.overlaps(ben) and ben.overlaps(ann)
