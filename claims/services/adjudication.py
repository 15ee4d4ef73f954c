"""Adjudication: an editor turns the submitted reviews of a claim into its final labels.

``article_review`` reads what the editor decides on: per claim, each submitted reviewer's
annotations and verdict, and the candidates (``claims.adjudication_candidates``) with
their default decisions. ``article_adjudicate`` and ``claim_adjudicate`` replace claims'
final labels with the editor's decisions (``final_labels_replace`` writes them).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from claims import permissions
from claims.adjudication_candidates import Candidate, disagree, group_candidates, shared_verdict
from claims.models import (
    Adjudication,
    Annotation,
    Article,
    Assignment,
    Claim,
    ErrorType,
    Severity,
    Source,
    Verdict,
)
from claims.services.concurrency import Conflict, StaleVersion, lock_article_claims
from claims.services.final_labels import check_origins, final_labels_replace, stored_origins


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


@dataclass
class ReviewerColumn:
    reviewer: object
    annotations: list[Annotation]
    verdict: Verdict | None


@dataclass
class ClaimReview:
    """Everything the submitted reviewers said about one claim, side by side, and the
    candidate final labels made of it."""

    claim: Claim
    columns: list[ReviewerColumn]
    candidates: list[Candidate]

    @property
    def labels(self) -> list[str]:
        return [c.verdict.label if c.verdict else "" for c in self.columns]

    @property
    def disagreement(self) -> bool:
        return disagree([c.annotations for c in self.columns], self.labels)

    @property
    def shared_verdict(self) -> str:
        return shared_verdict(self.labels)

    @property
    def tagged(self) -> bool:
        return any(c.annotations or c.verdict for c in self.columns)

    @property
    def adjudication(self) -> Adjudication | None:
        return getattr(self.claim, "adjudication", None)


@dataclass
class ArticleReview:
    """An article's claims as the editor adjudicates them. Claims nobody tagged have no
    candidates: they are adjudicated as having no error, unless an earlier adjudication
    already covers them."""

    reviews: list[ClaimReview]  # the tagged claims
    untagged: list[Claim]
    error_types: dict[int, ErrorType]  # the active ones, and any a candidate has

    @property
    def untagged_new(self) -> list[Claim]:
        return [c for c in self.untagged if getattr(c, "adjudication", None) is None]


def article_review(*, article: Article, reviewers: list) -> ArticleReview:
    """What ``reviewers`` (the submitted ones) said about each claim of ``article``, in a
    fixed number of queries however many claims it has."""
    by_them = {"reviewer__in": reviewers}
    claims = Claim.objects.filter(article=article).with_annotations(
        annotations=Annotation.objects.filter(**by_them),
        verdicts=Verdict.objects.filter(**by_them),
    )
    reviews = [_claim_review(claim, reviewers) for claim in claims]
    used = {c.error_type.pk for r in reviews for c in r.candidates}
    error_types = ErrorType.objects.filter(Q(is_active=True) | Q(pk__in=used))
    return ArticleReview(
        reviews=[r for r in reviews if r.tagged],
        untagged=[r.claim for r in reviews if not r.tagged],
        error_types={et.pk: et for et in error_types},
    )


def _claim_review(claim: Claim, reviewers: list) -> ClaimReview:
    """``claim`` comes with its submitted reviewers' annotations and verdicts prefetched."""
    annotations, verdicts = list(claim.annotations.all()), list(claim.verdicts.all())
    columns = [
        ReviewerColumn(
            reviewer,
            [a for a in annotations if a.reviewer_id == reviewer.pk],
            next((v for v in verdicts if v.reviewer_id == reviewer.pk), None),
        )
        for reviewer in reviewers
    ]
    adjudication = getattr(claim, "adjudication", None)
    finals = adjudication.annotations.all() if adjudication else []
    candidates = group_candidates(
        shown=[a for column in columns for a in column.annotations if not a.is_orphaned],
        finals=[(f, {a.pk for a in f.from_annotations.all()}) for f in finals],
        reviewer_ids={reviewer.pk for reviewer in reviewers},
        adjudicated_at=adjudication.updated_at if adjudication else None,
    )
    return ClaimReview(claim, columns, candidates)


def adjudication_required_reviews() -> int:
    return settings.FACTCHECK_REVIEWS_FOR_ADJUDICATION


