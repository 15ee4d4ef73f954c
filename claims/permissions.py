"""Who may do what, and who sees whose work: the one place the admin and the API ask.

Reviewers change their own annotations and verdicts while their review of the article is
open. Blind review: a reviewer sees other reviewers' work on an article only once they
have submitted their own review of it. Editors see and change everything.
"""

import functools
from collections.abc import Callable

from django.contrib.auth.backends import ModelBackend
from django.db import models
from django.db.models import Exists, OuterRef, Q

from claims.models import (
    Adjudication,
    Annotation,
    Article,
    Assignment,
    Claim,
    ErrorType,
    FinalAnnotation,
    Source,
    Verdict,
)

CHANGE_ANY = "claims.change_any_annotation"
VIEW_ALL = "claims.view_all_reviews"
ASSIGN = "claims.assign_reviews"
ADJUDICATE = "claims.adjudicate"
EXPORT = "claims.export_claims"
LABEL = "claims.add_annotation"


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def may(user, action: str, model: type[models.Model]) -> bool:
    """Model-level right: ``action`` is view, add, change or delete."""
    if not _active(user):
        return False
    return user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")


def has(user, permission: str) -> bool:
    return _active(user) and user.has_perm(permission)


def sees_all_work(user) -> bool:
    return has(user, VIEW_ALL)


def visible_work(user, queryset):
    """Annotations or verdicts ``user`` may see: their own, and everyone's on articles whose
    review they have submitted; everything for editors."""
    return _visible_work(queryset, sees_all_work(user), _active(user), user.pk)


def _visible_work(queryset, sees_all: bool, active: bool, user_id):
    # Everything the rule depends on is in the arguments: ``visible_work_sql`` memoizes it.
    if sees_all:
        return queryset
    if not active:
        return queryset.none()
    return queryset.filter(Q(reviewer_id=user_id) | _submitted_claim_article(user_id))


def visible_work_sql(user, model: type[models.Model], fields: tuple[str, ...]):
    """``visible_work(user, model.objects.all()).values(*fields)`` as SQL and parameters,
    for queries written in SQL (claims/api/claim_pages.py). Its SQL depends only on the
    arguments of ``_visible_work``, so it is compiled once per reader and kept.

    Kept hand-written, measured (issue 19): compiling costs 0.63 ms of CPU a call, twice a
    claim page (annotations, verdicts), against 2.5 µs from the cache; under
    ``bench/api_load.py --claims 2000 --only api --clients 20 --requests 10`` (SQLite, the
    shared machine, back to back) the claim list's p99 was 85 ms (first page) and 76 ms
    (cursor page) with it, 121 ms and 120 ms without it: the 100 ms target lost."""
    return _compiled_work(model, fields, sees_all_work(user), _active(user), user.pk)


@functools.lru_cache(maxsize=4096)
def _compiled_work(model, fields, sees_all, active, user_id) -> tuple[str, tuple]:
    queryset = _visible_work(model.objects.all(), sees_all, active, user_id)
    return queryset.order_by().values(*fields).query.sql_with_params()


def _submitted_claim_article(user_id) -> Exists:
    """Whether the user submitted their review of the article of the row's claim.

    Asked row by row (an index probe on the assignment), not as ``article_id IN (their
    submitted articles)``: a reviewer with tens of thousands of submitted reviews made
    PostgreSQL hash them all and scan every claim to page a hundred."""
    return Exists(
        Assignment.objects.submitted().filter(
            reviewer_id=user_id, article_id=OuterRef("claim__article_id")
        )
    )


def _article_id(claim_id: int) -> int | None:
    """The article of a claim, also of one since merged away (rebuilt from its history)."""
    current = Claim.objects.filter(pk=claim_id).values_list("article_id", flat=True).first()
    if current is not None:
        return current
    return Claim.history.filter(id=claim_id).values_list("article_id", flat=True).first()


def _has_submitted(user, article_id: int | None) -> bool:
    return Assignment.objects.submitted().filter(reviewer=user, article_id=article_id).exists()


def may_see_work(user, work: models.Model) -> bool:
    """Row-level twin of ``visible_work``, for one annotation or verdict (also a deleted one,
    as rebuilt from its history)."""
    if sees_all_work(user):
        return True
    if not _active(user):
        return False
    return work.reviewer_id == user.pk or _has_submitted(user, _article_id(work.claim_id))


