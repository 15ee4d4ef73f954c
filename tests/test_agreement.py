"""Tests for claims.agreement (pure Python, no database needed).

Sections:
1. Published worked examples (to three decimals).
2. Edge cases and documented conventions of the categorical coefficients.
3. Span-level agreement.
4. Agreement with independent PyPI implementations on random data
   (krippendorff, statsmodels, scikit-learn: dev dependencies, used only here).
"""

import dataclasses
import random
from fractions import Fraction

import pytest

from claims.agreement import (
    SpanAgreement,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    pairwise_span_agreement,
    span_agreement,
    units_from_labels,
)

# --------------------------------------------------------------------------
# 1. Published worked examples
# --------------------------------------------------------------------------

NA = None  # missing value, "*" in Krippendorff's table

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the worked
# example with missing data: 4 observers (A-D) x 12 units.  Rows are observers.
KRIPPENDORFF_2011_BY_OBSERVER = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA],  # A
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3],  # B
    [NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA],  # C
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA],  # D
]
KRIPPENDORFF_2011_UNITS = [list(unit) for unit in zip(*KRIPPENDORFF_2011_BY_OBSERVER, strict=True)]

# Fleiss (1971) example as reproduced on Wikipedia ("Fleiss' kappa"): 10
# subjects, 14 raters each, counts per category 1..5.
FLEISS_1971_COUNTS = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def _units_from_counts(counts_table):
    """Expand a subjects x categories count table into label lists (labels 1..k)."""
    return [
        [category for category, count in enumerate(row, start=1) for _ in range(count)]
        for row in counts_table
    ]


def test_krippendorff_2011_example_nominal_alpha_is_0_743():
    assert round(krippendorff_alpha(KRIPPENDORFF_2011_UNITS, "nominal"), 3) == 0.743


def test_krippendorff_2011_example_interval_alpha_is_0_849():
    assert round(krippendorff_alpha(KRIPPENDORFF_2011_UNITS, "interval"), 3) == 0.849


def test_krippendorff_2011_example_ordinal_alpha_is_0_815():
    assert round(krippendorff_alpha(KRIPPENDORFF_2011_UNITS, "ordinal"), 3) == 0.815


def test_krippendorff_alpha_defaults_to_nominal():
    assert krippendorff_alpha(KRIPPENDORFF_2011_UNITS) == krippendorff_alpha(
        KRIPPENDORFF_2011_UNITS, "nominal"
    )


def test_fleiss_1971_example_kappa_is_0_210():
    units = _units_from_counts(FLEISS_1971_COUNTS)
    assert all(len(unit) == 14 for unit in units)
    assert round(fleiss_kappa(units), 3) == 0.210


def test_cohen_wikipedia_example_kappa_is_0_4():
    # 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15.
    a = ["yes"] * 20 + ["yes"] * 5 + ["no"] * 10 + ["no"] * 15
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4, abs=1e-12)


# --------------------------------------------------------------------------
# 2. Edge cases and conventions: categorical coefficients
# --------------------------------------------------------------------------


def test_cohen_kappa_rejects_unequal_lengths():
    with pytest.raises(ValueError, match="equal-length"):
        cohen_kappa(["a", "b"], ["a"])


def test_cohen_kappa_rejects_all_missing():
    with pytest.raises(ValueError, match="no item"):
        cohen_kappa([None, "a", None], ["b", None, None])


def test_cohen_kappa_rejects_empty_lists():
    with pytest.raises(ValueError):
        cohen_kappa([], [])


def test_cohen_kappa_perfect_agreement_is_one():
    labels = ["supported", "refuted", "unverifiable", "supported"]
    assert cohen_kappa(labels, list(labels)) == 1.0


def test_cohen_kappa_single_shared_category_is_one_not_nan():
    # p_e == 1 makes kappa 0/0; documented choice is 1.0.
    assert cohen_kappa([True, True, True], [True, True, True]) == 1.0


def test_cohen_kappa_drops_items_where_either_label_is_missing():
    a = ["x", None, "y", "x", "y", "x"]
    b = ["x", "y", None, "y", "y", "x"]
    kept_a = ["x", "x", "y", "x"]
    kept_b = ["x", "y", "y", "x"]
    assert cohen_kappa(a, b) == cohen_kappa(kept_a, kept_b)


def test_cohen_kappa_accepts_boolean_labels_and_total_disagreement_is_minus_one():
    assert cohen_kappa([True, False, True, False], [False, True, False, True]) == -1.0


