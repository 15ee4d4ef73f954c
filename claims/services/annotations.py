"""Annotations and verdicts: one reviewer's labels on a claim."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import permissions
from claims.models import Anchor, Annotation, Claim, ErrorType, Severity, Source, Verdict
from claims.services.concurrency import Conflict, lock_article_claims, lock_current, locked_claim
from claims.services.reviews import check_may_label, record_work
from claims.text.excerpts import excerpt
from claims.text.graphemes import cut_clusters
from claims.text.source_urls import normalise_url


def resolve_span(
    claim: Claim, *, start: int | None = None, end: int | None = None, quote: str | None = None
) -> tuple[int, int, str]:
    """Turn either article offsets or an exact quote into (start, end, quote) inside ``claim``."""
    limit = settings.FACTCHECK_MAX_QUOTE_CHARS
    if quote is not None and len(quote) > limit:
        raise ValidationError(
            {
                "quote": ValidationError(
                    f"The quote has {len(quote):,} characters; the limit is {limit:,} "
                    "(FACTCHECK_MAX_QUOTE_CHARS). Tag a shorter span.",
                    code="quote_too_long",
                )
            }
        )
    if start is None and end is None:
        if quote is None:
            raise ValidationError(
                "Give the span either as start and end offsets or as an exact quote.",
                code="span_missing",
            )
        start, end = claim.span_of(quote)
    elif start is None or end is None:
        raise ValidationError("Give both start and end offsets.", code="span_incomplete")
    if not claim.contains_span(start, end):
        raise ValidationError(
            f"The span {start}–{end} must lie inside the claim ({claim.start}–{claim.end}).",
            code="span_outside_claim",
        )
    # The claim's own text (the article's between its offsets): the article's whole text
    # can be megabytes and is not needed to check a span inside one claim.
    if cut := cut_clusters(claim.text, start - claim.start, end - claim.start):
        raise ValidationError(
            f"The span {start}–{end} cuts the character “{cut[0]}” in two; start and end "
            "must fall between whole characters (an emoji with its modifier, a flag or a "
            "letter with its accents is one character).",
            code="span_cuts_character",
        )
    found = claim.text_between(start, end)
    if quote is not None and quote != found:
        raise ValidationError(
            {
                "quote": ValidationError(
                    f"The offsets {start}–{end} hold “{excerpt(found)}”, not “{excerpt(quote)}”.",
                    code="quote_mismatch",
                )
            }
        )
    return start, end, found


@dataclass(frozen=True)
class NewSource:
    url: str
    title: str = ""
    publisher: str = ""
    published_on: date | None = None
    quoted_passage: str = ""
    accessed_on: date | None = None


@transaction.atomic
def source_get_or_create(*, new: NewSource, added_by, cited_for=None) -> Source:
    """``added_by``'s own source stored under ``new``'s address (normalised:
    ``claims.text.source_urls``), else ``new`` stored as theirs. A stored source keeps its title
    and details: changing them changes every annotation citing it.

    Only the writer's own is reused (for ``added_by`` None, seeds and imports, the
    unattributed one), never another person's, though the writer may see it: under blind
    review it can back unsubmitted work on another article, and citing it would show its
    title and passage to whoever may see the citing work; and its adder may change or
    delete it at any time. When ``cited_for``, the reviewer whose work will cite it, is not
    the writer (an editor adding a source to a reviewer's annotation), it must be visible to
    them too, else the writer is told so (they cannot store a second source of their own
    of one address). To cite someone else's source on purpose, pick it by id."""
    normalised = normalise_url(new.url)
    if (stored := _own_source(normalised, added_by)) is None:
        source = Source(added_by=added_by, **new.__dict__)
        # Looked up above; the constraint decides, as a concurrent insert can come between.
        source.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():  # a savepoint, so the outer transaction stays usable
                source.save()
            return source  # new: it backs nothing yet, so anyone may see it
        except IntegrityError:
            # The same adder stored the address between the lookup and the insert (the
            # constraint is one per address and adder: nobody else's insert collides).
            if (stored := _own_source(normalised, added_by)) is None:
                raise
    if cited_for is not None and cited_for != added_by:
        _check_visible_to(stored, cited_for)
    return stored


def _own_source(normalised: str, added_by) -> Source | None:
    # For added_by None (seeds, imports) the unattributed one; several may stand since
    # deleted users' sources joined them (SET_NULL), and the first is taken.
    return (
        Source.objects.filter(normalised_url=normalised, added_by=added_by).order_by("pk").first()
    )


def _check_visible_to(source: Source, reviewer) -> None:
    if not permissions.may_see_source(reviewer, source):
        raise ValidationError(
            {
                "sources": ValidationError(
                    f"You already stored this address as source {source.pk}, which backs "
                    f"work {reviewer.get_username()} may not see yet: citing it on their "
                    "annotation would show it to them. Pick source "
                    f"{source.pk} in the source search to cite it anyway, or leave the "
                    "source for them to add.",
                    code="source_hidden_from_reviewer",
                )
            }
        )


def _sources(items: Iterable[Source | NewSource], added_by, cited_for=None) -> list[Source]:
    return [
        source_get_or_create(new=item, added_by=added_by, cited_for=cited_for)
        if isinstance(item, NewSource)
        else item
        for item in items
    ]


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_not_duplicate(annotation: Annotation) -> None:
    """Refuse an exact duplicate: the same reviewer's tag of the same span, with the same
    error type, on the same claim. The message names the annotation that already says it.

    The copy is always the reviewer's own work, so naming it reveals nothing under blind
    review."""
    twin = (
        Annotation.objects.filter(
            claim_id=annotation.claim_id,
            reviewer_id=annotation.reviewer_id,
            start=annotation.start,
            end=annotation.end,
            error_type_id=annotation.error_type_id,
        )
        .exclude(pk=annotation.pk)
        .select_related("reviewer", "error_type")
        .first()
    )
    if twin is not None:
        raise ValidationError(
            f"{twin.reviewer.get_username()} already tagged “{_short(twin.quote)}” "
            f"({twin.start}–{twin.end}) as {twin.error_type} in this claim: annotation "
            f"{twin.pk}. Change that one instead of adding a copy.",
            code="duplicate_annotation",
        )


def _save_unique(annotation: Annotation) -> None:
    """Save, turning the database's refusal of a duplicate into the same ValidationError.

    The check above runs first, but two requests can both pass it before either inserts;
    the unique constraint then refuses the second, which must still be a clear 400."""
    try:
        with transaction.atomic():  # a savepoint, so the outer transaction stays usable
            annotation.save()
    except IntegrityError:
        check_not_duplicate(annotation)
        raise


def _span_in_fresh_claim(
    seen: Claim, fresh: Claim, *, start: int | None, end: int | None, quote: str | None
) -> tuple[int, int, str]:
    """Resolve the span against the claim as it is now, inside the writing transaction.

    If an editor split or merged the claim since the writer read it and the span no longer
    fits, that is a conflict (409), not the writer's mistake (400).
    """
    try:
        return resolve_span(fresh, start=start, end=end, quote=quote)
    except ValidationError:
        if (seen.start, seen.end) == (fresh.start, fresh.end):
            raise
        raise Conflict(
            f"Claim #{fresh.pk} was split or merged while you worked (it spanned "
            f"{seen.start}–{seen.end}, it now spans {fresh.start}–{fresh.end}) and your span "
            "no longer fits it; reload the article and tag again.",
            code="claim_changed",
        ) from None


@transaction.atomic
def annotation_create(
    *,
    claim: Claim,
    reviewer,
    error_type: ErrorType,
    start: int | None = None,
    end: int | None = None,
    quote: str | None = None,
    correction: str = "",
    note: str = "",
    severity: str = Severity.MAJOR,
    sources: Iterable[Source | NewSource] = (),
) -> Annotation:
    # Locked before anything is checked: a split or merge cannot move the claim under us.
    fresh = locked_claim(claim)
    review = check_may_label(reviewer=reviewer, article=fresh.article)
    start, end, quote = _span_in_fresh_claim(claim, fresh, start=start, end=end, quote=quote)
    annotation = Annotation(
        claim=fresh,
        reviewer=reviewer,
        error_type=error_type,
        start=start,
        end=end,
        quote=quote,
        correction=correction,
        note=note,
        severity=severity,
    )
    check_not_duplicate(annotation)
    annotation.full_clean()
    annotation._history_user = reviewer
    _save_unique(annotation)
    annotation.sources.set(_sources(sources, added_by=reviewer))
    record_work(review)
    return annotation


def _locked_annotation(annotation: Annotation, *, version: int | None) -> Annotation:
    """The stored annotation, its article's claims locked first (the order every writer
    uses), then the row itself; ``StaleVersion`` if it is not at ``version``."""
    lock_article_claims(annotation.claim.article_id)
    return lock_current(
        annotation,
        expected=version,
        queryset=Annotation.objects.select_related("claim__article", "reviewer").defer(
            "claim__article__text", "claim__article__source_html"
        ),
    )


@transaction.atomic
def annotation_update(
    annotation: Annotation,
    *,
    by,
    version: int | None = None,
    start: int | None = None,
    end: int | None = None,
    quote: str | None = None,
    sources: Iterable[Source | NewSource] | None = None,
    **fields,
) -> Annotation:
    """Change an annotation; a new span is given as offsets or quote, like on creation.

    ``version`` is the version the writer read: a stale one is refused with
    ``StaleVersion``. Only the fields given change, on the row as it is stored now.
    """
    allowed = {"error_type", "correction", "note", "severity"}
    if unknown := set(fields) - allowed:
        raise TypeError(f"annotation_update() cannot change {sorted(unknown)}")
    seen_claim = annotation.claim
    annotation = _locked_annotation(annotation, version=version)
    review = check_may_label(reviewer=annotation.reviewer, article=annotation.claim.article, by=by)
    record_work(review)
    if start is not None or end is not None or quote is not None:
        annotation.start, annotation.end, annotation.quote = _span_in_fresh_claim(
            seen_claim, annotation.claim, start=start, end=end, quote=quote
        )
        annotation.anchor = Anchor.EXACT  # tagged again by hand (an orphan found a home)
    for name, value in fields.items():
        setattr(annotation, name, value)
    check_not_duplicate(annotation)
    annotation.version += 1
    annotation.full_clean()
    annotation._history_user = by
    _save_unique(annotation)
    if sources is not None:
        annotation.sources.set(_sources(sources, added_by=by, cited_for=annotation.reviewer))
    return annotation


@transaction.atomic
def annotation_delete(annotation: Annotation, *, by, version: int | None = None) -> None:
    annotation = _locked_annotation(annotation, version=version)
    record_work(
        check_may_label(reviewer=annotation.reviewer, article=annotation.claim.article, by=by)
    )
    annotation._history_user = by
    annotation.delete()


@transaction.atomic
def verdict_set(
    *, claim: Claim, reviewer, label: str, note: str = "", by=None, version: int | None = None
) -> Verdict:
    """Set ``reviewer``'s verdict on ``claim``; ``by`` is an editor correcting it, if not them.

    ``version`` is the version of the verdict the writer read, if they read one.
    """
    # The claim's lock serialises writers of its verdicts: the one-per-reviewer row is
    # looked up and created by one of them at a time.
    claim = locked_claim(claim)
    record_work(check_may_label(reviewer=reviewer, article=claim.article, by=by))
    verdict = Verdict.objects.filter(claim=claim, reviewer=reviewer).first()
    if verdict is None:
        if version is not None:
            raise Conflict(
                "This verdict was removed since you loaded it; reload the claim.",
                code="verdict_gone",
            )
        verdict = Verdict(claim=claim, reviewer=reviewer)
    else:
        verdict = lock_current(verdict, expected=version)
        verdict.version += 1
    verdict.label, verdict.note = label, note
    verdict.full_clean()
    verdict._history_user = by or reviewer
    verdict.save()
    return verdict