def may_label(user) -> bool:
    """Who is a reviewer: whoever may write labels (in a review assigned to them). Asked of
    the permission, never of a group: an editor reviews too."""
    return has(user, LABEL)


def blind_reviewers(users):
    """The ``users`` (a queryset) who may label and do not see everyone's work: those
    reviews are handed out to, since an editor's review of an article would not be blind.
    The database answers for all of them at once, as ``has_perm`` would one by one."""
    stock = ModelBackend()  # active users only, superusers included, as has_perm
    return users.filter(pk__in=stock.with_perm(LABEL)).exclude(pk__in=stock.with_perm(VIEW_ALL))


def manages_reviews(user) -> bool:
    return has(user, ASSIGN)


def visible_assignments(user, queryset):
    """Reviews ``user`` may see: their own; everyone's for those who assign them. Another
    reviewer's review state (started, submitted) is part of their work."""
    if manages_reviews(user):
        return queryset
    if not _active(user):
        return queryset.none()
    return queryset.filter(reviewer_id=user.pk)


def may_see_assignment(user, assignment: Assignment) -> bool:
    return _active(user) and (manages_reviews(user) or assignment.reviewer_id == user.pk)


def review_is_open(user, article_id: int) -> bool:
    return Assignment.objects.open().filter(reviewer=user, article_id=article_id).exists()


# Why the write rule refuses, as the services' error codes.
NOT_YOURS = "not_yours"
NOT_ASSIGNED = "not_assigned"
REVIEW_SUBMITTED = "review_submitted"


def label_refusal(
    user, *, owner_id: int, own_review: Callable[[], Assignment | None]
) -> str | None:
    """The write rule for labels (annotations and verdicts: adding, changing, deleting
    them): why ``user`` may not write those owned by the reviewer ``owner_id`` on an
    article, as an error code, or None if they may. ``own_review`` gives the user's own
    review of that article (None: not assigned); it is asked only for their own labels.

    One's own labels only while one's review is open: a submitted review is read-only, an
    editor's too. Another reviewer's: editors, at any time. The services refuse by this
    rule, and the pages and the API offer a change by it (with the model's right)."""
    if owner_id != user.pk:
        return None if user.has_perm(CHANGE_ANY) else NOT_YOURS
    review = own_review()
    if review is None:
        return NOT_ASSIGNED
    return None if review.is_open else REVIEW_SUBMITTED


def _review(user, article_id: int) -> Assignment | None:
    return Assignment.objects.filter(reviewer=user, article_id=article_id).first()


def may_change_work(user, work: models.Model, action: str = "change") -> bool:
    """Row-level right over a reviewer's annotation or verdict: the model's right and the
    write rule (``label_refusal``)."""
    if not may(user, action, type(work)):
        return False
    if isinstance(work, Assignment):  # the review itself: an editor reopens her own too
        return user.has_perm(CHANGE_ANY) or (
            work.reviewer_id == user.pk and review_is_open(user, work.article_id)
        )
    refusal = label_refusal(
        user, owner_id=work.reviewer_id, own_review=lambda: _review(user, work.claim.article_id)
    )
    return refusal is None


def may_delete_work(user, work: models.Model) -> bool:
    return may_change_work(user, work, action="delete")


def changeable_work(user, works, action: str = "change") -> set[int]:
    """The ids of ``works`` (annotations or verdicts of one model) that ``user`` may change
    (or delete): ``may_change_work`` for a whole list, reading their reviews once."""
    works = list(works)
    if not works or not may(user, action, type(works[0])):
        return set()
    # The user's reviews of the articles of their own work, in one query (none if none).
    articles = {work.claim.article_id for work in works if work.reviewer_id == user.pk}
    mine = Assignment.objects.filter(reviewer=user, article_id__in=articles)
    reviews = {review.article_id: review for review in mine}
    return {
        work.pk
        for work in works
        if label_refusal(
            user,
            owner_id=work.reviewer_id,
            own_review=lambda work=work: reviews.get(work.claim.article_id),
        )
        is None
    }


def work_changer(
    user, article_id: int, model: type[models.Model], action: str = "change"
) -> Callable[[int], bool]:
    """``may_change_work`` for many rows of one article (a page of them), reading the
    user's review of it once: the answer for work owned by a reviewer id."""
    if not may(user, action, model):
        return lambda reviewer_id: False
    review = functools.cache(lambda: _review(user, article_id))
    return lambda reviewer_id: label_refusal(user, owner_id=reviewer_id, own_review=review) is None


