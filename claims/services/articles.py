"""Articles and their claims: import, split, merge."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError, Q
from simple_history.utils import bulk_update_with_history

from claims import permissions
from claims.models import Annotation, Article, Claim, utf16_fields
from claims.models import content_hash as hash_text
from claims.services.claim_rows import insert_claim_rows
from claims.services.concurrency import Conflict, locked_claim
from claims.text.segmentation import ClaimKind, Segment, split_into_claims
from claims.validation import article_problems

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


def _first_line(text: str) -> tuple[int, int]:
    """(start, end) of the first non-blank line, stripped as the segmenter strips lines."""
    start = len(text) - len(text.lstrip())
    return start, start + len(text[start:].split("\n", 1)[0].rstrip())


def _with_title_heading(text: str, segments: list[Segment]) -> list[Segment]:
    """The first line is the title: one heading claim, whatever the segmenter made of it
    (it only knows a headline by its look: short, no full stop, a blank line after it)."""
    start, end = _first_line(text)
    rest = [segment for segment in segments if segment.start >= end]
    paragraph = segments[0].paragraph if segments else 0
    return [Segment(start, end, text[start:end], ClaimKind.HEADING, paragraph), *rest]


@dataclass
class PreparedArticle:
    """An article checked and ready to store, not saved yet: what one import writes.

    It is split on first use, so an article found already stored is never split.
    """

    article: Article
    title_is_first_line: bool
    _segments: list[Segment] | None = None

    @property
    def segments(self) -> list[Segment]:
        if self._segments is None:
            text = self.article.text
            segments = split_into_claims(text)
            self._segments = (
                _with_title_heading(text, segments) if self.title_is_first_line else segments
            )
        return self._segments

    def claim_rows(self) -> Iterator[tuple]:
        """The claims to store, as ``claim_rows.COLUMNS``, once the article has its id."""
        article_id, utf16 = self.article.pk, self.article.utf16_offsets()
        for order, segment in enumerate(self.segments):
            yield (
                article_id,
                order,
                segment.paragraph,
                segment.start,
                segment.end,
                *utf16_fields(utf16, segment.start, segment.end),
                segment.text,
                segment.kind,
            )


def article_prepare(
    *,
    title: str = "",
    text: str,
    url: str | None = None,
    outlet: str = "",
    byline: str = "",
    published_on: date | None = None,
    language: str = "en",
    imported_by=None,
    first_line_is_title: bool = False,
    source_html: str = "",
) -> PreparedArticle:
    """Check an article as every import path must, without touching the database.

    Raises ``ValidationError`` naming the field to fix. Whether the article is stored
    already (same url or text) is the caller's question: one query per article here would
    cost a bulk import most of its time. ``source_html`` is the web page the text was
    extracted from, kept for provenance.
    """
    text = canonical_text(text)
    limit = settings.FACTCHECK_MAX_ARTICLE_CHARS
    if len(text) > limit:
        raise ValidationError(
            {
                "text": ValidationError(
                    f"The text has {len(text):,} characters; the limit is {limit:,} "
                    "(FACTCHECK_MAX_ARTICLE_CHARS). Split it into several articles.",
                    code="text_too_long",
                )
            }
        )
    given = {"title": title, "text": text, "url": url, "outlet": outlet, "byline": byline}
    if problems := article_problems({**given, "language": language, "source_html": source_html}):
        # The importer and the API ask the same question first; this guards every caller.
        raise ValidationError(
            {
                name: ValidationError(f"The {name} {problem}.", code="invalid_article")
                for name, problem in problems.items()
            }
        )
    start, end = _first_line(text)
    title = (title or "").strip()
    article = Article(
        title=title or text[start:end][:500],
        text=text,
        url=url or None,
        outlet=outlet,
        byline=byline,
        published_on=published_on,
        language=language or "en",
        imported_by=imported_by,
        source_html=source_html,
        content_hash=hash_text(text),
    )
    # Uniqueness (url, text) is checked by the caller for a whole batch at once.
    article.full_clean(exclude=["content_hash"], validate_unique=False)
    return PreparedArticle(article, first_line_is_title or title == text[start:end])


def stored_articles(prepared: Iterable[PreparedArticle]):
    """The stored articles with the same text or url as any of ``prepared``, newest first:
    one query for a whole batch."""
    prepared = list(prepared)
    hashes = [p.article.content_hash for p in prepared]
    urls = [p.article.url for p in prepared if p.article.url]
    return Article.objects.filter(Q(content_hash__in=hashes) | Q(url__in=urls))


def articles_store(prepared: list[PreparedArticle]) -> None:
    """Insert new articles and their claims, in two statements whatever their number.

    No history rows: an import never recorded any (bulk inserts send no signals); a
    claim's history starts with its first change.
    """
    Article.objects.bulk_create([p.article for p in prepared])
    insert_claim_rows(row for p in prepared for row in p.claim_rows())


@transaction.atomic
def article_import(**fields) -> ImportResult:
    """Store an article and its claims, or return the one already stored (same url or text).

    Takes ``article_prepare``'s arguments. Plain text's first line is its title
    (``first_line_is_title``); so is a first line equal to the title given. That line
    becomes one heading claim, as in the seed article.
    """
    prepared = article_prepare(**fields)
    if (existing := stored_articles([prepared]).first()) is not None:
        return ImportResult(existing, created=False)
    articles_store([prepared])
    return ImportResult(prepared.article, created=True)


@transaction.atomic
def claim_set_kind(claim: Claim, *, kind: str, by) -> Claim:
    """Change what kind of text a claim is (statement, quote…), which the export filters on."""
    if not permissions.may_change_claim_kind(by, claim):
        if hasattr(claim, "adjudication"):
            message = f"Claim #{claim.pk} has final labels; only an editor changes its kind."
        else:
            message = (
                "Only an editor, or a reviewer of this article while their review is open, "
                "changes a claim's kind."
            )
        raise ValidationError(message, code="kind_not_yours")
    claim.kind = kind
    claim.full_clean()
    claim.save(update_fields=["kind"])
    return claim


def _refuse_if_adjudicated(claim: Claim) -> None:
    if hasattr(claim, "adjudication"):
        raise ValidationError(
            f"Claim #{claim.pk} has final labels; an editor must remove its adjudication "
            "before it can be split or merged.",
            code="claim_adjudicated",
        )


def _refuse_if_judged(claim: Claim) -> None:
    # A verdict judges the claim's whole text; after a split or merge it would judge text
    # the reviewer never saw.
    if claim.verdicts.exists():
        raise ValidationError(
            f"Claim #{claim.pk} has reviewers' verdicts, which judge its whole text; they "
            "must be removed before it can be split or merged.",
            code="claim_judged",
        )


def _move_annotations(annotations, *, to: Claim) -> None:
    # Saved with history rows, so each annotation's move to its new claim is on record.
    moved = list(annotations)
    for annotation in moved:
        annotation.claim = to
    bulk_update_with_history(moved, Annotation, ["claim"])


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
    # Every claim of the article is locked and re-read: the offsets checked below are the
    # ones the write uses, and no annotation can be placed in the claim meanwhile.
    claim = locked_claim(claim)
    _refuse_if_adjudicated(claim)
    _refuse_if_judged(claim)
    if not claim.start < at < claim.end:
        raise ValidationError(
            f"Split inside the claim, between offsets {claim.start + 1} and {claim.end - 1}.",
            code="split_outside",
        )
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
        # No quotes in the message: under blind review it may be someone else's span.
        raise ValidationError(
            "Cannot split through an annotated span; split before or after it.",
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
    _move_annotations(claim.annotations.filter(start__gte=right_start), to=right)
    return claim, right


@transaction.atomic
def claim_merge_with_next(claim: Claim) -> Claim:
    """Merge ``claim`` with the claim after it; the annotations of both stay on the result."""
    claim = locked_claim(claim)
    following = Claim.objects.filter(article=claim.article, order__gt=claim.order).first()
    if following is None:
        raise ValidationError(
            "This is the last claim of its article; nothing follows it to merge.", code="merge_last"
        )
    for judged in (claim, following):
        _refuse_if_adjudicated(judged)
        _refuse_if_judged(judged)
    _move_annotations(following.annotations.all(), to=claim)
    claim.end = following.end
    claim.text = claim.article.text[claim.start : claim.end]
    try:
        following.delete()
    except ProtectedError:
        # Only a writer that skipped the claim locks could have added work meanwhile.
        raise Conflict(
            f"Claim #{following.pk} received new work during the merge; try again.",
            code="claim_busy",
        ) from None
    claim.full_clean()
    claim.save()
    _shift_orders(claim.article, after=claim.order, by=-1)
    return claim


def check_text(text: str) -> None:
    """What a revised text must be, as on import (article_import checks the same)."""
    if not text.strip():
        raise ValidationError(
            {"text": ValidationError("The article has no text.", code="empty_text")}
        )
    if "\x00" in text:
        raise ValidationError(
            {
                "text": ValidationError(
                    "The text contains NUL (\\x00) characters; remove them.", code="nul_in_text"
                )
            }
        )
