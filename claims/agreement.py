"""Inter-annotator agreement statistics for the fact-check annotation tool.

Pure Python on purpose (no numpy, no Django): the web app computes these on
request and should not need a scientific stack at runtime.  The test suite
checks every coefficient against published worked examples and against
independent PyPI implementations.

Conventions shared by every function here:

* ``None`` is the only "missing" marker.  A reviewer who gave no label for an
  item contributes ``None`` in that position.
* The ``units`` shape used by :func:`fleiss_kappa` and
  :func:`krippendorff_alpha` is a list with one entry per item; each entry is
  a list holding every reviewer's label for that item (``None`` where the
  reviewer gave none).  :func:`units_from_labels` builds it from a mapping.
* Chance-corrected coefficients are undefined (0/0) when every rating falls in
  one single category.  In that case the observed agreement is necessarily
  perfect, and we return ``1.0`` rather than NaN or an error, because for this
  tool "everyone said SUPPORTED on every claim" must read as full agreement.
"""

from __future__ import annotations

import itertools
import numbers
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "SpanAgreement",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "pairwise_span_agreement",
    "span_agreement",
    "units_from_labels",
]

Label = Hashable
Unit = Sequence[Label]
Span = tuple[int, int, Label]


# --------------------------------------------------------------------------
# Claim-level (categorical) agreement
# --------------------------------------------------------------------------


def units_from_labels(
    labels_by_item: Mapping[Hashable, Mapping[Hashable, Label]],
    reviewers: Sequence[Hashable],
) -> list[list[Label]]:
    """Turn ``{item: {reviewer: label}}`` into the ``units`` shape.

    One unit per item, in the mapping's iteration order; within a unit the
    labels follow the order of ``reviewers``, with ``None`` where that reviewer
    has no label for the item.  Labels from reviewers not listed in
    ``reviewers`` are ignored, so callers can restrict a table to a subset of
    reviewers.  Items nobody labelled are kept (as all-``None`` units); the
    coefficient functions drop them.
    """
    reviewers = list(reviewers)
    if len(set(reviewers)) != len(reviewers):
        # A duplicated reviewer would silently count their labels twice.
        raise ValueError(f"reviewers contains duplicates: {reviewers!r}")
    return [[labels.get(reviewer) for reviewer in reviewers] for labels in labels_by_item.values()]


def cohen_kappa(a: Sequence[Label], b: Sequence[Label]) -> float:
    """Cohen's kappa for two raters on nominal labels.

    kappa = (p_o - p_e) / (1 - p_e), with p_o the observed proportion of
    agreement and p_e = sum_k (n_ak / n) * (n_bk / n) the agreement expected
    from each rater's own marginal distribution (Cohen 1960, "A coefficient of
    agreement for nominal scales", Educational and Psychological Measurement
    20(1): 37-46, eq. 1).

    Items where either label is ``None`` are dropped before anything is
    computed (pairwise deletion), so ``n`` counts only items both raters
    labelled.

    If p_e == 1 (both raters used one and the same single category) kappa is
    0/0; p_e == 1 forces p_o == 1, so we return 1.0 (see module docstring).

    Raises ValueError if the lists differ in length or no item has labels from
    both raters.
    """
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise ValueError(f"cohen_kappa needs equal-length label lists, got {len(a)} and {len(b)}")
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    if not pairs:
        raise ValueError("cohen_kappa: no item was labelled by both raters")

    n = len(pairs)
    agreements = sum(1 for x, y in pairs if x == y)
    count_a = Counter(x for x, _ in pairs)
    count_b = Counter(y for _, y in pairs)
    # chance = sum_k n_ak * n_bk = n**2 * p_e.  Multiplying numerator and
    # denominator of kappa by n**2 keeps everything in exact integers until
    # the final division, so the p_e == 1 test below is exact.
    chance = sum(count_a[k] * count_b[k] for k in count_a)
    if chance == n * n:
        return 1.0
    return (n * agreements - chance) / (n * n - chance)


def _rated_units(units: Iterable[Unit], name: str) -> list[Counter]:
    """Per-unit category counts for units with at least two ratings.

    Units with fewer than two non-missing values carry no information about
    agreement (there is nobody to agree with), so both Fleiss and
    Krippendorff drop them.
    """
    counted = [Counter(v for v in unit if v is not None) for unit in units]
    kept = [c for c in counted if sum(c.values()) >= 2]
    if not kept:
        raise ValueError(f"{name}: no item has at least two ratings")
    return kept