def test_cohen_kappa_is_symmetric_in_raters():
    a = ["x", "y", "y", "z", "x", "x"]
    b = ["x", "y", "z", "z", "y", "x"]
    assert cohen_kappa(a, b) == cohen_kappa(b, a)


def test_fleiss_kappa_rejects_all_missing():
    with pytest.raises(ValueError, match="at least two"):
        fleiss_kappa([[None, None], [None, None]])


def test_fleiss_kappa_rejects_items_with_only_single_ratings():
    with pytest.raises(ValueError):
        fleiss_kappa([["a", None], [None, "b"]])


def test_fleiss_kappa_perfect_agreement_is_one():
    assert fleiss_kappa([["a", "a", "a"], ["b", "b", "b"], ["c", "c", "c"]]) == 1.0


def test_fleiss_kappa_single_category_everywhere_is_one():
    assert fleiss_kappa([["a", "a"], ["a", "a", None]]) == 1.0


def test_fleiss_kappa_varying_rater_count_matches_hand_computation():
    # Gwet's generalisation, worked by hand:
    #   u1 a a a   n=3  P=1      props a=1,   b=0
    #   u2 a b     n=2  P=0      props a=1/2, b=1/2
    #   u3 b b a   n=3  P=1/3    props a=1/3, b=2/3
    # P_bar = 4/9; p_a = 11/18, p_b = 7/18; P_e = 170/324
    # kappa = (4/9 - 170/324) / (1 - 170/324) = -13/77
    units = [["a", "a", "a", None], ["a", None, "b", None], ["b", "b", "a", None]]
    p_bar = Fraction(4, 9)
    p_e = Fraction(11, 18) ** 2 + Fraction(7, 18) ** 2
    assert (p_bar - p_e) / (1 - p_e) == Fraction(-13, 77)
    assert fleiss_kappa(units) == pytest.approx(-13 / 77, abs=1e-12)


def test_fleiss_kappa_ignores_items_with_fewer_than_two_ratings():
    units = [["a", "a", "b"], ["b", "b", None], ["a", "b", "b"]]
    padded = units + [["a", None, None], [None, None, None]]
    assert fleiss_kappa(padded) == fleiss_kappa(units)


def test_fleiss_kappa_with_constant_count_ignores_which_reviewers_are_missing():
    # Three ratings per item, but from different reviewers: still the classic case.
    compact = [["a", "b", "a"], ["b", "b", "b"], ["a", "c", "c"], ["c", "a", "a"]]
    spread = [
        ["a", None, "b", "a", None],
        [None, "b", "b", None, "b"],
        ["a", "c", None, None, "c"],
        [None, None, "c", "a", "a"],
    ]
    assert fleiss_kappa(spread) == fleiss_kappa(compact)


def test_krippendorff_alpha_rejects_unknown_level():
    with pytest.raises(ValueError, match="unknown level"):
        krippendorff_alpha(KRIPPENDORFF_2011_UNITS, "ratio")


def test_krippendorff_alpha_rejects_all_missing():
    with pytest.raises(ValueError, match="at least two"):
        krippendorff_alpha([[None, None, None], [None, None, None]])


def test_krippendorff_alpha_rejects_data_without_pairable_units():
    with pytest.raises(ValueError):
        krippendorff_alpha([[1, None], [None, 2]])


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_krippendorff_alpha_perfect_agreement_is_one(level):
    units = [[1, 1, None], [2, 2, 2], [3, None, 3]]
    assert krippendorff_alpha(units, level) == 1.0


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_krippendorff_alpha_single_value_everywhere_is_one(level):
    assert krippendorff_alpha([[4, 4], [4, None, 4]], level) == 1.0


def test_krippendorff_alpha_drops_unpairable_units():
    padded = KRIPPENDORFF_2011_UNITS + [[None, 7, None, None], [None] * 4]
    assert krippendorff_alpha(padded) == krippendorff_alpha(KRIPPENDORFF_2011_UNITS)


def test_krippendorff_nominal_alpha_accepts_string_labels():
    as_strings = [
        [None if v is None else f"label-{v}" for v in unit] for unit in KRIPPENDORFF_2011_UNITS
    ]
    assert krippendorff_alpha(as_strings) == krippendorff_alpha(KRIPPENDORFF_2011_UNITS)


