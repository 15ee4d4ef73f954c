"""Who may do what: the one place the admin and the API ask.

Reviewers read everything (blind review comes with assignments) and change only their
own annotations and verdicts; holders of ``claims.change_any_annotation`` (editors)
change everyone's.
"""

from django.db import models

CHANGE_ANY = "claims.change_any_annotation"
EXPORT = "claims.export_claims"


def may(user, action: str, model: type[models.Model]) -> bool:
    """Model-level right: ``action`` is view, add, change or delete."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")


def may_change_work(user, work: models.Model) -> bool:
    """Row-level right over a reviewer's own work (an annotation or a verdict)."""
    if not may(user, "change", type(work)):
        return False
    return work.reviewer_id == user.pk or user.has_perm(CHANGE_ANY)


def may_delete_work(user, work: models.Model) -> bool:
    if not may(user, "delete", type(work)):
        return False
    return work.reviewer_id == user.pk or user.has_perm(CHANGE_ANY)


def may_export(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(EXPORT))
