"""Workflows that write several rows or enforce a business rule.

The admin, the API and the management commands all call these; none re-implements them.
Each runs in one transaction and validates with ``full_clean()`` before saving, so bad
input raises ``ValidationError`` and leaves nothing half-written.
"""

from claims.services.adjudication import (
    FinalLabel,
    adjudication_required_reviews,
    article_adjudicate,
    article_review,
    claim_adjudicate,
)
from claims.services.annotations import (
    NewSource,
    annotation_create,
    annotation_delete,
    annotation_update,
    check_not_duplicate,
    resolve_span,
    source_get_or_create,
    verdict_set,
)
from claims.services.articles import (
    ImportResult,
    PreparedArticle,
    article_import,
    article_prepare,
    canonical_text,
    claim_merge_with_next,
    claim_set_kind,
    claim_split,
)
from claims.services.bulk_import import ImportOutcome, articles_import_bulk
from claims.services.concurrency import Conflict, StaleVersion, lock_article_claims, lock_current
from claims.services.history import annotation_restore
from claims.services.label_sets import LabelSetResult, label_set_import
from claims.services.reviews import (
    assignment_reopen,
    assignment_submit,
    assignments_create,
    assignments_distribute,
    check_may_label,
    eligible_reviewers,
    open_review,
)
from claims.services.revisions import RevisionReport, article_revise
from claims.services.tokens import token_revoke

__all__ = [
    "Conflict",
    "StaleVersion",
    "lock_article_claims",
    "lock_current",
    "FinalLabel",
    "ImportOutcome",
    "ImportResult",
    "LabelSetResult",
    "PreparedArticle",
    "NewSource",
    "RevisionReport",
    "adjudication_required_reviews",
    "annotation_create",
    "annotation_delete",
    "annotation_restore",
    "annotation_update",
    "source_get_or_create",
    "article_adjudicate",
    "article_review",
    "article_import",
    "article_prepare",
    "articles_import_bulk",
    "article_revise",
    "assignment_reopen",
    "assignment_submit",
    "assignments_create",
    "assignments_distribute",
    "canonical_text",
    "check_may_label",
    "check_not_duplicate",
    "claim_adjudicate",
    "claim_merge_with_next",
    "claim_set_kind",
    "claim_split",
    "eligible_reviewers",
    "label_set_import",
    "open_review",
    "resolve_span",
    "token_revoke",
    "verdict_set",
]
