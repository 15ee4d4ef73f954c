"""Agreement between reviewers over a set of claims: the report the admin and the API show.

The glue between the database and the pure coefficients in ``claims.agreement``. Only
finished work counts: the annotations and verdicts of reviewers whose review of the
article is submitted. Blind review keeps everyone else's work hidden until then, so these
labels were made independently; a review still open (reopened ones included) may yet
change and says nothing about agreement. A claim is an item only when its article has at
least two submitted reviews; with one there is nobody to agree with.

Five queries whatever the number of claims: the claims, the submitted reviews, the
annotations, the verdicts and the final labels.
"""

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef

from claims.agreement import (
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    span_agreement,
    units_from_labels,
)
from claims.models import Annotation, Assignment, FinalAnnotation, Verdict

NO_ERROR = "none"


@dataclass
class SubmittedWork:
    """The submitted reviews of the items, in memory, keyed by claim id and username."""

    items: dict[int, int] = field(default_factory=dict)  # claim id -> article id
    reviewers_of: dict[int, set[str]] = field(default_factory=dict)  # article id -> usernames
    spans: dict[tuple[int, str], list[tuple[int, int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    verdicts: dict[tuple[int, str], str] = field(default_factory=dict)
    error_types: dict[str, tuple[int, str]] = field(default_factory=dict)  # slug -> position, name
    final_counts: Counter = field(default_factory=Counter)

    @property
    def reviewers(self) -> list[str]:
        return sorted(set().union(*self.reviewers_of.values()))

    def reviewers_of_claim(self, claim_id: int) -> set[str]:
        return self.reviewers_of[self.items[claim_id]]


def _finished(queryset):
    """Annotations or verdicts written in a review that is now submitted."""
    submitted = Assignment.objects.submitted().filter(
        article_id=OuterRef("claim__article_id"), reviewer_id=OuterRef("reviewer_id")
    )
    return queryset.filter(Exists(submitted))


def submitted_work(claims) -> SubmittedWork:
    """Load what the report needs about ``claims`` in a fixed number of queries."""
    work = SubmittedWork()
    # Subqueries rather than lists of ids: a project-wide report would pass thousands of
    # ids, more than SQLite accepts as query parameters.
    claim_ids = claims.values("pk")
    reviews = Assignment.objects.submitted().filter(article_id__in=claims.values("article_id"))
    reviewers_of = defaultdict(set)
    for article_id, username in reviews.values_list("article_id", "reviewer__username"):
        reviewers_of[article_id].add(username)
    work.reviewers_of = {a: names for a, names in reviewers_of.items() if len(names) >= 2}
    work.items = {
        claim_id: article_id
        for claim_id, article_id in claims.values_list("pk", "article_id")
        if article_id in work.reviewers_of
    }

    annotations = (
        # An orphaned annotation's text is gone from the article: it has no span to agree on.
        _finished(Annotation.objects.filter(claim__in=claim_ids, start__isnull=False))
        .order_by("start", "id")
        .values_list(
            "claim_id",
            "reviewer__username",
            "start",
            "end",
            "error_type__slug",
            "error_type__position",
            "error_type__name",
        )
    )
    for claim_id, username, start, end, slug, *error_type in annotations:
        if claim_id in work.items:
            work.spans[claim_id, username].append((start, end, slug))
            work.error_types[slug] = tuple(error_type)
    verdicts = _finished(Verdict.objects.filter(claim__in=claim_ids))
    for claim_id, username, label in verdicts.values_list(
        "claim_id", "reviewer__username", "label"
    ):
        if claim_id in work.items:
            work.verdicts[claim_id, username] = label

    finals = (
        FinalAnnotation.objects.filter(adjudication__claim__in=claim_ids)
        .values_list(
            "adjudication__claim_id", "error_type__slug", "error_type__position", "error_type__name"
        )
        .annotate(count=Count("id"))
        .order_by()
    )
    for claim_id, slug, position, name, count in finals:
        if claim_id in work.items:
            work.final_counts[slug] += count
            work.error_types[slug] = (position, name)
    return work


# What each reviewer said about a claim, per kind of claim-level label. A submitted reviewer
# who tagged nothing said "no error"; one who gave no verdict said nothing (None, missing).
def _error(work, claim_id, reviewer):
    return bool(work.spans.get((claim_id, reviewer)))


def _error_type(work, claim_id, reviewer):
    slugs = sorted({slug for _, _, slug in work.spans.get((claim_id, reviewer), [])})
    return "+".join(slugs) or NO_ERROR


def _verdict(work, claim_id, reviewer):
    return work.verdicts.get((claim_id, reviewer))


CLAIM_LABELS = {"error": _error, "error_type": _error_type, "verdict": _verdict}


def _units(work: SubmittedWork, label_of) -> list[list]:
    labels = {
        claim_id: {r: label_of(work, claim_id, r) for r in work.reviewers_of_claim(claim_id)}
        for claim_id in work.items
    }
    return units_from_labels(labels, work.reviewers)


def _or_none(coefficient, *args):
    try:
        return coefficient(*args)
    except ValueError:  # undefined here, e.g. no claim with two labels of this kind
        return None


def percent_agreement(units: list[list]) -> float | None:
    """Share (0 to 1) of claims with two or more labels on which every label is the same."""
    rated = [[v for v in unit if v is not None] for unit in units]
    rated = [labels for labels in rated if len(labels) >= 2]
    if not rated:
        return None
    return sum(1 for labels in rated if len(set(labels)) == 1) / len(rated)


def coefficients(units: list[list], reviewers: list[str]) -> dict:
    cohen = None
    if len(reviewers) == 2:  # Cohen's kappa is defined for exactly two raters
        first, second = zip(*units, strict=True) if units else ((), ())
        cohen = _or_none(cohen_kappa, first, second)
    return {
        "items": sum(1 for unit in units if sum(v is not None for v in unit) >= 2),
        "krippendorff_alpha": _or_none(krippendorff_alpha, units),
        "fleiss_kappa": _or_none(fleiss_kappa, units),
        "cohen_kappa": cohen,
        "percent_agreement": percent_agreement(units),
    }


def _tagged_with(slug: str):
    """Label of one error type on its own: did the reviewer tag it in the claim at all?"""

    def tagged(work, claim_id, reviewer):
        return any(s == slug for _, _, s in work.spans.get((claim_id, reviewer), []))

    return tagged


def _error_type_rows(work: SubmittedWork) -> dict:
    """Every error type used in the items, raw or final, in the taxonomy's order."""
    raw_counts = Counter(slug for spans in work.spans.values() for _, _, slug in spans)
    return {
        slug: {
            "name": name,
            "krippendorff_alpha": _or_none(krippendorff_alpha, _units(work, _tagged_with(slug))),
            "annotations": raw_counts[slug],
            "final_labels": work.final_counts[slug],
        }
        for slug, (_, name) in sorted(work.error_types.items(), key=lambda item: item[1])
    }


def _span_pairs(work: SubmittedWork) -> list[dict]:
    """Exact and overlap F1 for each pair of reviewers, over the articles both submitted.

    Offsets are per article, so spans of different articles could coincide. Each
    article's spans are shifted into a window of their own, past the end of the previous
    article's spans, before matching: spans of different articles can then never match,
    and one call to ``span_agreement`` pools every match (micro-averaged F1, each span
    weighs the same whichever article it is in).
    """
    claims_of = defaultdict(list)
    for claim_id, article_id in work.items.items():
        claims_of[article_id].append(claim_id)
    pairs = []
    for first, second in itertools.combinations(work.reviewers, 2):
        shared = sorted(a for a, names in work.reviewers_of.items() if {first, second} <= names)
        spans = {first: [], second: []}
        base = 0
        for article_id in shared:
            ends = [0]
            for reviewer in (first, second):
                for claim_id in claims_of[article_id]:
                    for start, end, slug in work.spans.get((claim_id, reviewer), []):
                        spans[reviewer].append((base + start, base + end, slug))
                        ends.append(end)
            base += max(ends) + 1
        agreement = span_agreement(spans[first], spans[second])
        pairs.append(
            {
                "reviewers": [first, second],
                "articles": len(shared),
                "exact_f1": agreement.exact_f1,
                "overlap_f1": agreement.overlap_f1,
                "by_error_type": {
                    slug: {"exact_f1": exact, "overlap_f1": overlap}
                    for slug, (exact, overlap) in agreement.by_label.items()
                },
            }
        )
    return pairs


def agreement_report(claims) -> dict:
    """Agreement between reviewers over ``claims`` (a Claim queryset, already filtered)."""
    work = submitted_work(claims)
    reviewers = work.reviewers
    return {
        "claims": len(work.items),
        "articles": len(work.reviewers_of),
        "reviewers": reviewers,
        "claim_level": {
            kind: coefficients(_units(work, label_of), reviewers)
            for kind, label_of in CLAIM_LABELS.items()
        },
        "error_types": _error_type_rows(work),
        "spans": _span_pairs(work),
    }
