"""The reviews of the benchmark corpus: assignments, annotations, verdicts, final labels.

``bench/corpus.py`` calls ``review`` once per batch of new articles, inside its transaction,
with the batch's articles and claims; every table gets one bulk write per batch
(``bench/inserts.py``). Django must be set up before this module is imported.
"""

import re
from dataclasses import dataclass

from django.utils import timezone

from bench.inserts import insert, moment, next_ids, sync_sequences
from claims.models import (
    Adjudication,
    Anchor,
    Annotation,
    Assignment,
    FinalAnnotation,
    Severity,
    Verdict,
)
from claims.text.anchoring import context

# What a reviewer tags in a claim: a figure, else a name, else its first word.
TAGGABLE = [re.compile(r"\d[\d,.:]*\d%?|\d"), re.compile(r"[A-Z]\w{3,}"), re.compile(r"\w+")]
ERROR_FOR = ["wrong-number", "wrong-name", "unsupported-claim"]
SEVERITIES = [Severity.MINOR, Severity.MAJOR, Severity.CRITICAL]


@dataclass(frozen=True)
class Tag:
    """One reviewer's annotation, as written."""

    id: int
    claim_id: int
    reviewer_id: int
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    error_type_id: int
    correction: str
    severity: str


def tagged_span(text: str) -> tuple[int, int, str] | None:
    """(start, end, error type slug) of what a reviewer tags in a claim's text, or None."""
    for pattern, slug in zip(TAGGABLE, ERROR_FOR, strict=True):
        if found := pattern.search(text):
            return found.start(), found.end(), slug
    return None


def review(articles: list, claims: list, cast: dict) -> None:
    """Assignments of every article, and the labels of one claim in five (see corpus.py)."""
    ann, ben, cy = (reviewer.pk for reviewer in cast["reviewers"])
    editor = cast["editor"].pk
    now = moment(timezone.now())
    reviewers_of = {
        article.id: [ann, ben, cy] if article.index % 10 == 0 else [ann, ben]
        for article in articles
    }
    insert(
        Assignment._meta.db_table,
        ["article_id", "reviewer_id", "state", "assigned_by_id", "assigned_at", "submitted_at"],
        (
            (article_id, reviewer, Assignment.State.SUBMITTED, editor, now, now)
            for article_id, reviewers in reviewers_of.items()
            for reviewer in reviewers
        ),
    )
    labelled = _tags(claims, reviewers_of, {a.id: a.text for a in articles}, cast, ben)
    tags = [tag for _, by_reviewer in labelled for tag in by_reviewer.values()]
    insert(
        Annotation._meta.db_table,
        ["id", "anchor", "prefix", "suffix", "claim_id", "reviewer_id", "start", "end"]
        + ["quote", "error_type_id", "correction", "note", "severity", "version"]
        + ["created_at", "updated_at"],
        (
            (t.id, Anchor.EXACT, t.prefix, t.suffix, t.claim_id, t.reviewer_id, t.start, t.end)
            + (t.quote, t.error_type_id, t.correction, "Checked against the release.")
            + (t.severity, 1, now, now)
            for t in tags
        ),
    )
    sources = [source.pk for source in cast["sources"]]
    insert(
        Annotation.sources.through._meta.db_table,
        ["annotation_id", "source_id"],
        ((tag.id, sources[tag.id % len(sources)]) for tag in tags),
    )
    insert(
        Verdict._meta.db_table,
        ["claim_id", "reviewer_id", "label", "note", "version", "created_at", "updated_at"],
        (
            (tag.claim_id, tag.reviewer_id, _verdict(tag, second_opinion=tag.reviewer_id == ben))
            + ("", 1, now, now)
            for tag in tags
        ),
    )
    chosen = [by for claim, by in labelled if claim.order % 10 == 1]
    _adjudicate(chosen, (ann, ben), editor, sources)
    sync_sequences([Annotation])


def _tags(claims: list, reviewers_of: dict, text_of: dict, cast: dict, ben: int) -> list:
    """[(claim, {reviewer id: Tag})] for the claims reviewers tag: one in five."""
    error_types = {error_type.slug: error_type.pk for error_type in cast["error_types"]}
    others = [e.pk for e in cast["error_types"] if e.slug not in ERROR_FOR]
    chosen = [c for c in claims if c.order % 5 == 1 and tagged_span(c.text)]
    ids = iter(next_ids(Annotation, sum(len(reviewers_of[c.article_id]) for c in chosen)))
    labelled = []
    for claim in chosen:
        at, to, slug = tagged_span(claim.text)
        start, end = claim.start + at, claim.start + to
        prefix, suffix = context(text_of[claim.article_id], start, end)
        by_reviewer = {}
        for reviewer in reviewers_of[claim.article_id]:
            # A third of ben's tags disagree with the others' on the kind of error.
            disagrees = reviewer == ben and claim.id % 3 == 0
            by_reviewer[reviewer] = Tag(
                id=next(ids),
                claim_id=claim.id,
                reviewer_id=reviewer,
                start=start,
                end=end,
                quote=claim.text[at:to],
                prefix=prefix,
                suffix=suffix,
                error_type_id=others[claim.id % len(others)] if disagrees else error_types[slug],
                correction=f"The release gives another figure (claim {claim.id}).",
                severity=SEVERITIES[claim.id % 3],
            )
        labelled.append((claim, by_reviewer))
    return labelled


def _verdict(tag: Tag, *, second_opinion: bool) -> str:
    if second_opinion and tag.claim_id % 4 == 0:
        return Verdict.Label.MISLEADING
    return Verdict.Label.INACCURATE


def _adjudicate(labelled: list, reviewers: tuple[int, int], editor: int, sources: list) -> None:
    """The editor's final labels on half the tagged claims: ann's tag, from ann's and ben's."""
    ann, ben = reviewers
    now = moment(timezone.now())
    adjudication_ids = next_ids(Adjudication, len(labelled))
    insert(
        Adjudication._meta.db_table,
        ["id", "claim_id", "editor_id", "verdict", "note", "version", "created_at", "updated_at"],
        (
            (id, by_reviewer[ann].claim_id, editor, Verdict.Label.INACCURATE)
            + ("Corrected after checking the release.", 1, now, now)
            for id, by_reviewer in zip(adjudication_ids, labelled, strict=True)
        ),
    )
    final_ids = next_ids(FinalAnnotation, len(labelled))
    insert(
        FinalAnnotation._meta.db_table,
        ["id", "anchor", "prefix", "suffix", "adjudication_id", "start", "end", "quote"]
        + ["error_type_id", "correction", "note", "severity"],
        (
            (id, Anchor.EXACT, t.prefix, t.suffix, adjudication_id, t.start, t.end, t.quote)
            + (t.error_type_id, t.correction, "Final label.", t.severity)
            for id, adjudication_id, t in zip(
                final_ids, adjudication_ids, (by[ann] for by in labelled), strict=True
            )
        ),
    )
    insert(
        FinalAnnotation.sources.through._meta.db_table,
        ["finalannotation_id", "source_id"],
        ((id, sources[id % len(sources)]) for id in final_ids),
    )
    insert(
        FinalAnnotation.from_annotations.through._meta.db_table,
        ["finalannotation_id", "annotation_id"],
        (
            (id, tag.id)
            for id, by_reviewer in zip(final_ids, labelled, strict=True)
            for tag in (by_reviewer[ann], by_reviewer[ben])
        ),
    )
    sync_sequences([Adjudication, FinalAnnotation])
