"""Writers who meet: row locks, versions, and the errors a conflict becomes.

Every reviewer-written row (annotation, verdict, adjudication) carries a ``version`` that
each write bumps. A writer who read version 3 says so; if the row is at 4 by the time the
write runs, the write is refused (``StaleVersion``) instead of silently undoing the other
person's change. The check and the bump happen on a locked row, inside the writing
transaction, so two stale writers cannot both win.

Writes that place a span in a claim or restructure claims lock every claim of the article
first, in one order (by id), then re-read what they validate. On PostgreSQL that is
``SELECT … FOR UPDATE``; on SQLite, whose transactions start ``IMMEDIATE`` (settings), a
writer already holds the only write lock.
"""

from django.core.exceptions import ValidationError
from django.db import models

from claims.models import Claim


class Conflict(ValidationError):
    """Someone else's write got there first; retrying after a reload may succeed.

    A ValidationError, so every caller that shows a refusal's message shows this one too;
    the API answers it with 409 rather than 400.
    """

    def __init__(self, message: str, *, code: str = "conflict"):
        super().__init__(message, code=code)


class StaleVersion(Conflict):
    """The writer's copy is older than the stored row; ``current`` is the stored row."""

    def __init__(self, current: models.Model, *, expected: int):
        name = current._meta.verbose_name
        super().__init__(
            f"This {name} was changed by someone else since you loaded it (you had version "
            f"{expected}, it is now at {current.version}); nothing was saved. Reload it, "
            "then make your change again.",
            code="stale_version",
        )
        self.current = current
        self.expected = expected


def lock_article_claims(article_id: int) -> dict[int, Claim]:
    """Lock every claim of the article (always in id order, so lockers never deadlock)."""
    claims = (
        Claim.objects.select_for_update(of=("self",)).filter(article_id=article_id).order_by("pk")
    )
    # Without the article's text: it can be megabytes, and this runs on every label written.
    return {claim.pk: claim for claim in claims.with_article()}


def locked_claim(claim: Claim) -> Claim:
    """``claim`` as it is now, with its article's claims locked; a conflict if it is gone."""
    fresh = lock_article_claims(claim.article_id).get(claim.pk)
    if fresh is None:
        raise Conflict(
            f"Claim #{claim.pk} was merged into another claim while you worked; reload "
            "the article and try again.",
            code="claim_gone",
        )
    return fresh


def lock_current(instance: models.Model, *, expected: int | None, queryset=None):
    """The stored row of ``instance``, locked; ``StaleVersion`` if it is not at ``expected``.

    ``expected`` None means the writer did not say which version it read (a script):
    the write goes ahead on the current row.
    """
    queryset = type(instance)._default_manager.all() if queryset is None else queryset
    current = queryset.select_for_update(of=("self",)).get(pk=instance.pk)
    if expected is not None and current.version != expected:
        raise StaleVersion(current, expected=expected)
    return current