def may_change_source(user, source, action: str = "change") -> bool:
    """Evidence may back several reviewers' annotations: only whoever added it, or an
    editor, changes it."""
    if not may(user, action, type(source)):
        return False
    return source.added_by_id == user.pk or user.has_perm(CHANGE_ANY)


def may_change_claim_kind(user, claim: Claim) -> bool:
    """A claim's kind feeds the export's ``?kind=`` filter: editors change it, and reviewers
    of the article while their review is open; once adjudicated, editors only."""
    if not may(user, "change", Claim):
        return False
    if user.has_perm(CHANGE_ANY):
        return True
    if Adjudication.objects.filter(claim_id=claim.pk).exists():
        return False
    return review_is_open(user, claim.article_id)


def may_restructure_claims(user, article) -> bool:
    """Split or merge an article's claims: editors; or a reviewer whose open review is the
    only one of the article, since splitting moves everyone's work on it."""
    if not may(user, "change", Claim):
        return False
    if user.has_perm(CHANGE_ANY):
        return True
    reviews = list(Assignment.objects.filter(article=article).values_list("reviewer_id", flat=True))
    return reviews == [user.pk] and review_is_open(user, article.pk)


def visible_sources(user, queryset):
    """Evidence ``user`` may see: what they added, what backs work they may see, and what
    backs no annotation yet. Under blind review, another reviewer's source would tell."""
    if sees_all_work(user):
        return queryset
    if not _active(user):
        return queryset.none()
    citing = Annotation.objects.filter(sources=OuterRef("pk"))
    return queryset.filter(
        Q(added_by_id=user.pk) | Exists(visible_work(user, citing)) | ~Exists(citing)
    )


def visible_adjudications(user, queryset):
    """Final labels are the others' work summed up: shown after submitting, like theirs."""
    if sees_all_work(user):
        return queryset
    if not _active(user):
        return queryset.none()
    return queryset.filter(_submitted_claim_article(user.pk))


def may_see_adjudication(user, adjudication: Adjudication) -> bool:
    """Row-level twin of ``visible_adjudications`` (also for one rebuilt from its history)."""
    if sees_all_work(user):
        return True
    return _active(user) and _has_submitted(user, _article_id(adjudication.claim_id))


def may_see_source(user, source: Source) -> bool:
    return visible_sources(user, Source.objects.filter(pk=source.pk)).exists()


def _may_see_text(user, obj) -> bool:
    return True  # articles, claims and the taxonomy hold nobody's review


# Row-level read rules by model, for pages that show one object however they found it
# (history pages rebuild deleted rows, which no queryset filter sees). A model missing here
# is shown to nobody: a new model must say who may see it.
_SEES_ROW = {
    Article: _may_see_text,
    Claim: _may_see_text,
    ErrorType: _may_see_text,
    Source: may_see_source,
    Annotation: may_see_work,
    Verdict: may_see_work,
    Assignment: may_see_assignment,
    Adjudication: may_see_adjudication,
    FinalAnnotation: lambda user, final: may_see_adjudication(user, final.adjudication),
}


def may_see(user, obj: models.Model) -> bool:
    """May ``user`` read this one object: the model's view right and its row rule."""
    rule = _SEES_ROW.get(type(obj))
    return rule is not None and may(user, "view", type(obj)) and rule(user, obj)


def may_export(user) -> bool:
    return has(user, EXPORT)


def may_revise_article(user) -> bool:
    """Replace an article's text: editors, since it moves every reviewer's work on it."""
    return may(user, "change", Article) and user.has_perm(CHANGE_ANY)


def may_restore_work(user) -> bool:
    """Bring back a deleted annotation, or an earlier version of one: editors, since the
    version may be another reviewer's, and a submitted review is otherwise read-only."""
    return may(user, "change", Annotation) and user.has_perm(CHANGE_ANY)


def may_revoke_token(user, owner) -> bool:
    """Anyone revokes their own API token; an editor (who manages the reviewers) revokes
    anyone's but a superuser's."""
    if not _active(user):
        return False
    return owner.pk == user.pk or (manages_reviews(user) and not owner.is_superuser)
