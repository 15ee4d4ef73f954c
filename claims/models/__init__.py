"""The app's models, one module per part of the domain."""

from claims.models.articles import (
    Article,
    ArticleRevision,
    Claim,
    ClaimQuerySet,
    content_hash,
    utf16_fields,
)
from claims.models.labels import Anchor, Annotation, ErrorType, Severity, Source, Verdict
from claims.models.review import Adjudication, Assignment, FinalAnnotation, correlated_count

__all__ = [
    "correlated_count",
    "Adjudication",
    "Anchor",
    "Annotation",
    "ArticleRevision",
    "Assignment",
    "FinalAnnotation",
    "Article",
    "Claim",
    "ClaimQuerySet",
    "ErrorType",
    "Severity",
    "Source",
    "Verdict",
    "content_hash",
    "utf16_fields",
]