def fleiss_kappa(units: Iterable[Unit]) -> float:
    """Fleiss' kappa for many raters, tolerating a varying number per item.

    Classic Fleiss (1971, "Measuring nominal scale agreement among many
    raters", Psychological Bulletin 76(5): 378-382) assumes every item has
    the same number of ratings n:

        P_i   = sum_k n_ik (n_ik - 1) / (n (n - 1))
        p_k   = sum_i n_ik / (N n)
        kappa = (mean_i P_i - sum_k p_k**2) / (1 - sum_k p_k**2)

    We use the generalisation to a per-item rater count n_i given by Gwet
    (2014, "Handbook of Inter-Rater Reliability", 4th ed.; it is
    ``fleiss.kappa.raw`` in his irrCAC package):

        P_i = sum_k n_ik (n_ik - 1) / (n_i (n_i - 1))
        p_k = (1 / N) * sum_i n_ik / n_i

    When n_i == n for every item, sum_i n_ik / n_i / N == sum_i n_ik / (N n),
    so this is exactly the classic formula.

    Missing values (``None``) are ignored; items left with fewer than two
    ratings are dropped entirely (Gwet still lets single-rating items
    contribute to p_k; we drop them so that every item used has the same
    status, which only matters when such items exist).  Returns 1.0 when all
    ratings fall in a single category (see module docstring).

    Raises ValueError if no item has at least two ratings.
    """
    rated = _rated_units(units, "fleiss_kappa")
    categories = set().union(*rated)
    if len(categories) == 1:
        return 1.0

    n_items = len(rated)
    observed = 0.0
    proportions: Counter = Counter()
    for counts in rated:
        n_i = sum(counts.values())
        observed += sum(c * (c - 1) for c in counts.values()) / (n_i * (n_i - 1))
        for category, c in counts.items():
            proportions[category] += c / n_i
    p_bar = observed / n_items
    p_e = sum((total / n_items) ** 2 for total in proportions.values())
    return (p_bar - p_e) / (1 - p_e)


# Krippendorff's difference functions.  Each factory receives the value
# totals n_c (over pairable units) and returns delta**2(c, k).
DistanceFactory = Callable[[Mapping[Label, int]], Callable[[Label, Label], float]]


def _nominal_distance(totals: Mapping[Label, int]) -> Callable[[Label, Label], float]:
    """Nominal: any two different values are equally (and fully) different."""
    return lambda c, k: 0.0 if c == k else 1.0


def _interval_distance(totals: Mapping[Label, int]) -> Callable[[Label, Label], float]:
    """Interval: squared numeric difference, (c - k)**2."""
    for value in totals:
        if not isinstance(value, numbers.Real):
            raise ValueError(f"krippendorff_alpha(level='interval') needs numbers, got {value!r}")
    return lambda c, k: float((c - k) ** 2)


def _ordinal_distance(totals: Mapping[Label, int]) -> Callable[[Label, Label], float]:
    """Ordinal: delta**2(c, k) = (sum_{g=c..k} n_g - (n_c + n_k) / 2)**2.

    The distance depends on how many values lie between c and k in the data,
    not on the numbers themselves (Krippendorff 2011, ordinal metric), so values
    only need to be sortable.
    """
    try:
        ordered = sorted(totals)
    except TypeError as exc:
        raise ValueError(
            "krippendorff_alpha(level='ordinal') needs mutually comparable values"
        ) from exc
    rank = {value: i for i, value in enumerate(ordered)}
    # cumulative[i] = n_0 + ... + n_{i-1}, so sum_{g=i..j} n_g = cum[j+1] - cum[i]
    cumulative = [0, *itertools.accumulate(totals[v] for v in ordered)]

    def distance(c: Label, k: Label) -> float:
        i, j = sorted((rank[c], rank[k]))
        between = cumulative[j + 1] - cumulative[i]
        return (between - (totals[c] + totals[k]) / 2) ** 2

    return distance


_DISTANCES: dict[str, DistanceFactory] = {
    "nominal": _nominal_distance,
    "ordinal": _ordinal_distance,
    "interval": _interval_distance,
}


