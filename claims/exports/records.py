from collections.abc import Iterator

from django.conf import settings

from claims.models import Annotation, Claim, Verdict


def annotation_record(annotation: Annotation) -> dict:
    return {
        "id": annotation.pk,
        "reviewer": annotation.reviewer.get_username(),
        "start": annotation.start,
        "end": annotation.end,
        "quote": annotation.quote,
        "error_type": annotation.error_type.slug,
        "error_type_name": annotation.error_type.name,
        "correction": annotation.correction,
        "note": annotation.note,
        "severity": annotation.severity,
        "sources": [
            {
                "id": source.pk,
                "url": source.url,
                "title": source.title,
                "publisher": source.publisher,
                "published_on": source.published_on.isoformat() if source.published_on else None,
                "quoted_passage": source.quoted_passage,
                "accessed_on": source.accessed_on.isoformat() if source.accessed_on else None,
            }
            for source in annotation.sources.all()
        ],
    }


def verdict_record(verdict: Verdict) -> dict:
    return {
        "reviewer": verdict.reviewer.get_username(),
        "label": verdict.label,
        "note": verdict.note,
    }


def claim_record(claim: Claim) -> dict:
    return {
        "article": {"id": claim.article_id, "title": claim.article.title, "url": claim.article.url},
        "claim": {
            "id": claim.pk,
            "order": claim.order,
            "paragraph": claim.paragraph,
            "start": claim.start,
            "end": claim.end,
            "text": claim.text,
            "kind": claim.kind,
        },
        "annotations": [annotation_record(a) for a in claim.annotations.all()],
        "verdicts": [verdict_record(v) for v in claim.verdicts.all()],
    }


def records(claims, *, chunk_size: int | None = None) -> Iterator[dict]:
    """Stream records in article order; prefetching runs once per chunk, not per claim."""
    chunk_size = chunk_size or settings.FACTCHECK_EXPORT_CHUNK_SIZE
    queryset = claims.with_annotations().order_by("article_id", "order")
    for claim in queryset.iterator(chunk_size=chunk_size):
        yield claim_record(claim)
