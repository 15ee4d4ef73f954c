from collections.abc import Iterator

from django.conf import settings
from django.db.models import Exists, OuterRef

from claims.models import Annotation, Claim, FinalAnnotation, Verdict
from claims.offsets import utf16_length

# Which labels an export holds: every reviewer's own, the editor's final ones, or both.
LABELS = ("all", "raw", "final")


def _source_records(sources) -> list[dict]:
    return [
        {
            "id": source.pk,
            "url": source.url,
            "title": source.title,
            "publisher": source.publisher,
            "published_on": source.published_on.isoformat() if source.published_on else None,
            "quoted_passage": source.quoted_passage,
            "accessed_on": source.accessed_on.isoformat() if source.accessed_on else None,
        }
        for source in sources
    ]


def utf16_span(claim: Claim, start: int | None, end: int | None) -> tuple[int | None, int | None]:
    """A span's UTF-16 offsets, from its claim's: only the claim's own text is read."""
    if start is None or end is None:  # an orphaned label has no place in the text
        return None, None
    before = claim.start_utf16 + utf16_length(claim.text_between(claim.start, start))
    return before, before + utf16_length(claim.text_between(start, end))


def annotation_record(annotation: Annotation, claim: Claim) -> dict:
    start_utf16, end_utf16 = utf16_span(claim, annotation.start, annotation.end)
    return {
        "id": annotation.pk,
        "reviewer": annotation.reviewer.get_username(),
        "start": annotation.start,
        "end": annotation.end,
        "start_utf16": start_utf16,
        "end_utf16": end_utf16,
        "quote": annotation.quote,
        "anchor": annotation.anchor,
        "error_type": annotation.error_type.slug,
        "error_type_name": annotation.error_type.name,
        "correction": annotation.correction,
        "note": annotation.note,
        "severity": annotation.severity,
        "sources": _source_records(annotation.sources.all()),
    }


def final_annotation_record(final: FinalAnnotation, claim: Claim) -> dict:
    start_utf16, end_utf16 = utf16_span(claim, final.start, final.end)
    return {
        "start": final.start,
        "end": final.end,
        "start_utf16": start_utf16,
        "end_utf16": end_utf16,
        "quote": final.quote,
        "anchor": final.anchor,
        "error_type": final.error_type.slug,
        "error_type_name": final.error_type.name,
        "correction": final.correction,
        "note": final.note,
        "severity": final.severity,
        "sources": _source_records(final.sources.all()),
        "from_annotations": sorted(a.pk for a in final.from_annotations.all()),
    }


def verdict_record(verdict: Verdict) -> dict:
    return {
        "reviewer": verdict.reviewer.get_username(),
        "label": verdict.label,
        "note": verdict.note,
    }


def final_record(claim: Claim) -> dict | None:
    adjudication = getattr(claim, "adjudication", None)
    if adjudication is None:
        return None
    return {
        "adjudicated_by": adjudication.editor.get_username(),
        "adjudicated_at": adjudication.updated_at.isoformat(),
        "verdict": adjudication.verdict or None,
        "note": adjudication.note,
        "annotations": [final_annotation_record(f, claim) for f in adjudication.annotations.all()],
    }


def claim_record(claim: Claim, labels: str = "all") -> dict:
    record = {
        "labels": labels,
        "article": {"id": claim.article_id, "title": claim.article.title, "url": claim.article.url},
        "claim": {
            "id": claim.pk,
            "order": claim.order,
            "paragraph": claim.paragraph,
            "start": claim.start,
            "end": claim.end,
            "start_utf16": claim.start_utf16,
            "end_utf16": claim.end_utf16,
            "text": claim.text,
            "kind": claim.kind,
        },
    }
    if labels in ("all", "raw"):
        record["annotations"] = [annotation_record(a, claim) for a in claim.annotations.all()]
        record["verdicts"] = [verdict_record(v) for v in claim.verdicts.all()]
    if labels in ("all", "final"):
        # A final label the reader may not see is left out as if there were none.
        record["final"] = final_record(claim) if getattr(claim, "final_visible", True) else None
    return record


def records(
    claims,
    *,
    labels: str = "all",
    annotations=None,
    verdicts=None,
    adjudications=None,
    chunk_size: int | None = None,
) -> Iterator[dict]:
    """Stream records in article order; prefetching runs once per chunk, not per claim.

    ``annotations``/``verdicts`` narrow the raw labels, ``adjudications`` the final ones,
    to what the reader may see; ``None`` is everything (the operator's command).
    """
    if labels not in LABELS:
        raise ValueError(f"labels must be one of {', '.join(LABELS)}, not {labels!r}")
    chunk_size = chunk_size or settings.FACTCHECK_EXPORT_CHUNK_SIZE
    queryset = claims.with_annotations(annotations=annotations, verdicts=verdicts)
    if adjudications is not None and labels in ("all", "final"):
        queryset = queryset.annotate(
            final_visible=Exists(adjudications.filter(claim=OuterRef("pk")))
        )
    for claim in queryset.order_by("article_id", "order").iterator(chunk_size=chunk_size):
        yield claim_record(claim, labels)
