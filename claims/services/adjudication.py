"""Adjudication: an editor turns the submitted reviews of a claim into its final labels."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from claims import permissions
from claims.models import (
    Adjudication,
    Anchor,
    Annotation,
    Article,
    Assignment,
    Claim,
    ErrorType,
    FinalAnnotation,
    Severity,
    Source,
)
from claims.services.concurrency import Conflict, lock_article_claims, lock_current


@dataclass(frozen=True)
class FinalLabel:
    """One error of the final label set: a span, its type, and where it came from."""

    start: int
    end: int
    error_type: ErrorType
    correction: str = ""
    note: str = ""
    severity: str = Severity.MAJOR
    from_annotations: tuple[Annotation, ...] = ()
    sources: tuple[Source, ...] = field(default=())


def adjudication_required_reviews() -> int:
    return settings.FACTCHECK_REVIEWS_FOR_ADJUDICATION


def _check_ready(article: Article, editor) -> None:
    if not editor.has_perm(permissions.ADJUDICATE):
        raise ValidationError("Only an editor can adjudicate.", code="not_editor")
    submitted = Assignment.objects.submitted().filter(article=article).count()
    needed = adjudication_required_reviews()
    if submitted < needed:
        raise ValidationError(
            f"“{article}” has {submitted} submitted review(s); adjudication needs {needed}.",
            code="not_enough_reviews",
        )


def _current_adjudication(claim: Claim, *, version: int | None) -> Adjudication:
    """The claim's adjudication, locked and bumped, or a new one; ``version`` is what the
    editor saw: 0 for "none yet", None for "whatever is there"."""
    existing = Adjudication.objects.filter(claim=claim).first()
    if existing is None:
        if version:
            raise Conflict(
                f"The final labels of claim #{claim.pk} were removed since you opened the "
                "page; reload it.",
                code="adjudication_gone",
            )
        return Adjudication(claim=claim)
    adjudication = lock_current(existing, expected=version)
    adjudication.version += 1
    return adjudication


def check_distinct_labels(claim: Claim, labels: list[FinalLabel]) -> None:
    """A claim's final labels are a set: the same span with the same error type twice would
    count twice in the gold data. The database refuses it too (a unique constraint)."""
    seen = set()
    for label in labels:
        key = (label.start, label.end, label.error_type.pk)
        if key in seen:
            raise ValidationError(
                f"Claim #{claim.pk}: two final labels tag "
                f"“{claim.text_between(label.start, label.end)}” as {label.error_type.name}; "
                "keep one of them (reject the other, or give it another error type).",
                code="duplicate_final_label",
            )
        seen.add(key)


def _save_claim(
    claim: Claim,
    *,
    editor,
    labels: Iterable[FinalLabel],
    verdict: str,
    note: str,
    version: int | None = None,
) -> Adjudication:
    submitted = set(
        Assignment.objects.submitted()
        .filter(article_id=claim.article_id)
        .values_list("reviewer_id", flat=True)
    )
    labels = list(labels)
    check_distinct_labels(claim, labels)
    adjudication = _current_adjudication(claim, version=version)
    adjudication.editor, adjudication.verdict, adjudication.note = editor, verdict, note
    adjudication.full_clean()
    adjudication._history_user = editor
    adjudication.save()
    # One by one, so history records each removal. Orphaned final labels (their text left
    # the article in a revision) are not on the form, so they are kept, never replaced.
    for old in adjudication.annotations.exclude(anchor=Anchor.ORPHANED):
        old._history_user = editor
        old.delete()
    for label in labels:
        for origin in label.from_annotations:
            if origin.claim_id != claim.pk or origin.reviewer_id not in submitted:
                raise ValidationError(
                    f"Annotation {origin.pk} is not a submitted annotation of this claim.",
                    code="foreign_annotation",
                )
        final = FinalAnnotation(
            adjudication=adjudication,
            start=label.start,
            end=label.end,
            quote=claim.text_between(label.start, label.end),
            error_type=label.error_type,
            correction=label.correction,
            note=label.note,
            severity=label.severity,
        )
        final.full_clean()
        final._history_user = editor
        final.save()
        sources = set(label.sources)
        for origin in label.from_annotations:
            sources.update(origin.sources.all())
        final.sources.set(sources)
        final.from_annotations.set(label.from_annotations)
    return adjudication


@transaction.atomic
def claim_adjudicate(
    *,
    claim: Claim,
    editor,
    labels: Iterable[FinalLabel] = (),
    verdict: str = "",
    note: str = "",
    version: int | None = None,
) -> Adjudication:
    """Replace the final labels of ``claim``; an empty ``labels`` means "no error".

    ``version`` is the adjudication's version the editor saw (0: none yet); a stale one is
    refused with ``StaleVersion``.
    """
    _check_ready(claim.article, editor)
    lock_article_claims(claim.article_id)  # one adjudicator of a claim at a time
    return _save_claim(
        claim, editor=editor, labels=labels, verdict=verdict, note=note, version=version
    )


@transaction.atomic
def article_adjudicate(
    *,
    article: Article,
    editor,
    decisions: dict[Claim, tuple[list[FinalLabel], str, str]],
    versions: dict[int, int] | None = None,
) -> list[Adjudication]:
    """Adjudicate several claims of one article at once: all of them or none.

    ``versions`` maps a claim's id to the version of its adjudication the editor saw
    (0: none yet); any stale one refuses the whole save with ``StaleVersion``.
    """
    _check_ready(article, editor)
    lock_article_claims(article.pk)
    versions = versions or {}
    # The readiness check above holds for ``article`` only: a claim of another article
    # would slip past its review count.
    for claim in decisions:
        if claim.article_id != article.pk:
            raise ValidationError(
                f"Claim {claim.pk} is not part of “{article}”.", code="foreign_claim"
            )
    return [
        _save_claim(
            claim,
            editor=editor,
            labels=labels,
            verdict=verdict,
            note=note,
            version=versions.get(claim.pk),
        )
        for claim, (labels, verdict, note) in decisions.items()
    ]