def test_krippendorff_ordinal_alpha_depends_only_on_rank_order():
    relabel = {1: 10, 2: 11, 3: 50, 4: 51, 5: 1000}
    relabelled = [
        [None if v is None else relabel[v] for v in unit] for unit in KRIPPENDORFF_2011_UNITS
    ]
    assert krippendorff_alpha(relabelled, "ordinal") == pytest.approx(
        krippendorff_alpha(KRIPPENDORFF_2011_UNITS, "ordinal"), abs=1e-12
    )


def test_krippendorff_interval_alpha_rejects_non_numbers():
    with pytest.raises(ValueError, match="numbers"):
        krippendorff_alpha([["low", "high"], ["low", "low"]], "interval")


def test_krippendorff_ordinal_alpha_rejects_incomparable_values():
    with pytest.raises(ValueError, match="comparable"):
        krippendorff_alpha([["low", 1], [2, 2]], "ordinal")


def test_units_from_labels_fills_missing_reviewers_with_none_in_reviewer_order():
    labels = {
        "claim-1": {"ann": "supported", "bob": "refuted"},
        "claim-2": {"bob": "supported"},
        "claim-3": {},
    }
    assert units_from_labels(labels, ["bob", "ann", "cat"]) == [
        ["refuted", "supported", None],
        ["supported", None, None],
        [None, None, None],
    ]


def test_units_from_labels_ignores_reviewers_not_listed():
    labels = {"claim-1": {"ann": "x", "zed": "y"}}
    assert units_from_labels(labels, ["ann"]) == [["x"]]


def test_units_from_labels_rejects_duplicate_reviewers():
    with pytest.raises(ValueError, match="duplicates"):
        units_from_labels({"c": {"ann": "x"}}, ["ann", "ann"])


def test_units_from_labels_feeds_the_coefficients():
    labels = {
        "c1": {"ann": "s", "bob": "s", "cat": "r"},
        "c2": {"ann": "r", "bob": "r"},
        "c3": {"ann": "s", "cat": "s"},
    }
    units = units_from_labels(labels, ["ann", "bob", "cat"])
    assert fleiss_kappa(units) == fleiss_kappa([["s", "s", "r"], ["r", "r"], ["s", "s"]])
    assert krippendorff_alpha(units) == krippendorff_alpha(
        [["s", "s", "r"], ["r", "r"], ["s", "s"]]
    )


# --------------------------------------------------------------------------
# 3. Span-level agreement
# --------------------------------------------------------------------------


def test_span_agreement_both_empty_is_full_agreement():
    result = span_agreement([], [])
    assert (result.exact_f1, result.overlap_f1) == (1.0, 1.0)
    assert result.by_label == {}
    assert (result.overlap_precision, result.overlap_recall) == (1.0, 1.0)


def test_span_agreement_one_side_empty_is_zero():
    spans = [(0, 5, "date")]
    for a, b in [(spans, []), ([], spans)]:
        result = span_agreement(a, b)
        assert (result.exact_f1, result.overlap_f1) == (0.0, 0.0)
        assert (result.overlap_precision, result.overlap_recall) == (0.0, 0.0)


def test_span_agreement_identical_spans_are_perfect():
    spans = [(0, 5, "date"), (10, 20, "number"), (30, 31, "date")]
    result = span_agreement(spans, list(reversed(spans)))
    assert (result.exact_f1, result.overlap_f1) == (1.0, 1.0)
    assert result.by_label == {"date": (1.0, 1.0), "number": (1.0, 1.0)}


def test_span_agreement_shifted_span_matches_by_overlap_only():
    result = span_agreement([(0, 10, "date")], [(2, 12, "date")])
    assert result.exact_f1 == 0.0
    assert result.overlap_f1 == 1.0


def test_span_agreement_requires_same_label_for_any_match():
    result = span_agreement([(0, 10, "date")], [(0, 10, "number")])
    assert (result.exact_f1, result.overlap_f1) == (0.0, 0.0)
    assert result.by_label == {"date": (0.0, 0.0), "number": (0.0, 0.0)}


def test_span_agreement_adjacent_spans_do_not_overlap_because_end_is_exclusive():
    result = span_agreement([(0, 5, "x")], [(5, 10, "x")])
    assert result.overlap_f1 == 0.0


def test_span_agreement_overlap_matching_is_one_to_one():
    # One long reference span against two short predictions: only one pair counts.
    result = span_agreement([(0, 10, "x")], [(0, 4, "x"), (5, 10, "x")])
    assert result.overlap_recall == 1.0
    assert result.overlap_precision == 0.5
    assert result.overlap_f1 == pytest.approx(2 / 3)


