"""List filters that name an article without loading it, and that stay short.

Django's related-field filter loads every article whole to list their titles, texts of
megabytes included; these read ids and titles only. At tens of thousands of articles a
list of every title would also be a page of its own: the filter offers the newest
``ARTICLE_CHOICES`` (and the one chosen, wherever it is); any article's claims are one
click away on its own page.
"""

from django.contrib import admin
from django.db.models import OuterRef, Subquery

from claims.models import Article

ARTICLE_CHOICES = 20


def referred_to(candidates, rows, field: str):
    """The ``candidates`` (users, error types, articles) that some row of ``rows`` refers
    to through ``field``.

    Asked candidate by candidate, as "the first such row" (a scalar subquery, which
    PostgreSQL runs once per candidate and stops at the first row found): written as
    EXISTS, the planner joins every row of the list first, 4 s for a reviewer's half a
    million visible annotations, to name three reviewers.
    """
    first = rows.filter(**{field: OuterRef("pk")}).order_by().values("pk")[:1]
    return candidates.alias(first_row=Subquery(first)).filter(first_row__isnull=False)


class ArticleFilter(admin.SimpleListFilter):
    """Claims of one article, offered by title."""

    title = "article"
    parameter_name = "article__id__exact"
    field = "article_id"

    def lookups(self, request, model_admin):
        # Articles with a row in the list (a reviewer's queue offers only their articles).
        rows = model_admin.get_queryset(request)
        listed = referred_to(Article.objects.all(), rows, self.field).order_by("-pk")
        newest = listed.values_list("pk", "title")[:ARTICLE_CHOICES]
        chosen = self.value()
        choices = list(newest)
        if chosen and chosen.isdecimal() and all(str(pk) != chosen for pk, _ in choices):
            choices += listed.filter(pk=int(chosen)).values_list("pk", "title")
        return choices

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(**{self.field: self.value()})


class ClaimArticleFilter(ArticleFilter):
    """Annotations or verdicts on the claims of one article."""

    parameter_name = "claim__article__id__exact"
    field = "claim__article_id"


class UsedRelatedFilter(admin.RelatedOnlyFieldListFilter):
    """The related objects (reviewers, error types) that some row of the list refers to.

    Django's ``RelatedOnlyFieldListFilter`` asks for the distinct values of the column over
    the whole list: a scan of half a million annotations. Here each candidate, of which
    there are few, is one index probe: does any row refer to it? (``referred_to``)
    """

    def field_choices(self, field, request, model_admin):
        rows = model_admin.get_queryset(request)
        used = referred_to(field.related_model._default_manager.all(), rows, field.name)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            used = used.order_by(*ordering)
        return [(related.pk, str(related)) for related in used]
