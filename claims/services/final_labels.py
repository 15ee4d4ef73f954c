"""Writing adjudications and their final labels in bulk, with their history.

An article's adjudication is saved inside the lock on its claims, which every reviewer's
write waits on, so it runs a fixed number of queries however many claims it covers: one
read of what the checks need (``stored_origins``), then one bulk write per table (on
SQLite, Django splits a write of more than 999 parameters, some 60 rows, into batches).

History is what saving row by row recorded: each adjudication's new version, each final
label's creation with its sources and the annotations it came from, each removal, all by
the editor. Row by row, simple-history also kept two half-made states of every new label
(no sources yet, then no origins yet); bulk writing leaves those out.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from claims.models import Adjudication, Anchor, Annotation, Article, Claim, FinalAnnotation

if TYPE_CHECKING:
    from claims.services.adjudication import FinalLabel

Sources = FinalAnnotation.sources.through
Origins = FinalAnnotation.from_annotations.through


@dataclass(frozen=True)
class Origin:
    """A reviewer annotation a final label is made from, as stored now."""

    claim_id: int
    reviewer_id: int
    sources: frozenset[int]


def stored_origins(labels: Iterable["FinalLabel"]) -> dict[int, Origin]:
    """The annotations ``labels`` are made from, by id, with their sources' ids: one query."""
    ids = {a.pk for label in labels for a in label.from_annotations}
    found: dict[int, tuple[int, int, set[int]]] = {}
    rows = Annotation.objects.filter(pk__in=ids).values_list(
        "pk", "claim_id", "reviewer_id", "sources"
    )
    for pk, claim_id, reviewer_id, source_id in rows if ids else []:
        sources = found.setdefault(pk, (claim_id, reviewer_id, set()))[2]
        if source_id is not None:
            sources.add(source_id)
    return {pk: Origin(c, r, frozenset(s)) for pk, (c, r, s) in found.items()}


def check_origins(
    claim: Claim, label: "FinalLabel", origins: dict[int, Origin], *, submitted: set[int]
) -> None:
    for annotation in label.from_annotations:
        origin = origins.get(annotation.pk)
        if origin is None or origin.claim_id != claim.pk or origin.reviewer_id not in submitted:
            raise ValidationError(
                f"Annotation {annotation.pk} is not a submitted annotation of this claim.",
                code="foreign_annotation",
            )


def final_labels_replace(
    article_id: int,
    adjudications: list[tuple[Adjudication, list["FinalLabel"]]],
    *,
    origins: dict[int, Origin],
    editor,
) -> None:
    """Save each adjudication (checked, its version bumped) and make ``labels`` its final
    labels. Orphaned final labels (their text left the article in a revision) are not on
    the page, so they are kept, never replaced. Called inside the service's transaction:
    a label refused here undoes everything."""
    now = timezone.now()
    new = [a for a, _ in adjudications if a.pk is None]
    changed = [a for a, _ in adjudications if a.pk is not None]
    if new:
        bulk_create_with_history(new, Adjudication, default_user=editor, default_date=now)
    if changed:
        for adjudication in changed:
            adjudication.updated_at = now  # auto_now is not applied by bulk_update
        fields = ["editor", "verdict", "note", "version", "updated_at"]
        bulk_update_with_history(
            changed, Adjudication, fields, default_user=editor, default_date=now
        )
        _delete_with_history(
            FinalAnnotation.objects.filter(adjudication__in=changed).exclude(
                anchor=Anchor.ORPHANED
            ),
            editor=editor,
            date=now,
        )
    made = _final_labels(article_id, adjudications, origins)
    if made:
        _create_with_history(made, editor=editor, date=now)


def _final_labels(article_id, adjudications, origins) -> list[tuple[FinalAnnotation, list, list]]:
    """Each label as a checked FinalAnnotation, with the ids of its sources (its own and
    those of the annotations it is made from) and of its origins."""
    labelled = [(a, label) for a, labels in adjudications for label in labels]
    if not labelled:
        return []
    # Read once: the claims come locked without it, and it can be megabytes.
    text = Article.objects.values_list("text", flat=True).get(pk=article_id)
    made = []
    for adjudication, label in labelled:
        final = FinalAnnotation(
            adjudication=adjudication,
            start=label.start,
            end=label.end,
            quote=adjudication.claim.text_between(label.start, label.end),
            error_type=label.error_type,
            correction=label.correction,
            note=label.note,
            severity=label.severity,
        )
        final.capture_context(text)  # what save() would do
        # The rules that do not query: the span lies in the claim and holds its quote. The
        # ones that would (the two foreign keys exist, no identical label) were checked on
        # the data read once, and the database's constraints hold them too.
        final.full_clean(
            exclude=["adjudication", "error_type"],
            validate_unique=False,
            validate_constraints=False,
        )
        from_annotations = list(dict.fromkeys(a.pk for a in label.from_annotations))
        sources = {s.pk for s in label.sources}.union(
            *(origins[pk].sources for pk in from_annotations)
        )
        made.append((final, sorted(sources), from_annotations))
    return made


def _create_with_history(made, *, editor, date) -> None:
    finals = FinalAnnotation.objects.bulk_create([final for final, _, _ in made])
    history = FinalAnnotation.history.bulk_history_create(
        finals, default_user=editor, default_change_reason=None, default_date=date
    )
    source_rows = Sources.objects.bulk_create(
        [Sources(finalannotation=f, source_id=pk) for f, sources, _ in made for pk in sources]
    )
    origin_rows = Origins.objects.bulk_create(
        [Origins(finalannotation=f, annotation_id=pk) for f, _, ids in made for pk in ids]
    )
    # What simple-history records of a row's many-to-many fields: a copy of each through
    # row, attached to the history row.
    history_of = {row.id: row for row in history}
    for name, rows in (("sources", source_rows), ("from_annotations", origin_rows)):
        copy = getattr(FinalAnnotation.history.model, name).model
        copy.objects.bulk_create(
            [
                copy(
                    history=history_of[row.finalannotation_id],
                    **{f.attname: getattr(row, f.attname) for f in row._meta.fields},
                )
                for row in rows
            ]
        )


def _delete_with_history(finals, *, editor, date) -> None:
    """Delete ``finals`` with a "-" history row each, as ``delete()`` one by one would."""
    finals = list(finals)
    if not finals:
        return
    model = FinalAnnotation.history.model
    model.objects.bulk_create(
        [
            model(
                history_type="-",
                history_date=date,
                history_user=editor,
                history_change_reason=None,
                **{f.attname: getattr(final, f.attname) for f in model.tracked_fields},
            )
            for final in finals
        ]
    )
    ids = [final.pk for final in finals]
    Sources.objects.filter(finalannotation_id__in=ids).delete()
    Origins.objects.filter(finalannotation_id__in=ids).delete()
    # QuerySet.delete() would send each row's delete signals (simple-history's makes a
    # history row per row, queried one by one): the rows' history is written above, and
    # nothing else points at a final label but the two through tables just emptied.
    FinalAnnotation.objects.filter(pk__in=ids)._raw_delete(FinalAnnotation.objects.db)
