"""Storing labelled data read from other tools (``claims.importers.labels``): an article, its
claims, and one reviewer's annotations and verdicts, all or nothing.

A reviewer named in a file is an account of that name: an existing one must be able to
annotate (a reviewer or an editor); a missing one is created in the reviewer group with
no usable password (an editor sets one if that person should log in). Their labels go
through ``annotation_create`` like any other, inside a review of the article assigned to
them, which is then submitted: the work is finished work from another tool, and an
editor can reopen it. A reviewer who already has labels on the article is left alone, so
importing the same file twice adds nothing.
"""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.text import slugify

from claims import permissions
from claims.importers.labels.sets import ClaimSpec, LabelSet, Span
from claims.models import Annotation, Article, Assignment, Claim, ErrorType, Severity
from claims.models import content_hash as hash_text
from claims.roles import Role, add_roles
from claims.services.annotations import NewSource, annotation_create, verdict_set
from claims.services.articles import article_import, canonical_text
from claims.services.reviews import assignment_submit
from claims.text.excerpts import excerpt
from claims.validation import article_problems


@dataclass
class LabelSetResult:
    article: Article
    article_created: bool
    annotations: int = 0
    verdicts: int = 0
    already_stored: bool = False


@transaction.atomic
def label_set_import(labels: LabelSet, *, create_error_types: bool = False) -> LabelSetResult:
    """Store what one ``LabelSet`` says; ``ValidationError`` naming every span that could
    not be placed (and nothing stored) otherwise."""
    article, created = _article(labels.article, labels.claims)
    result = LabelSetResult(article, created)
    if labels.reviewer is None or not (labels.spans or labels.verdicts):
        return result
    if article.text != canonical_text(labels.article["text"]):
        # Found by its url: the offsets in the file count into the file's text, not this one.
        raise ValidationError(
            f"“{excerpt(article.title)}” is stored under this url with other text, so the "
            "offsets cannot be placed in it; revise the article first (import_articles "
            "--update) or drop the url from the file"
        )
    reviewer = reviewer_account(labels.reviewer)
    if _has_labels(reviewer, article):
        result.already_stored = True
        return result
    types = _error_types([span.label for span in labels.spans], create=create_error_types)
    review, _ = Assignment.objects.get_or_create(article=article, reviewer=reviewer)
    claims = list(article.claims.order_by("start"))
    problems = []
    for span in labels.spans:
        try:
            _annotate(span, claims, reviewer, types)
            result.annotations += 1
        except ValidationError as error:
            problems.append(f"{span.where}: {' '.join(error.messages)}")
    by_order = {claim.order: claim for claim in claims}
    for verdict in labels.verdicts:
        try:
            claim = by_order.get(verdict.claim_order)
            if claim is None:
                raise ValidationError(f"the article has no claim #{verdict.claim_order}")
            verdict_set(claim=claim, reviewer=reviewer, label=verdict.label, note=verdict.note)
            result.verdicts += 1
        except ValidationError as error:
            problems.append(f"verdict on claim #{verdict.claim_order}: {' '.join(error.messages)}")
    if problems:
        raise ValidationError(problems)
    review.refresh_from_db()
    if review.is_open:
        assignment_submit(review, by=reviewer)
    return result


def reviewer_account(username: str):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, is_staff=True)
        user.set_unusable_password()
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as error:
            raise ValidationError(
                f"“{excerpt(username)}” cannot be an account name: {' '.join(error.messages)}"
            ) from None
        user.save()
        add_roles(user, Role.REVIEWER)
    elif not permissions.may_label(user):
        raise ValidationError(
            f"The account “{username}” exists but cannot annotate; add it to the "
            f"{Role.REVIEWER} group or rename the reviewer in the file."
        )
    return user


def _has_labels(reviewer, article: Article) -> bool:
    return (
        Annotation.objects.filter(reviewer=reviewer, claim__article=article).exists()
        or reviewer.verdicts.filter(claim__article=article).exists()
    )


def _article(fields: dict, claims: list[ClaimSpec] | None) -> tuple[Article, bool]:
    fields = {k: v for k, v in fields.items() if v is not None}
    if problems := article_problems(fields):
        raise ValidationError(
            "; ".join(f"the article's {name} {problem}" for name, problem in problems.items())
        )
    if published := fields.get("published_on"):
        fields["published_on"] = date.fromisoformat(published[:10])
    if claims is None:
        imported = article_import(**fields)
        return imported.article, imported.created
    return _article_with_claims(fields, claims)


