"""Revised articles: an editor replaces an article's text and every label follows it."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from claims import permissions
from claims.models import (
    Adjudication,
    Anchor,
    Annotation,
    Article,
    ArticleRevision,
    Claim,
    FinalAnnotation,
    Verdict,
)
from claims.models import content_hash as hash_text
from claims.services.articles import canonical_text, check_text
from claims.services.concurrency import lock_article_claims
from claims.text.anchoring import Anchored, Span, anchor, pair_claims
from claims.text.segmentation import split_into_claims

# Moves every order out of the way before renumbering, as claim_split does.
_ORDER_SHIFT = 1_000_000
REASON = "article revised"


def _counts() -> dict[str, int]:
    return {kind.value: 0 for kind in Anchor}


@dataclass
class RevisionReport:
    """What a revision did: counts an editor (and a test) can check."""

    revision: ArticleRevision
    annotations: dict[str, int] = field(default_factory=_counts)
    final_labels: dict[str, int] = field(default_factory=_counts)
    claims: dict[str, int] = field(default_factory=lambda: {"kept": 0, "added": 0, "removed": 0})
    verdicts: dict[str, int] = field(default_factory=lambda: {"kept": 0, "removed": 0})

    def as_dict(self) -> dict:
        return {
            "annotations": self.annotations,
            "final_labels": self.final_labels,
            "claims": self.claims,
            "verdicts": self.verdicts,
        }


@transaction.atomic
def article_revise(
    *, article: Article, text: str, by, title: str = "", source_html: str | None = None
) -> RevisionReport:
    """Replace ``article``'s text; keep the old one as a revision; re-split it into claims;
    re-anchor every annotation and final label; keep verdicts on claims whose text is
    unchanged. Labels that cannot be found again are orphaned, never deleted.

    ``source_html``, when given, is the web page the new text was extracted from: it
    replaces the saved page, so the page kept is always the one the text came from."""
    if not permissions.may_revise_article(by):
        raise ValidationError("Only an editor can revise an article's text.", code="not_editor")
    article = Article.objects.select_for_update().get(pk=article.pk)
    # Every writer of this article's labels locks its claims first: none writes meanwhile.
    lock_article_claims(article.pk)
    text = canonical_text(text)
    check_text(text)
    if text == article.text:
        raise ValidationError(
            {"text": ValidationError("The text is unchanged.", code="text_unchanged")}
        )
    twin = Article.objects.filter(content_hash=hash_text(text)).exclude(pk=article.pk).first()
    if twin is not None:
        raise ValidationError(
            {
                "text": ValidationError(
                    f"This text is already stored as article {twin.pk} (“{twin.title}”).",
                    code="duplicate_text",
                )
            }
        )
    revision = ArticleRevision.objects.create(
        article=article, title=article.title, text=article.text, revised_by=by
    )
    report = RevisionReport(revision)

    # Read every label with its claim as it was, before anything moves.
    old_claims = list(article.claims.order_by("order"))
    annotations = list(
        Annotation.objects.filter(claim__article=article).select_related("claim").order_by("pk")
    )
    finals = list(
        FinalAnnotation.objects.filter(adjudication__claim__article=article)
        .select_related("adjudication__claim", "adjudication__editor")
        .order_by("pk")
    )

    article.text = text
    article.title = (title or "").strip() or article.title
    if source_html is not None:
        article.source_html = source_html
    article.full_clean(exclude=["content_hash"], validate_unique=False)
    article.save()
    new_claims, pairing = _resplit(article, old_claims, report, by)
    nearest = {old.pk: new_claims[j] for old, j in zip(old_claims, pairing.nearest, strict=True)}

    for annotation in annotations:
        _reanchor(annotation, annotation.claim, new_claims, nearest, article, by)
        report.annotations[annotation.anchor] += 1

    adjudications: dict[int, Adjudication] = {}  # by claim id, as they stand after the move
    touched: dict[int, Adjudication] = {}  # each gets one version bump: its labels moved
    for final in finals:
        old_adjudication = final.adjudication
        old_claim = old_adjudication.claim
        holder = _reanchor(final, old_claim, new_claims, nearest, article, by, save=False)
        final.adjudication = _adjudication_on(holder, old_adjudication, adjudications, by)
        touched[final.adjudication.pk] = final.adjudication
        final.full_clean()
        final._history_user, final._change_reason = by, REASON
        final.save()
        report.final_labels[final.anchor] += 1

    for adjudication in touched.values():
        # An editor's adjudication page read before the revision is stale now.
        adjudication.version += 1
        adjudication._history_user, adjudication._change_reason = by, REASON
        adjudication.save(update_fields=["version", "updated_at"])
    kept = {claim.pk for claim in new_claims}
    removed = [claim for claim in old_claims if claim.pk not in kept]
    for claim in removed:
        # A verdict judges the whole text of a claim that is no longer in the article.
        for verdict in Verdict.objects.filter(claim=claim):
            verdict._history_user, verdict._change_reason = by, REASON
            verdict.delete()
            report.verdicts["removed"] += 1
        for adjudication in Adjudication.objects.filter(claim=claim):
            adjudication._history_user, adjudication._change_reason = by, REASON
            adjudication.delete()  # its final labels were all moved above
        claim._history_user, claim._change_reason = by, REASON
        claim.delete()
    report.claims["removed"] = len(removed)
    report.verdicts["kept"] = Verdict.objects.filter(claim__article=article).count()
    revision.report = report.as_dict()
    revision.save(update_fields=["report"])
    return report


def _resplit(article: Article, old_claims: list[Claim], report: RevisionReport, by):
    """The new claims in order: an old claim's row is reused when its text is unchanged
    (so verdicts and final labels on it stay), the rest are new rows."""
    segments = split_into_claims(article.text)
    pairing = pair_claims([c.text for c in old_claims], [s.text for s in segments])
    Claim.objects.filter(article=article).update(order=F("order") + _ORDER_SHIFT)
    # Fresh rows to change, so that old_claims keeps the old offsets the labels refer to.
    rows = Claim.objects.in_bulk([old_claims[i].pk for i in pairing.same.values()])
    new_claims = []
    for order, segment in enumerate(segments):
        reused = pairing.same.get(order)
        claim = rows[old_claims[reused].pk] if reused is not None else Claim(article=article)
        claim.article = article
        claim.order, claim.paragraph, claim.kind = order, segment.paragraph, segment.kind
        claim.start, claim.end, claim.text = segment.start, segment.end, segment.text
        # The constraints (offsets in order, one claim per order) hold by construction and
        # in the database; checking them here would cost a query per claim.
        claim.full_clean(validate_constraints=False)
        claim._history_user, claim._change_reason = by, REASON
        claim.save()
        new_claims.append(claim)
        report.claims["kept" if reused is not None else "added"] += 1
    return new_claims, pairing


def _holding(claims: list[Claim], start: int, end: int) -> Claim | None:
    return next((c for c in claims if c.contains_span(start, end)), None)


def _reanchor(label, old_claim, new_claims, nearest, article, by, *, save=True) -> Claim:
    """Anchor ``label`` (an annotation or final label) in the new text; returns its claim.

    A span that is found but no longer lies inside one claim (the new text splits it
    differently) is orphaned too: a label always lies inside its claim.
    """
    placeholder = nearest[old_claim.pk]
    near = None
    if label.start is not None:
        near = placeholder.start + (label.start - old_claim.start)
    found = anchor(
        Span(label.start, label.end, label.quote, label.prefix, label.suffix),
        article.text,
        near=near,
    )
    holder = None
    if found.start is not None:
        holder = _holding(new_claims, found.start, found.end)
    if holder is None:
        found, holder = Anchored(Anchor.ORPHANED), placeholder
    label.anchor, label.start, label.end = found.anchor, found.start, found.end
    if found.start is not None:
        label.quote = article.text[found.start : found.end]
    # An orphan keeps its old quote (and its old context, for the next revision).
    if isinstance(label, Annotation):
        label.claim = holder
        label.version += 1  # a reviewer's copy read before the revision is stale now
        if save:
            label.full_clean()
            label._history_user, label._change_reason = by, REASON
            label.save()
    return holder


def _adjudication_on(
    claim: Claim, old: Adjudication, adjudications: dict[int, Adjudication], by
) -> Adjudication:
    """The adjudication holding final labels on ``claim`` after the revision: the old one
    if its claim was kept, else one for ``claim`` (its verdict judged other text, so a new
    one has none)."""
    if old.claim_id == claim.pk:
        old.claim = claim  # the row as it is now, for the span checks
        return old
    if claim.pk not in adjudications:
        existing = Adjudication.objects.filter(claim=claim).first()
        if existing is None:
            existing = Adjudication(claim=claim, editor=old.editor, note=old.note)
            existing.full_clean()
            existing._history_user, existing._change_reason = by, REASON
            existing.save()
        adjudications[claim.pk] = existing
    return adjudications[claim.pk]