def _check_ready(article: Article, editor) -> set[int]:
    """The submitted reviewers of ``article``, if an editor may adjudicate it now."""
    if not editor.has_perm(permissions.ADJUDICATE):
        raise ValidationError("Only an editor can adjudicate.", code="not_editor")
    reviewers = list(
        Assignment.objects.submitted().filter(article=article).values_list("reviewer_id", flat=True)
    )
    needed = adjudication_required_reviews()
    if len(reviewers) < needed:
        raise ValidationError(
            f"“{article}” has {len(reviewers)} submitted review(s); adjudication needs {needed}.",
            code="not_enough_reviews",
        )
    return set(reviewers)


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
    submitted = _check_ready(claim.article, editor)
    locked = lock_article_claims(claim.article_id)  # one adjudicator of a claim at a time
    [adjudication] = _save(
        claim.article_id,
        locked,
        editor=editor,
        submitted=submitted,
        decisions={claim: (labels, verdict, note)},
        versions={claim.pk: version},
    )
    return adjudication


@transaction.atomic
def article_adjudicate(
    *,
    article: Article,
    editor,
    decisions: dict[Claim, tuple[list[FinalLabel], str, str]],
    versions: dict[int, int] | None = None,
) -> list[Adjudication]:
    """Adjudicate several claims of one article at once: all of them or none, in a fixed
    number of queries however many claims (the article's claims stay locked meanwhile).

    ``versions`` maps a claim's id to the version of its adjudication the editor saw
    (0: none yet); any stale one refuses the whole save with ``StaleVersion``.
    """
    submitted = _check_ready(article, editor)
    locked = lock_article_claims(article.pk)
    # The readiness check above holds for ``article`` only: a claim of another article
    # would slip past its review count.
    for claim in decisions:
        if claim.article_id != article.pk:
            raise ValidationError(
                f"Claim {claim.pk} is not part of “{article}”.", code="foreign_claim"
            )
    return _save(
        article.pk,
        locked,
        editor=editor,
        submitted=submitted,
        decisions=decisions,
        versions=versions or {},
    )


def _save(article_id, locked: dict[int, Claim], *, editor, submitted, decisions, versions):
    """Check every claim's decisions against what is stored now (read once for all of
    them), then write them in bulk."""
    existing = {
        a.claim_id: a
        for a in Adjudication.objects.select_for_update(of=("self",)).filter(
            claim_id__in=[claim.pk for claim in decisions]
        )
    }
    decided = [
        (_fresh(locked, claim), list(labels), v, n) for claim, (labels, v, n) in decisions.items()
    ]
    origins = stored_origins(label for _, labels, _, _ in decided for label in labels)
    adjudications = []
    for claim, labels, verdict, note in decided:
        check_distinct_labels(claim, labels)
        adjudication = _next_version(claim, existing.get(claim.pk), seen=versions.get(claim.pk))
        adjudication.editor, adjudication.verdict, adjudication.note = editor, verdict, note
        # Past the checks that query (the claim and editor exist; the one-per-claim rule
        # is the version check above, and the database's).
        adjudication.full_clean(
            exclude=["claim", "editor"], validate_unique=False, validate_constraints=False
        )
        for label in labels:
            check_origins(claim, label, origins, submitted=submitted)
        adjudications.append((adjudication, labels))
    final_labels_replace(article_id, adjudications, origins=origins, editor=editor)
    return [adjudication for adjudication, _ in adjudications]


def _fresh(locked: dict[int, Claim], claim: Claim) -> Claim:
    if claim.pk not in locked:
        raise Conflict(
            f"Claim #{claim.pk} was merged into another claim while you worked; reload "
            "the article and try again.",
            code="claim_gone",
        )
    return locked[claim.pk]


def _next_version(claim: Claim, existing: Adjudication | None, *, seen: int | None):
    """The claim's adjudication (locked), bumped, or a new one; ``seen`` is the version the
    editor saw: 0 for "none yet", None for "whatever is there"."""
    if existing is None:
        if seen:
            raise Conflict(
                f"The final labels of claim #{claim.pk} were removed since you opened the "
                "page; reload it.",
                code="adjudication_gone",
            )
        return Adjudication(claim=claim)
    if seen is not None and existing.version != seen:
        raise StaleVersion(existing, expected=seen)
    existing.claim = claim  # the locked one, which its final labels are checked against
    existing.version += 1
    return existing