def _article_with_claims(fields: dict, claims: list[ClaimSpec]) -> tuple[Article, bool]:
    """The article as our own export describes it, with its claims as they were cut."""
    text = canonical_text(fields["text"])
    url = fields.get("url") or None
    found = Article.objects.filter(
        Q(content_hash=hash_text(text)) | (Q(url=url) if url else Q(pk__in=[]))
    ).first()
    if found is not None:
        return found, False
    article = Article(title=fields.get("title") or claims[0].text[:500], text=text, url=url)
    article.full_clean(exclude=["content_hash"])
    article.save()
    utf16 = article.utf16_offsets()
    rows = []
    for spec in claims:
        if spec.kind not in Claim.Kind.values:
            raise ValidationError(f"claim #{spec.order}: unknown kind “{excerpt(spec.kind)}”")
        rows.append(
            Claim(
                article=article,
                order=spec.order,
                paragraph=spec.paragraph,
                start=spec.start,
                end=spec.end,
                start_utf16=utf16(spec.start),
                end_utf16=utf16(spec.end),
                text=spec.text,
                kind=spec.kind,
            )
        )
    Claim.objects.bulk_create(rows)
    return article, True


def _error_types(labels: list[str], *, create: bool) -> dict[str, ErrorType]:
    """Each label's error type: by slug, by name (any case), or by the slug of the label."""
    known = list(ErrorType.objects.all())
    by_slug = {t.slug: t for t in known}
    by_name = {t.name.casefold(): t for t in known}
    found, unknown = {}, []
    for label in dict.fromkeys(labels):
        match = by_slug.get(label) or by_name.get(label.casefold()) or by_slug.get(slugify(label))
        if match is None:
            unknown.append(label)
        else:
            found[label] = match
    if unknown and not create:
        raise ValidationError(
            f"unknown labels {', '.join(f'“{excerpt(u)}”' for u in unknown)}: no error type "
            "has that slug or name; rename them in the file, or import with "
            "--create-error-types to add them to the taxonomy"
        )
    position = (ErrorType.objects.aggregate(last=Max("position"))["last"] or 0) + 1
    for offset, label in enumerate(unknown):
        error_type = ErrorType(
            slug=slugify(label)[:50] or f"imported-{position + offset}",
            name=label[:100],
            definition="Added on import from another tool: say what counts as this error.",
            family=ErrorType.Family.OBJECTIVE,
            position=position + offset,
        )
        try:
            error_type.full_clean()
        except ValidationError as error:
            raise ValidationError(
                f"the label “{excerpt(label)}” cannot become an error type: "
                f"{' '.join(error.messages)}"
            ) from None
        error_type.save()
        found[label] = error_type
    return found


def _claim_holding(span: Span, claims: list[Claim]) -> Claim:
    index = bisect_right([c.start for c in claims], span.start) - 1
    if index >= 0 and claims[index].contains_span(span.start, span.end):
        return claims[index]
    touched = [c for c in claims if c.start < span.end and span.start < c.end]
    if len(touched) > 1:
        raise ValidationError(
            f"the span {span.start}–{span.end} crosses claims "
            f"#{touched[0].order} to #{touched[-1].order}; a label lies inside one claim"
        )
    raise ValidationError(
        f"the span {span.start}–{span.end} is not inside any claim (it covers only the "
        "space between claims, or runs past one)"
    )


def _annotate(span: Span, claims: list[Claim], reviewer, types: dict) -> Annotation:
    if span.severity and span.severity not in Severity.values:
        raise ValidationError(
            f"unknown severity “{excerpt(span.severity)}”; use {', '.join(Severity.values)}"
        )
    return annotation_create(
        claim=_claim_holding(span, claims),
        reviewer=reviewer,
        error_type=types[span.label],
        start=span.start,
        end=span.end,
        correction=span.correction,
        note=span.note,
        severity=span.severity or Severity.MAJOR,
        sources=[_source(s) for s in span.sources if s.get("url")],
    )


def _source(given: dict) -> NewSource:
    """The service reuses a source already stored under the URL."""
    return NewSource(
        url=str(given["url"]),
        title=str(given.get("title") or ""),
        publisher=str(given.get("publisher") or ""),
    )
