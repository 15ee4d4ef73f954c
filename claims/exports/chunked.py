"""Records assembled in Python from plain rows, a chunk of claims at a time: the reference
the databases' own paths (``postgres``, ``sqlite``) are tested against, and the path on any
other database.

Per chunk of claims: one query each for the annotations, their sources, the verdicts and
the adjudications, and, only when the chunk holds adjudications, three for the final
labels, their sources and the annotations they came from. Rows come from
``values_list()``: no model instances, no serializers. The same records as the SQL paths,
key for key; it runs on any database.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models.expressions import RawSQL

from claims.exports import shape
from claims.models import Adjudication, Annotation, FinalAnnotation, Source, Verdict
from claims.text.offsets import utf16_length

CLAIM_COLUMNS = (
    "id",
    "article_id",
    "article__title",
    "article__url",
    "order",
    "paragraph",
    "start",
    "end",
    "start_utf16",
    "end_utf16",
    "text",
    "kind",
)
SPAN_COLUMNS = ("start", "end", "quote", "anchor", "error_type__slug", "error_type__name")
LABEL_COLUMNS = ("correction", "note", "severity")


def ids_in(ids) -> RawSQL:
    """``field__in=ids_in(ids)``: the same ``IN (...)`` as a list, without Django preparing
    each id as a lookup value (a third of the export's time, at 500 ids a chunk)."""
    ids = [int(pk) for pk in ids]
    return RawSQL(", ".join(["%s"] * len(ids)), ids)


def batches(rows: Iterable, size: int) -> Iterator[list]:
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


def _date(value):
    return value.isoformat() if value is not None else None


def source_dates() -> frozenset[str]:
    """The keys of a source (``shape.SOURCE``, each a column of ``Source``) that are dates,
    written as ISO text (or null), as the database-built paths write a date column."""
    return frozenset(
        key
        for key in shape.SOURCE
        if Source._meta.get_field(key).get_internal_type() == "DateField"
    )


def _sources(through, owner_ids: list[int], owner: str) -> dict[int, list[dict]]:
    """Sources by the id of the annotation (or final annotation) citing them, in order."""
    cited = defaultdict(list)
    keys, dates = shape.SOURCE, source_dates()
    rows = through.objects.filter(**{f"{owner}__in": ids_in(owner_ids)}).values_list(
        owner, *(f"source__{key}" for key in keys)
    )
    for owner_id, *values in rows:
        cited[owner_id].append(
            {
                key: _date(value) if key in dates else value
                for key, value in zip(keys, values, strict=True)
            }
        )
    for sources in cited.values():
        sources.sort(key=shape.source_sort_key)
    return cited


def _span(claim: dict, start: int | None, end: int | None) -> tuple[int | None, int | None]:
    """UTF-16 offsets of a span from its claim's: only the claim's own text is read."""
    if start is None or end is None:  # an orphaned label has no place in the text
        return None, None
    text, offset = claim["text"], claim["start"]
    before = claim["start_utf16"] + utf16_length(text[: start - offset])
    return before, before + utf16_length(text[start - offset : end - offset])


def _labelled(keys, claim: dict, head: tuple, span: tuple, label: tuple, tail: tuple) -> dict:
    start, end, quote, anchor, slug, name = span
    start_utf16, end_utf16 = _span(claim, start, end)
    values = (*head, start, end, start_utf16, end_utf16, quote, anchor, slug, name, *label, *tail)
    return dict(zip(keys, values, strict=True))


def _annotations(annotations, claims: dict[int, dict]) -> dict[int, list[dict]]:
    rows = list(
        annotations.filter(claim_id__in=ids_in(claims))
        .order_by()
        .values_list("id", "claim_id", "reviewer__username", *SPAN_COLUMNS, *LABEL_COLUMNS)
    )
    rows.sort(key=lambda row: shape.span_sort_key(row[3], row[0]))
    sources = (
        _sources(Annotation.sources.through, [row[0] for row in rows], "annotation") if rows else {}
    )
    by_claim = defaultdict(list)
    for pk, claim_id, reviewer, *rest in rows:
        by_claim[claim_id].append(
            _labelled(
                shape.ANNOTATION,
                claims[claim_id],
                (pk, reviewer),
                rest[:6],
                (*rest[6:], sources.get(pk, [])),
                (),
            )
        )
    return by_claim


def _verdicts(verdicts, claim_ids: list[int]) -> dict[int, list[dict]]:
    rows = (
        verdicts.filter(claim_id__in=ids_in(claim_ids))
        .order_by(*shape.VERDICT_ORDER.fields)
        .values_list("claim_id", "reviewer__username", "label", "note")
    )
    by_claim = defaultdict(list)
    for claim_id, *values in rows:
        by_claim[claim_id].append(dict(zip(shape.VERDICT, values, strict=True)))
    return by_claim


def _final_annotations(adjudication_ids: list[int], claims_of: dict[int, dict]):
    rows = list(
        FinalAnnotation.objects.filter(adjudication_id__in=ids_in(adjudication_ids))
        .order_by()
        .values_list("id", "adjudication_id", *SPAN_COLUMNS, *LABEL_COLUMNS)
    )
    if not rows:
        return {}
    rows.sort(key=lambda row: shape.span_sort_key(row[2], row[0]))
    ids = [row[0] for row in rows]
    sources = _sources(FinalAnnotation.sources.through, ids, "finalannotation")
    origins = defaultdict(list)
    for final_id, annotation_id in (
        FinalAnnotation.from_annotations.through.objects.filter(finalannotation_id__in=ids_in(ids))
        .order_by(*shape.ORIGIN_ORDER.fields)
        .values_list("finalannotation_id", "annotation_id")
    ):
        origins[final_id].append(annotation_id)
    by_adjudication = defaultdict(list)
    for pk, adjudication_id, *rest in rows:
        by_adjudication[adjudication_id].append(
            _labelled(
                shape.FINAL_ANNOTATION,
                claims_of[adjudication_id],
                (),
                rest[:6],
                (*rest[6:], sources.get(pk, [])),
                (origins.get(pk, []),),
            )
        )
    return by_adjudication


def _finals(adjudications, claims: dict[int, dict]) -> dict[int, dict]:
    rows = list(
        adjudications.filter(claim_id__in=ids_in(claims))
        .order_by()
        .values_list("id", "claim_id", "editor__username", "updated_at", "verdict", "note")
    )
    if not rows:
        return {}
    finals = _final_annotations([row[0] for row in rows], {row[0]: claims[row[1]] for row in rows})
    return {
        claim_id: dict(
            zip(
                shape.ADJUDICATION,
                (editor, updated_at.isoformat(), verdict or None, note, finals.get(pk, [])),
                strict=True,
            )
        )
        for pk, claim_id, editor, updated_at, verdict, note in rows
    }


def records(
    claims,
    *,
    labels: str,
    annotations=None,
    verdicts=None,
    adjudications=None,
    chunk_size: int,
) -> Iterator[dict]:
    """Records of ``claims`` in article order; see ``claims.exports.records``."""
    annotations = Annotation.objects.all() if annotations is None else annotations
    verdicts = Verdict.objects.all() if verdicts is None else verdicts
    adjudications = Adjudication.objects.all() if adjudications is None else adjudications
    rows = claims.order_by("article_id", "order").values_list(*CLAIM_COLUMNS)
    for batch in batches(rows.iterator(chunk_size=chunk_size), chunk_size):
        chunk = {}
        for pk, article_id, title, url, *rest in batch:
            chunk[pk] = {
                "labels": labels,
                "article": dict(zip(shape.ARTICLE, (article_id, title, url), strict=True)),
                "claim": dict(zip(shape.CLAIM, (pk, *rest), strict=True)),
            }
        claim_of = {pk: record["claim"] for pk, record in chunk.items()}
        if shape.holds_raw(labels):
            tags = _annotations(annotations, claim_of)
            said = _verdicts(verdicts, list(chunk))
            for pk, record in chunk.items():
                record["annotations"] = tags.get(pk, [])
                record["verdicts"] = said.get(pk, [])
        if shape.holds_final(labels):
            # A final label the reader may not see is left out as if there were none.
            finals = _finals(adjudications, claim_of)
            for pk, record in chunk.items():
                record["final"] = finals.get(pk)
        yield from chunk.values()
