"""Claims as the API shows them, written out by hand for the claim list.

DRF's serializers build each field's value through a field object (``get_attribute``,
``to_representation``, nested serializers for every annotation, source and verdict): about
40 ms of CPU for a page of 100 claims with their annotations. These functions build the
same dicts (same keys, same order, same values) straight from the prefetched objects.
``ClaimSerializer`` keeps declaring the fields, which the OpenAPI schema is built from;
``tests/api/test_claim_representation.py`` holds both to the same output.
"""

import datetime

from django.utils import timezone
from rest_framework import serializers

from claims.exports import shape
from claims.exports.chunked import source_dates
from claims.models import Annotation

# DRF's own formatting of dates and times (the current time zone, "Z" for UTC), reused so
# that the output cannot drift from what the serializers would write.
_datetime = serializers.DateTimeField()
_date = serializers.DateField()


def _timestamp_writer():
    """DRF's formatting of an aware time, or, in UTC (the default), the same text without
    DRF's per-value time-zone machinery: a third of a SQLite page's CPU was spent there."""
    if timezone.get_current_timezone_name() != "UTC":
        return _datetime.to_representation

    def written(value):
        if value is None or value.utcoffset() != datetime.timedelta(0):
            return _datetime.to_representation(value)
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return written


def _date_or_none(value):
    return _date.to_representation(value) if value else None


def _source(values) -> dict:
    """A source's keys (``shape.SOURCE``) from its ``values``, in that order."""
    dates = source_dates()
    return {
        key: _date_or_none(value) if key in dates else value
        for key, value in zip(shape.SOURCE, values, strict=True)
    }


def source_representation(source) -> dict:
    return _source([getattr(source, key) for key in shape.SOURCE])


def annotation_representation(annotation) -> dict:
    return {
        "id": annotation.pk,
        "claim": annotation.claim_id,
        "article": annotation.claim.article_id,
        "reviewer": annotation.reviewer.username,
        "start": annotation.start,
        "end": annotation.end,
        "quote": annotation.quote,
        "anchor": annotation.anchor,
        "error_type": annotation.error_type.slug,
        "error_type_name": annotation.error_type.name,
        "correction": annotation.correction,
        "note": annotation.note,
        "severity": annotation.severity,
        "sources": [source_representation(s) for s in annotation.sources.all()],
        "version": annotation.version,
        "created_at": _datetime.to_representation(annotation.created_at),
        "updated_at": _datetime.to_representation(annotation.updated_at),
    }


def verdict_representation(verdict) -> dict:
    return {
        "id": verdict.pk,
        "claim": verdict.claim_id,
        "reviewer": verdict.reviewer.username,
        "label": verdict.label,
        "note": verdict.note,
        "version": verdict.version,
        "created_at": _datetime.to_representation(verdict.created_at),
        "updated_at": _datetime.to_representation(verdict.updated_at),
    }


def claim_representation(claim) -> dict:
    """``claim`` with its annotations and verdicts prefetched (already narrowed to what the
    reader may see under blind review: this writes out whatever it is given)."""
    return {
        "id": claim.pk,
        "article": claim.article_id,
        "order": claim.order,
        "paragraph": claim.paragraph,
        "start": claim.start,
        "end": claim.end,
        "text": claim.text,
        "kind": claim.kind,
        "annotations": [annotation_representation(a) for a in claim.annotations.all()],
        "verdicts": [verdict_representation(v) for v in claim.verdicts.all()],
    }


ANNOTATION_COLUMNS = [
    "id",
    "claim_id",
    "claim__article_id",
    "reviewer__username",
    "start",
    "end",
    "quote",
    "anchor",
    "error_type__slug",
    "error_type__name",
    "correction",
    "note",
    "severity",
    "version",
    "created_at",
    "updated_at",
]
VERDICT_COLUMNS = [
    "id",
    "claim_id",
    "reviewer__username",
    "label",
    "note",
    "version",
    "created_at",
    "updated_at",
]


def claim_page(claims, *, annotations, verdicts) -> list[dict]:
    """A page of ``claims`` (model rows, nothing prefetched) as ``claim_representation``
    writes them, from three ``values()`` queries: the annotations and verdicts among
    ``annotations``/``verdicts`` (the querysets the reader may see), and their sources.

    Prefetching built a model instance, and a related manager with its own queryset, for
    every annotation, source and verdict of the page: most of the page's cost.
    """
    ids = [claim.id for claim in claims]
    written = _timestamp_writer()
    tags: dict[int, list[dict]] = {pk: [] for pk in ids}
    by_id: dict[int, dict] = {}
    # The order ``with_reviews()`` prefetches in, so that both paths agree.
    for row in (
        annotations.filter(claim_id__in=ids)
        .order_by(*shape.SPAN_ORDER.fields)
        .values_list(*ANNOTATION_COLUMNS)
    ):
        (pk, claim, article, reviewer, start, end, quote, anchor, slug, name) = row[:10]
        correction, note, severity, version, created_at, updated_at = row[10:]
        by_id[pk] = tag = {
            "id": pk,
            "claim": claim,
            "article": article,
            "reviewer": reviewer,
            "start": start,
            "end": end,
            "quote": quote,
            "anchor": anchor,
            "error_type": slug,
            "error_type_name": name,
            "correction": correction,
            "note": note,
            "severity": severity,
            "sources": [],
            "version": version,
            "created_at": written(created_at),
            "updated_at": written(updated_at),
        }
        tags[claim].append(tag)
    cited = Annotation.sources.through.objects.filter(annotation_id__in=list(by_id))
    for annotation, *source in cited.order_by(
        *(f"source__{field}" for field in shape.SOURCE_ORDER.fields)
    ).values_list("annotation_id", *(f"source__{key}" for key in shape.SOURCE)):
        by_id[annotation]["sources"].append(_source(source))
    judged: dict[int, list[dict]] = {pk: [] for pk in ids}
    for pk, claim, reviewer, label, note, version, created_at, updated_at in (
        verdicts.filter(claim_id__in=ids)
        .order_by(*shape.VERDICT_ORDER.fields)
        .values_list(*VERDICT_COLUMNS)
    ):
        judged[claim].append(
            {
                "id": pk,
                "claim": claim,
                "reviewer": reviewer,
                "label": label,
                "note": note,
                "version": version,
                "created_at": written(created_at),
                "updated_at": written(updated_at),
            }
        )
    return [
        {
            "id": claim.id,
            "article": claim.article_id,
            "order": claim.order,
            "paragraph": claim.paragraph,
            "start": claim.start,
            "end": claim.end,
            "text": claim.text,
            "kind": claim.kind,
            "annotations": tags[claim.id],
            "verdicts": judged[claim.id],
        }
        for claim in claims
    ]