def krippendorff_alpha(units: Iterable[Unit], level: str = "nominal") -> float:
    """Krippendorff's alpha for any number of raters with missing values.

    Follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
    Annenberg School for Communication (any number of observers, missing
    data, any metric):

        o_ck  = sum_u (number of c-k pairs in unit u) / (m_u - 1)
        n_c   = sum_k o_ck,   n = sum_c n_c
        alpha = 1 - (n - 1) * sum_{c,k} o_ck delta**2_ck
                            / sum_{c,k} n_c n_k delta**2_ck

    ``level`` picks delta**2: "nominal" (0 if equal else 1), "ordinal"
    (rank-based, see ``_ordinal_distance``) or "interval" ((c - k)**2).
    ``None`` marks a missing value; units with fewer than two values are not
    pairable and are dropped.  Returns 1.0 when all pairable values are equal
    (expected disagreement 0; see module docstring).

    Raises ValueError for an unknown level, when no unit is pairable, or when
    values do not suit the level (non-numbers for interval, incomparable
    values for ordinal).
    """
    if level not in _DISTANCES:
        raise ValueError(f"unknown level {level!r}; expected one of {sorted(_DISTANCES)}")
    pairable = _rated_units(units, "krippendorff_alpha")
    totals: Counter = Counter()
    for counts in pairable:
        totals.update(counts)
    if len(totals) == 1:
        return 1.0
    delta = _DISTANCES[level](totals)

    # Observed disagreement straight from the units: the off-diagonal
    # coincidences of unit u are n_uc * n_uk / (m_u - 1); equal values have
    # delta 0 so the diagonal never contributes.
    observed = 0.0
    for counts in pairable:
        m_u = sum(counts.values())
        observed += sum(
            counts[c] * counts[k] * delta(c, k) for c, k in itertools.permutations(counts, 2)
        ) / (m_u - 1)
    expected = sum(
        totals[c] * totals[k] * delta(c, k) for c, k in itertools.permutations(totals, 2)
    )
    n = sum(totals.values())
    return 1.0 - (n - 1) * observed / expected


# --------------------------------------------------------------------------
# Span-level agreement
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class SpanAgreement:
    """Span agreement between reviewer A (reference) and B (prediction).

    ``by_label`` maps every label used by either reviewer to
    ``(exact_f1, overlap_f1)`` restricted to that label, in order of first
    appearance (A's spans first, then B's).  Precision is measured against
    B's spans and recall against A's; F1 is symmetric in A and B.
    """

    exact_f1: float
    overlap_f1: float
    by_label: dict[Label, tuple[float, float]]
    exact_precision: float
    exact_recall: float
    overlap_precision: float
    overlap_recall: float


def _ratio(matched: int, total: int, other_total: int) -> float:
    """matched / total, with the empty cases defined as for F1.

    Both reviewers marking nothing is agreement on "no errors" (1.0); one
    marking nothing while the other marked something is no agreement (0.0).
    """
    if total == 0:
        return 1.0 if other_total == 0 else 0.0
    return matched / total


def _f1(matched: int, n_a: int, n_b: int) -> float:
    """F1 = 2 TP / (|A| + |B|) (the harmonic mean of P and R); 1.0 if both empty."""
    if n_a + n_b == 0:
        return 1.0
    return 2 * matched / (n_a + n_b)


def _normalise_spans(spans: Iterable[Sequence]) -> list[Span]:
    """Validate ``(start, end, label)`` items and return them as tuples.

    Offsets are character offsets with ``end`` exclusive (Python slicing), so
    ``end >= start`` and a span covers ``end - start`` characters.
    """
    result = []
    for span in spans:
        if len(span) != 3:
            raise ValueError(f"span must be (start, end, label), got {span!r}")
        start, end, label = span
        for offset in (start, end):
            if not isinstance(offset, int) or isinstance(offset, bool):
                raise ValueError(f"span offsets must be integers, got {span!r}")
        if end < start:
            raise ValueError(f"span ends before it starts: {span!r}")
        result.append((start, end, label))
    return result


