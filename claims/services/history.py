"""Bringing back what history recorded: a deleted annotation, or an earlier version of one."""

from django.core.exceptions import ValidationError
from django.db import transaction

from claims import permissions
from claims.models import Annotation, Claim, Source
from claims.services.concurrency import lock_article_claims
from claims.text.source_urls import normalise_url

REASON = "restored from history"


@transaction.atomic
def annotation_restore(*, history_id: int, by) -> Annotation:
    """Make the annotation what history row ``history_id`` recorded, with its sources: an
    annotation deleted since is created again (same id), a changed one is changed back.

    Sources deleted since are restored too, from their own history. Refused, changing
    nothing, when the version's claim is gone or its span no longer holds its quote (the
    article was revised since): tag the error again instead.
    """
    if not permissions.may_restore_work(by):
        raise ValidationError("Only an editor can restore annotations.", code="not_editor")
    version = Annotation.history.filter(history_id=history_id).first()
    if version is None:
        raise ValidationError(f"There is no annotation history entry {history_id}.")
    claim = Claim.objects.select_related("article").filter(pk=version.claim_id).first()
    if claim is None:
        raise ValidationError(
            "The claim this version was on no longer exists (the article was revised or "
            "re-split since); tag the error again where its text now is.",
            code="claim_gone",
        )
    lock_article_claims(claim.article_id)  # the order every writer of labels locks in
    annotation = Annotation.objects.select_for_update().filter(pk=version.id).first()
    if annotation is None:
        annotation = Annotation(pk=version.id, reviewer_id=version.reviewer_id)
        annotation.version = version.version
    annotation.version += 1
    for name in ("start", "end", "quote", "anchor", "correction", "note", "severity"):
        setattr(annotation, name, getattr(version, name))
    annotation.claim, annotation.error_type_id = claim, version.error_type_id
    try:
        annotation.full_clean()
    except ValidationError as error:
        raise ValidationError(
            "This version no longer fits the article: "
            + " ".join(error.messages)
            + " Tag the error again where its text now is.",
            code="version_does_not_fit",
        ) from None
    annotation._history_user, annotation._change_reason = by, REASON
    annotation.save()
    annotation.sources.set([_source(row.source_id, by) for row in _sources_of(version).all()])
    return annotation


def _sources_of(version):
    """The sources a version recorded. A deletion's row records none (the citations go
    first), so it takes those of the version just before it."""
    if version.history_type != "-":
        return version.sources
    before = (
        Annotation.history.filter(id=version.id, history_date__lte=version.history_date)
        .exclude(history_id=version.history_id)
        .order_by("-history_date", "-history_id")
        .first()
    )
    return (before or version).sources


def _source(pk: int, by) -> Source:
    source = Source.objects.filter(pk=pk).first()
    if source is not None:
        return source
    last = Source.history.filter(id=pk).order_by("-history_date", "-history_id").first()
    if last is None:  # deleted before sources had history
        raise ValidationError(
            f"Source {pk} of this version was deleted before sources had history; it "
            "cannot be restored.",
            code="source_gone",
        )
    source = last.instance
    # Its adder may have stored the address again since: one source per address and adder.
    # Another's source of the address is theirs (under blind review, citing it would show
    # it), so the deleted one comes back beside it.
    again = Source.objects.filter(
        normalised_url=normalise_url(source.url), added_by=source.added_by_id
    ).first()
    if again is not None:
        return again
    source._history_user, source._change_reason = by, REASON
    source.save()
    return source