def test_span_agreement_greedy_matching_takes_best_overlap_first():
    # a1=(0,10) touches both b's; a2=(9,12) only b1.  Best-IoU-first pairs
    # (a2, b1) then (a1, b2); a naive first-come scan would pair (a1, b1) and
    # leave a2 unmatched.
    result = span_agreement([(0, 10, "x"), (9, 12, "x")], [(9, 12, "x"), (0, 9, "x")])
    assert result.overlap_f1 == 1.0
    assert result.exact_f1 == 0.5


def test_span_agreement_precision_is_against_b_and_recall_against_a():
    a = [(0, 5, "x")]
    b = [(0, 5, "x"), (10, 15, "x"), (20, 25, "x")]
    result = span_agreement(a, b)
    assert result.exact_recall == 1.0
    assert result.exact_precision == pytest.approx(1 / 3)
    assert result.exact_f1 == 0.5


def test_span_agreement_reports_per_label_values():
    a = [(0, 5, "date"), (10, 15, "number")]
    b = [(0, 5, "date"), (11, 15, "number"), (20, 25, "quote")]
    result = span_agreement(a, b)
    assert result.by_label == {
        "date": (1.0, 1.0),
        "number": (0.0, 1.0),
        "quote": (0.0, 0.0),
    }
    assert result.exact_f1 == pytest.approx(2 / 5)  # TP 1, |A| 2, |B| 3
    assert result.overlap_f1 == pytest.approx(4 / 5)  # TP 2
    assert result.overlap_precision == pytest.approx(2 / 3)
    assert result.overlap_recall == 1.0


def test_span_agreement_counts_duplicate_spans_once_per_copy():
    result = span_agreement([(0, 5, "x"), (0, 5, "x")], [(0, 5, "x")])
    assert result.exact_f1 == pytest.approx(2 / 3)
    assert result.overlap_f1 == pytest.approx(2 / 3)


def test_span_agreement_accepts_lists_from_json():
    result = span_agreement([[0, 5, "x"]], [[0, 5, "x"]])
    assert result.exact_f1 == 1.0


def test_span_agreement_zero_length_spans_match_only_exactly():
    assert span_agreement([(3, 3, "x")], [(3, 3, "x")]).overlap_f1 == 1.0
    assert span_agreement([(3, 3, "x")], [(0, 10, "x")]).overlap_f1 == 0.0


def test_span_agreement_rejects_span_ending_before_start():
    with pytest.raises(ValueError, match="ends before"):
        span_agreement([(5, 2, "x")], [])


def test_span_agreement_rejects_malformed_span():
    with pytest.raises(ValueError, match="start, end, label"):
        span_agreement([(0, 5)], [])
    with pytest.raises(ValueError, match="integers"):
        span_agreement([("0", 5, "x")], [])


def test_span_agreement_result_is_frozen():
    result = span_agreement([], [])
    assert isinstance(result, SpanAgreement)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.exact_f1 = 0.0


def _random_spans(rng, count, labels=("x", "y")):
    spans = []
    for _ in range(count):
        start = rng.randint(0, 40)
        spans.append((start, start + rng.randint(0, 12), rng.choice(labels)))
    return spans


def test_span_agreement_f1_is_symmetric_and_precision_recall_swap():
    rng = random.Random(20240601)
    for _ in range(500):
        a = _random_spans(rng, rng.randint(0, 6))
        b = _random_spans(rng, rng.randint(0, 6))
        ab, ba = span_agreement(a, b), span_agreement(b, a)
        assert ab.exact_f1 == ba.exact_f1
        assert ab.overlap_f1 == ba.overlap_f1
        assert ab.overlap_precision == ba.overlap_recall
        assert ab.overlap_recall == ba.overlap_precision
        assert ab.by_label.keys() == ba.by_label.keys()
        assert all(ab.by_label[k] == ba.by_label[k] for k in ab.by_label)
        assert ab.overlap_f1 >= ab.exact_f1
        assert ab.overlap_precision >= ab.exact_precision


