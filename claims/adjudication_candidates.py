"""The candidates of a claim's adjudication, and the decision the page offers on each.

Pure: plain functions over the annotations and final labels already read (any objects with
their attributes), no database. ``claims.services.adjudication`` reads them and calls this.

Identical annotations (same span, same error type) from several reviewers form one
candidate: the editor decides once, and the final label records every reviewer annotation
behind it.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

ACCEPT, REJECT = "accept", "reject"


@dataclass
class Candidate:
    """One possible final label: identical annotations of one or more reviewers, or a final
    label kept earlier that no submitted annotation backs any more (it is offered again
    rather than silently dropped)."""

    start: int
    end: int
    error_type: object  # an ErrorType
    quote: str
    annotations: list = field(default_factory=list)
    final: object | None = None  # the FinalAnnotation an earlier adjudication made of it
    by_everyone: bool = False  # every submitted reviewer made this annotation
    default: str | None = None  # ACCEPT, REJECT or no default decision

    def __str__(self) -> str:
        return f"“{self.quote}” ({self.error_type.name})"

    @property
    def reviewer_names(self) -> list[str]:
        """Who made it; one whose annotation an earlier final label merged under another
        error type is named with theirs."""
        return [
            a.reviewer.get_username()
            + ("" if a.error_type_id == self.error_type.pk else f" (as {a.error_type.name})")
            for a in self.annotations
        ]

    @property
    def annotation_ids(self) -> str:
        return ",".join(str(a.pk) for a in self.annotations)


def group_candidates(
    *,
    shown: list,
    finals: Iterable[tuple[object, set[int]]],
    reviewer_ids: set[int],
    adjudicated_at: datetime | None,
) -> list[Candidate]:
    """One candidate per (span, error type): what the page accepts by default is then never
    two identical final labels. An earlier final label takes every annotation it was made
    from, whatever their own span and type (the editor merged them), and any later one
    identical to it; the other annotations group by their own span and type.

    ``shown``: the submitted reviewers' annotations, in column order (the first reviewer's
    wording pre-fills the form); ``finals``: the earlier adjudication's final labels, each
    with the ids of the annotations it was made from; ``adjudicated_at``: when it was saved.
    """
    by_key: dict[tuple, Candidate] = {}
    placed: set[int] = set()
    for final, origins in finals:
        if final.is_orphaned:  # kept by the service; listed in the admin's orphans
            continue
        key = (final.start, final.end, final.error_type_id)
        candidate = by_key.setdefault(
            key, Candidate(final.start, final.end, final.error_type, final.quote, final=final)
        )
        for a in shown:
            if a.pk in origins:  # also when another final label was made from it too
                candidate.annotations.append(a)
                placed.add(a.pk)
    for a in shown:
        if a.pk not in placed:
            key = (a.start, a.end, a.error_type_id)
            by_key.setdefault(key, Candidate(a.start, a.end, a.error_type, a.quote))
            by_key[key].annotations.append(a)
    candidates = sorted(
        by_key.values(),
        key=lambda c: (c.start, c.end, c.error_type.position, c.error_type.pk),
    )
    for candidate in candidates:
        candidate.by_everyone = {a.reviewer_id for a in candidate.annotations} == reviewer_ids
        candidate.default = default_decision(candidate, adjudicated_at)
    return candidates


def default_decision(candidate: Candidate, adjudicated_at: datetime | None) -> str | None:
    if candidate.final:
        return ACCEPT
    if adjudicated_at and all(a.updated_at <= adjudicated_at for a in candidate.annotations):
        return REJECT  # the editor saw it last time and left it out
    if candidate.by_everyone:
        return ACCEPT
    return None


def disagree(annotations_by_reviewer: list[list], labels: list[str]) -> bool:
    """Reviewers disagree on a claim when their (span, type) sets or their verdicts differ."""
    spans = {
        frozenset((a.start, a.end, a.error_type_id) for a in theirs)
        for theirs in annotations_by_reviewer
    }
    return len(spans) > 1 or len(set(labels)) > 1


def shared_verdict(labels: list[str]) -> str:
    """The verdict every reviewer gave ("" for none), else none: the page's default."""
    return labels[0] if len(set(labels)) == 1 else ""
