"""Splitting and merging claims from the admin keeps annotations on the right claim."""

import pytest
from django.core.exceptions import ValidationError

from claims import services
from tests.factories import annotate, article


@pytest.fixture
def story(db):
    return article("Headline here\n\nFirst part of it, and the second part is here. Next one.")


def assert_claims_consistent(story):
    orders = list(story.claims.values_list("order", flat=True))
    assert orders == list(range(len(orders)))
    for claim in story.claims.all():
        assert story.text[claim.start : claim.end] == claim.text
        for annotation in claim.annotations.all():
            assert claim.start <= annotation.start < annotation.end <= claim.end


def test_split_moves_annotations_to_the_half_that_holds_them(story, reviewer_ann):
    claim = story.claims.get(text__startswith="First part")
    left_tag = annotate(claim, reviewer_ann, "First part")
    right_tag = annotate(claim, reviewer_ann, "second part")
    at = story.text.index("and the second")
    left, right = services.claim_split(claim, at=at)
    assert left.text == "First part of it,"
    assert right.text == "and the second part is here."
    left_tag.refresh_from_db()
    right_tag.refresh_from_db()
    assert (left_tag.claim, right_tag.claim) == (left, right)
    assert [c.text for c in story.claims.all()][-1] == "Next one."
    assert_claims_consistent(story)


def test_split_through_an_annotation_is_refused(story, reviewer_ann):
    claim = story.claims.get(text__startswith="First part")
    annotate(claim, reviewer_ann, "second part")
    with pytest.raises(ValidationError, match="annotated span"):
        services.claim_split(claim, at=story.text.index("part is"))
    assert_claims_consistent(story)
    assert story.claims.count() == 3


def test_split_at_an_edge_is_refused(story):
    claim = story.claims.get(text__startswith="First part")
    with pytest.raises(ValidationError, match="Split inside the claim"):
        services.claim_split(claim, at=claim.start)


def test_merge_keeps_both_claims_annotations(story, reviewer_ann):
    claim = story.claims.get(text__startswith="First part")
    following = story.claims.get(text="Next one.")
    annotate(claim, reviewer_ann, "First part")
    annotate(following, reviewer_ann, "Next one")
    merged = services.claim_merge_with_next(claim)
    assert merged.text == "First part of it, and the second part is here. Next one."
    assert merged.annotations.count() == 2
    assert story.claims.count() == 2
    assert_claims_consistent(story)


def test_merge_of_the_last_claim_is_refused(story):
    with pytest.raises(ValidationError, match="last claim"):
        services.claim_merge_with_next(story.claims.last())


def test_split_then_merge_restores_the_claim(story):
    claim = story.claims.get(text__startswith="First part")
    original = claim.text
    left, _ = services.claim_split(claim, at=story.text.index("and the second"))
    assert services.claim_merge_with_next(left).text == original
    assert_claims_consistent(story)
