"""Workflows that write several rows or enforce a business rule.

The admin, the API and the management commands all call these; none re-implements them.
Each runs in one transaction and validates with ``full_clean()`` before saving, so bad
input raises ``ValidationError`` and leaves nothing half-written.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q

from claims.models import Annotation, Article, Claim, ErrorType, Severity, Source, Verdict
from claims.models import content_hash as hash_text
from claims.segmentation import split_into_claims

# Moves orders out of the way before renumbering, so the (article, order) unique
# constraint holds after every row of an UPDATE, on every database.
_ORDER_SHIFT = 1_000_000


def canonical_text(text: str) -> str:
    """Normalise line endings once, on import; nothing else is changed."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class ImportResult:
    article: Article
    created: bool


@transaction.atomic
def article_import(
    *,
    title: str = "",
    text: str,
    url: str | None = None,
    outlet: str = "",
    byline: str = "",
    published_on: date | None = None,
    language: str = "en",
    imported_by=None,
) -> ImportResult:
    """Store an article and its claims, or return the one already stored (same url or text)."""
    text = canonical_text(text)
    if not text.strip():
        raise ValidationError(
            {"text": ValidationError("The article has no text.", code="empty_text")}
        )
    url = url or None
    existing = Article.objects.filter(
        Q(content_hash=hash_text(text)) | (Q(url=url) if url else Q(pk__in=[]))
    ).first()
    if existing is not None:
        return ImportResult(existing, created=False)

    article = Article(
        title=(title or "").strip() or text.strip().splitlines()[0][:500],
        text=text,
        url=url,
        outlet=outlet,
        byline=byline,
        published_on=published_on,
        language=language or "en",
        imported_by=imported_by,
    )
    article.full_clean(exclude=["content_hash"])
    article.save()
    Claim.objects.bulk_create(
        Claim(
            article=article,
            order=order,
            paragraph=segment.paragraph,
            start=segment.start,
            end=segment.end,
            text=segment.text,
            kind=segment.kind,
        )
        for order, segment in enumerate(split_into_claims(text))
    )
    return ImportResult(article, created=True)


def resolve_span(
    claim: Claim, *, start: int | None = None, end: int | None = None, quote: str | None = None
) -> tuple[int, int, str]:
    """Turn either article offsets or an exact quote into (start, end, quote) inside ``claim``."""
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
    found = claim.article.text[start:end]
    if quote is not None and quote != found:
        raise ValidationError(
            {
                "quote": ValidationError(
                    f"The offsets {start}–{end} hold “{found}”, not “{quote}”.",
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


def _sources(items: Iterable[Source | NewSource], added_by) -> list[Source]:
    sources = []
    for item in items:
        if isinstance(item, NewSource):
            source = Source(added_by=added_by, **item.__dict__)
            source.full_clean()
            source.save()
            item = source
        sources.append(item)
    return sources


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
    start, end, quote = resolve_span(claim, start=start, end=end, quote=quote)
    annotation = Annotation(
        claim=claim,
        reviewer=reviewer,
        error_type=error_type,
        start=start,
        end=end,
        quote=quote,
        correction=correction,
        note=note,
        severity=severity,
    )
    annotation.full_clean()
    annotation.save()
    annotation.sources.set(_sources(sources, added_by=reviewer))
    return annotation


@transaction.atomic
def annotation_update(
    annotation: Annotation,
    *,
    by,
    start: int | None = None,
    end: int | None = None,
    quote: str | None = None,
    sources: Iterable[Source | NewSource] | None = None,
    **fields,
) -> Annotation:
    """Change an annotation; a new span is given as offsets or quote, like on creation."""
    allowed = {"error_type", "correction", "note", "severity"}
    if unknown := set(fields) - allowed:
        raise TypeError(f"annotation_update() cannot change {sorted(unknown)}")
    if start is not None or end is not None or quote is not None:
        annotation.start, annotation.end, annotation.quote = resolve_span(
            annotation.claim, start=start, end=end, quote=quote
        )
    for name, value in fields.items():
        setattr(annotation, name, value)
    annotation.full_clean()
    annotation.save()
    if sources is not None:
        annotation.sources.set(_sources(sources, added_by=by))
    return annotation


@transaction.atomic
def verdict_set(*, claim: Claim, reviewer, label: str, note: str = "") -> Verdict:
    verdict = Verdict.objects.filter(claim=claim, reviewer=reviewer).first() or Verdict(
        claim=claim, reviewer=reviewer
    )
    verdict.label, verdict.note = label, note
    verdict.full_clean()
    verdict.save()
    return verdict


def _shift_orders(article: Article, *, after: int, by: int) -> None:
    later = Claim.objects.filter(article=article, order__gt=after)
    later.update(order=F("order") + _ORDER_SHIFT)
    Claim.objects.filter(article=article, order__gt=after + _ORDER_SHIFT).update(
        order=F("order") - _ORDER_SHIFT + by
    )


@transaction.atomic
def claim_split(claim: Claim, *, at: int) -> tuple[Claim, Claim]:
    """Split ``claim`` at article offset ``at``; annotations follow the half that holds them.

    Whitespace at the cut stays outside both halves, as the segmenter leaves it.
    """
    claim = Claim.objects.select_for_update().select_related("article").get(pk=claim.pk)
    text = claim.article.text
    left_end = at
    while left_end > claim.start and text[left_end - 1].isspace():
        left_end -= 1
    right_start = at
    while right_start < claim.end and text[right_start].isspace():
        right_start += 1
    if not (claim.start < left_end and right_start < claim.end):
        raise ValidationError(
            f"Split inside the claim, between offsets {claim.start + 1} and {claim.end - 1}, "
            "with text on both sides.",
            code="split_outside",
        )
    straddling = claim.annotations.filter(start__lt=right_start, end__gt=left_end)
    if straddling.exists():
        quotes = ", ".join(f"“{a.quote}”" for a in straddling[:3])
        raise ValidationError(
            f"Cannot split through an annotated span ({quotes}); split before or after it.",
            code="split_through_annotation",
        )
    _shift_orders(claim.article, after=claim.order, by=1)
    right = Claim(
        article=claim.article,
        order=claim.order + 1,
        paragraph=claim.paragraph,
        start=right_start,
        end=claim.end,
        text=text[right_start : claim.end],
        kind=claim.kind,
    )
    claim.end, claim.text = left_end, text[claim.start : left_end]
    claim.full_clean()
    claim.save()
    right.full_clean()
    right.save()
    claim.annotations.filter(start__gte=right_start).update(claim=right)
    return claim, right


@transaction.atomic
def claim_merge_with_next(claim: Claim) -> Claim:
    """Merge ``claim`` with the claim after it; the annotations of both stay on the result."""
    claim = Claim.objects.select_for_update().select_related("article").get(pk=claim.pk)
    following = Claim.objects.filter(article=claim.article, order__gt=claim.order).first()
    if following is None:
        raise ValidationError(
            "This is the last claim of its article; nothing follows it to merge.", code="merge_last"
        )
    if following.verdicts.exists():
        raise ValidationError(
            "The next claim has verdicts; a verdict judges a whole claim, so resolve them first.",
            code="merge_verdicts",
        )
    following.annotations.update(claim=claim)
    claim.end = following.end
    claim.text = claim.article.text[claim.start : claim.end]
    following.delete()
    claim.full_clean()
    claim.save()
    _shift_orders(claim.article, after=claim.order, by=-1)
    return claim
