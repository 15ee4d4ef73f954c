"""Adjudication: an editor turns the submitted reviews of a claim into its final labels."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from claims import permissions
from claims.models import (
    Adjudication,
    Annotation,
    Article,
    Assignment,
    Claim,
    ErrorType,
    FinalAnnotation,
    Severity,
    Source,
)


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


def _save_claim(
    claim: Claim, *, editor, labels: Iterable[FinalLabel], verdict: str, note: str
) -> Adjudication:
    submitted = set(
        Assignment.objects.submitted()
        .filter(article_id=claim.article_id)
        .values_list("reviewer_id", flat=True)
    )
    adjudication = Adjudication.objects.filter(claim=claim).first() or Adjudication(claim=claim)
    adjudication.editor, adjudication.verdict, adjudication.note = editor, verdict, note
    adjudication.full_clean()
    adjudication._history_user = editor
    adjudication.save()
    for old in adjudication.annotations.all():  # one by one, so history records each removal
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
            quote=claim.article.text[label.start : label.end],
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
    *, claim: Claim, editor, labels: Iterable[FinalLabel] = (), verdict: str = "", note: str = ""
) -> Adjudication:
    """Replace the final labels of ``claim``; an empty ``labels`` means "no error"."""
    _check_ready(claim.article, editor)
    return _save_claim(claim, editor=editor, labels=labels, verdict=verdict, note=note)


@transaction.atomic
def article_adjudicate(
    *, article: Article, editor, decisions: dict[Claim, tuple[list[FinalLabel], str, str]]
) -> list[Adjudication]:
    """Adjudicate several claims of one article at once: all of them or none."""
    _check_ready(article, editor)
    # The readiness check above holds for ``article`` only: a claim of another article
    # would slip past its review count.
    for claim in decisions:
        if claim.article_id != article.pk:
            raise ValidationError(
                f"Claim {claim.pk} is not part of “{article}”.", code="foreign_claim"
            )
    return [
        _save_claim(claim, editor=editor, labels=labels, verdict=verdict, note=note)
        for claim, (labels, verdict, note) in decisions.items()
    ]
