"""The offset and quote invariants of annotations, through the service every caller uses."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import services
from claims.models import Annotation, Claim, ErrorType
from tests import factories
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


SPAN_TEXT = "Boundaries\n\nThe crowd shouted aaa twice. Next claim here."


@pytest.fixture
def shout(reviewer_ann):
    """The claim "The crowd shouted aaa twice.", followed at once by another claim."""
    story = factories.article(SPAN_TEXT)
    assign(story, reviewer_ann)
    return story.claims.get(text="The crowd shouted aaa twice.")


def tag(claim, reviewer, **span):
    return services.annotation_create(
        claim=claim, reviewer=reviewer, error_type=ErrorType.objects.get(slug="wrong-name"), **span
    )


def test_a_span_may_run_from_the_claims_first_to_its_last_character(shout, reviewer_ann):
    whole = tag(shout, reviewer_ann, start=shout.start, end=shout.end)
    assert whole.quote == "The crowd shouted aaa twice."


@pytest.mark.parametrize(
    "span",
    [
        pytest.param({"end_after": 1}, id="end-one-past-the-claim"),
        pytest.param({"start_before": 1}, id="start-one-before-the-claim"),
        pytest.param({"empty": True}, id="empty-span-at-the-claims-end"),
    ],
)
def test_a_span_one_past_the_claims_edge_is_refused(shout, reviewer_ann, span):
    start, end = shout.start, shout.end
    if "end_after" in span:
        start, end = shout.end - 3, shout.end + span["end_after"]
    elif "start_before" in span:
        start, end = shout.start - span["start_before"], shout.start + 3
    else:
        start = end = shout.end
    with pytest.raises(ValidationError) as refused:
        tag(shout, reviewer_ann, start=start, end=end)
    assert error_codes(refused.value) == {"span_outside_claim"}
    assert not Annotation.objects.exists()


def test_a_quote_that_overlaps_itself_is_ambiguous(shout, reviewer_ann):
    # "aa" occurs twice in "aaa" (at 0 and 1): a non-overlapping count would see it once.
    with pytest.raises(ValidationError) as refused:
        tag(shout, reviewer_ann, quote="aa")
    assert error_codes(refused.value) == {"quote_ambiguous"}
    whole = tag(shout, reviewer_ann, quote="aaa")
    assert (whole.start, whole.end) == (SPAN_TEXT.index("aaa"), SPAN_TEXT.index("aaa") + 3)
    second = tag(shout, reviewer_ann, start=whole.start + 1, end=whole.end)
    assert second.quote == "aa"


def test_a_quote_is_found_in_its_claim_not_elsewhere_in_the_article(shout, reviewer_ann):
    # "Next" is in the article, right after this claim: only the claim is searched.
    with pytest.raises(ValidationError) as refused:
        tag(shout, reviewer_ann, quote="Next")
    assert error_codes(refused.value) == {"quote_absent"}
    last = tag(shout, reviewer_ann, quote="twice.")
    assert last.end == shout.end
