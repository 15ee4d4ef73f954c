"""Where each article of the admin's list stands: the reader's own review of it, and how
far its adjudication has come (as far as the reader may see adjudications)."""

from django.db.models import Count

from claims import permissions
from claims.models import Adjudication, Assignment

State = Assignment.State

# The reader's review, in the words of the list: a reopened review is being worked on again.
MY_REVIEW = {
    None: "not assigned",
    State.ASSIGNED: "not started",
    State.IN_PROGRESS: "in progress",
    State.REOPENED: "in progress",
    State.SUBMITTED: "submitted",
}


def annotate_page(user, page: dict) -> None:
    """Set ``my_review`` and ``adjudicated_total`` on the page's articles (``{pk: article}``),
    in two grouped queries for the whole page, whatever its length."""
    reviews = dict(
        Assignment.objects.filter(reviewer_id=user.pk, article_id__in=page)
        .order_by()
        .values_list("article_id", "state")
    )
    adjudications = permissions.visible_adjudications(
        user, Adjudication.objects.filter(claim__article_id__in=page)
    )
    adjudicated = dict(
        adjudications.order_by().values_list("claim__article_id").annotate(n=Count("pk"))
    )
    for pk, article in page.items():
        article.my_review = MY_REVIEW[reviews.get(pk)]
        article.adjudicated_total = adjudicated.get(pk, 0)


def adjudication_state(adjudicated: int, claims: int) -> str:
    if not adjudicated:
        return "not adjudicated"
    if adjudicated >= claims:
        return "adjudicated"
    return f"{adjudicated} of {claims} claims adjudicated"