def _exact_matches(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """Count identical ranges, as multisets (a duplicated span matches once per copy)."""
    count_b = Counter(b)
    return sum(min(c, count_b[r]) for r, c in Counter(a).items())


def _overlap_matches(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """Size of a greedy one-to-one matching between overlapping ranges.

    Candidate pairs share at least one character (or are identical ranges,
    which covers zero-length spans).  They are taken best first,
    by intersection-over-union, then by characters in common, then by the
    ranges themselves; a pair is kept only if neither span is matched yet.
    The ordering key depends only on the unordered pair of ranges, so swapping
    A and B selects the same pairs and the F1 stays symmetric.  Greedy can
    miss a larger matching in contrived chains of partial overlaps; for
    annotation spans the best-overlap-first rule is what a human would pick.
    """
    candidates = []
    for i, (a_start, a_end) in enumerate(a):
        for j, (b_start, b_end) in enumerate(b):
            identical = (a_start, a_end) == (b_start, b_end)
            common = min(a_end, b_end) - max(a_start, b_start)
            # An exact match always counts as an overlap match, even for a
            # zero-length span, so overlap F1 is never below exact F1.
            if common <= 0 and not identical:
                continue
            union = max(a_end, b_end) - min(a_start, b_start)
            iou = Fraction(1) if identical else Fraction(common, union)
            low, high = sorted(((a_start, a_end), (b_start, b_end)))
            candidates.append(((-iou, -common, low, high), i, j))
    candidates.sort(key=lambda candidate: candidate[0])
    used_a, used_b = set(), set()
    for _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return len(used_a)


def span_agreement(spans_a: Iterable[Sequence], spans_b: Iterable[Sequence]) -> SpanAgreement:
    """Exact and overlap F1 between two reviewers' ``(start, end, label)`` spans.

    * Exact match: same start, end and label.
    * Overlap match: same label and the ranges share at least one character
      (``end`` exclusive, so a zero-length span overlaps only an identical
      one; every exact match is also an overlap match).  Spans
      are paired one-to-one by the greedy rule in ``_overlap_matches``.

    Precision = TP / |B|, recall = TP / |A| (A is the reference, the usual
    NER-style evaluation, e.g. Tjong Kim Sang & De Meulder 2003, CoNLL), and
    F1 = 2 TP / (|A| + |B|), which is symmetric in A and B.  Both lists empty
    gives 1.0 (agreement on "no errors"); exactly one empty gives 0.0.
    Matching is done label by label, so the totals are sums of per-label
    counts.
    """
    a_spans, b_spans = _normalise_spans(spans_a), _normalise_spans(spans_b)
    a_by_label: dict[Label, list[tuple[int, int]]] = {}
    b_by_label: dict[Label, list[tuple[int, int]]] = {}
    for start, end, label in a_spans:
        a_by_label.setdefault(label, []).append((start, end))
        b_by_label.setdefault(label, [])
    for start, end, label in b_spans:
        b_by_label.setdefault(label, []).append((start, end))

    by_label = {}
    exact_total = overlap_total = 0
    for label, b_ranges in b_by_label.items():
        a_ranges = a_by_label.get(label, [])
        exact = _exact_matches(a_ranges, b_ranges)
        overlap = _overlap_matches(a_ranges, b_ranges)
        exact_total += exact
        overlap_total += overlap
        by_label[label] = (
            _f1(exact, len(a_ranges), len(b_ranges)),
            _f1(overlap, len(a_ranges), len(b_ranges)),
        )

    n_a, n_b = len(a_spans), len(b_spans)
    return SpanAgreement(
        exact_f1=_f1(exact_total, n_a, n_b),
        overlap_f1=_f1(overlap_total, n_a, n_b),
        by_label=by_label,
        exact_precision=_ratio(exact_total, n_b, n_a),
        exact_recall=_ratio(exact_total, n_a, n_b),
        overlap_precision=_ratio(overlap_total, n_b, n_a),
        overlap_recall=_ratio(overlap_total, n_a, n_b),
    )


def pairwise_span_agreement(
    spans_by_reviewer: Mapping[Hashable, Iterable[Sequence]],
) -> dict[tuple[Hashable, Hashable], SpanAgreement]:
    """:func:`span_agreement` for every unordered pair of reviewers.

    Keys are ``(r1, r2)`` with ``r1 < r2`` (reviewers sorted, so ids must be
    mutually comparable); r1's spans are the reference.  Fewer than two
    reviewers gives an empty dict.
    """
    # Materialise once: each reviewer's spans are used in several pairs and
    # may arrive as a one-shot iterator (e.g. a queryset iterator).
    spans = {reviewer: list(s) for reviewer, s in spans_by_reviewer.items()}
    reviewers = sorted(spans)
    return {
        (r1, r2): span_agreement(spans[r1], spans[r2])
        for r1, r2 in itertools.combinations(reviewers, 2)
    }
