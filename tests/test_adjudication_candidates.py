"""The candidates of a claim's adjudication, from plain objects: no database."""

from datetime import datetime, timedelta
from types import SimpleNamespace

from claims.adjudication_candidates import (
    ACCEPT,
    REJECT,
    disagree,
    group_candidates,
    shared_verdict,
)

SAVED = datetime(2026, 12, 1, 12, 0)
WRONG_TITLE = SimpleNamespace(pk=1, name="Wrong title", position=1)
WRONG_DATE = SimpleNamespace(pk=2, name="Wrong date", position=2)


def tag(pk, reviewer_id, start, end, kind=WRONG_TITLE, updated_at=SAVED, **fields):
    return SimpleNamespace(
        pk=pk,
        reviewer_id=reviewer_id,
        reviewer=SimpleNamespace(get_username=lambda: f"reviewer{reviewer_id}"),
        start=start,
        end=end,
        error_type=kind,
        error_type_id=kind.pk,
        quote=f"text {start}-{end}",
        updated_at=updated_at,
        is_orphaned=False,
        **fields,
    )


def group(shown, finals=(), adjudicated_at=None):
    return group_candidates(
        shown=shown, finals=finals, reviewer_ids={10, 20}, adjudicated_at=adjudicated_at
    )


def test_identical_tags_of_everyone_are_one_candidate_accepted_by_default():
    ann, ben = tag(1, 10, 0, 5), tag(2, 20, 0, 5)

    [candidate] = group([ann, ben])

    assert candidate.annotations == [ann, ben] and candidate.by_everyone
    assert candidate.default == ACCEPT and candidate.annotation_ids == "1,2"


def test_one_reviewers_tag_has_no_default_and_candidates_go_in_text_order():
    late, early = tag(1, 10, 6, 9), tag(2, 20, 0, 5, kind=WRONG_DATE)

    first, second = group([late, early])

    assert (first.annotations, second.annotations) == ([early], [late])
    assert first.default is second.default is None


def test_a_final_label_takes_its_origins_whatever_their_type_and_is_accepted():
    ann, ben = tag(1, 10, 0, 5), tag(2, 20, 0, 5, kind=WRONG_DATE)
    final = tag(9, None, 0, 5, kind=WRONG_TITLE)

    [candidate] = group([ann, ben], finals=[(final, {1, 2})], adjudicated_at=SAVED)

    assert candidate.final is final and candidate.annotations == [ann, ben]
    assert candidate.default == ACCEPT
    assert candidate.reviewer_names == ["reviewer10", "reviewer20 (as Wrong date)"]


def test_a_tag_the_editor_saw_and_left_out_is_rejected_unless_changed_since():
    seen = tag(1, 10, 0, 5)
    changed = tag(2, 20, 6, 9, updated_at=SAVED + timedelta(minutes=1))

    first, second = group([seen, changed], adjudicated_at=SAVED)

    assert (first.default, second.default) == (REJECT, None)


def test_reviewers_disagree_on_spans_or_verdicts():
    same = [[tag(1, 10, 0, 5)], [tag(2, 20, 0, 5)]]

    assert not disagree(same, ["accurate", "accurate"])
    assert disagree(same, ["accurate", ""])
    assert disagree([[tag(1, 10, 0, 5)], []], ["", ""])
    assert (shared_verdict(["accurate", "accurate"]), shared_verdict(["accurate", ""])) == (
        "accurate",
        "",
    )