def test_pairwise_span_agreement_has_one_sorted_key_per_unordered_pair():
    spans = {
        "cat": [(0, 5, "x")],
        "ann": [(0, 5, "x")],
        "bob": [(1, 5, "x")],
    }
    result = pairwise_span_agreement(spans)
    assert list(result) == [("ann", "bob"), ("ann", "cat"), ("bob", "cat")]
    assert result[("ann", "cat")].exact_f1 == 1.0
    assert result[("ann", "bob")] == span_agreement(spans["ann"], spans["bob"])
    assert result[("bob", "cat")].exact_f1 == 0.0
    assert result[("bob", "cat")].overlap_f1 == 1.0


def test_pairwise_span_agreement_uses_first_sorted_reviewer_as_reference():
    spans = {"zed": [(0, 5, "x"), (10, 15, "x")], "amy": [(0, 5, "x")]}
    result = pairwise_span_agreement(spans)[("amy", "zed")]
    assert result.exact_recall == 1.0
    assert result.exact_precision == 0.5


def test_pairwise_span_agreement_with_fewer_than_two_reviewers_is_empty():
    assert pairwise_span_agreement({}) == {}
    assert pairwise_span_agreement({"ann": [(0, 1, "x")]}) == {}


def test_pairwise_span_agreement_accepts_one_shot_iterators():
    spans = {r: iter([(0, 5, "x")]) for r in ("a", "b", "c")}
    result = pairwise_span_agreement(spans)
    assert all(agreement.exact_f1 == 1.0 for agreement in result.values())


# --------------------------------------------------------------------------
# 4. Independent implementations (dev dependencies, deliberately not skipped)
# --------------------------------------------------------------------------

# The reference packages are imported inside the tests that use them: scikit-learn and
# statsmodels take ~2 s of CPU to import, and every xdist worker collects this module while
# only one runs these tests.

TRIALS = 300
TOLERANCE = 1e-9


def test_cohen_kappa_matches_sklearn_on_random_pairs_with_missing_values():
    from sklearn.metrics import cohen_kappa_score

    rng = random.Random(1960)
    checked = 0
    for _ in range(TRIALS):
        categories = ["s", "r", "u", "m"][: rng.randint(2, 4)]
        n = rng.randint(2, 40)
        a = [None if rng.random() < 0.1 else rng.choice(categories) for _ in range(n)]
        b = [None if rng.random() < 0.1 else rng.choice(categories) for _ in range(n)]
        kept = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
        if len({v for pair in kept for v in pair}) < 2:
            continue  # sklearn returns NaN where we return 1.0 by design
        reference = cohen_kappa_score([x for x, _ in kept], [y for _, y in kept])
        assert abs(cohen_kappa(a, b) - reference) < TOLERANCE
        checked += 1
    assert checked > TRIALS * 0.9


def test_fleiss_kappa_matches_statsmodels_on_random_tables():
    import numpy as np
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

    rng = random.Random(1971)
    checked = 0
    for _ in range(TRIALS):
        n_categories = rng.randint(2, 5)
        n_raters = rng.randint(2, 8)
        units = [
            [rng.randrange(n_categories) for _ in range(n_raters)]
            for _ in range(rng.randint(2, 30))
        ]
        if len({v for unit in units for v in unit}) < 2:
            continue  # statsmodels returns NaN where we return 1.0 by design
        table = [[unit.count(c) for c in range(n_categories)] for unit in units]
        reference = sm_fleiss_kappa(np.array(table), method="fleiss")
        assert abs(fleiss_kappa(units) - reference) < TOLERANCE
        checked += 1
    assert checked > TRIALS * 0.9


def _random_reliability_data(rng):
    """Observers x units with values 1..5 and ~30% missing, non-degenerate."""
    while True:
        n_observers, n_units = rng.randint(2, 6), rng.randint(2, 30)
        values = list(range(1, rng.randint(2, 5) + 1))
        data = [
            [None if rng.random() < 0.3 else rng.choice(values) for _ in range(n_units)]
            for _ in range(n_observers)
        ]
        units = [list(unit) for unit in zip(*data, strict=True)]
        pairable = [v for u in units if sum(x is not None for x in u) >= 2 for v in u]
        if len({v for v in pairable if v is not None}) >= 2:
            return data, units


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_krippendorff_alpha_matches_krippendorff_package_on_random_data(level):
    import krippendorff
    import numpy as np

    rng = random.Random(f"alpha-{level}")
    for _ in range(TRIALS):
        data, units = _random_reliability_data(rng)
        matrix = np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)
        reference = krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)
        assert abs(krippendorff_alpha(units, level) - reference) < TOLERANCE
