"""List filters that name an article without loading it.

Django's related-field filter loads every article whole to list their titles, texts of
megabytes included; these read ids and titles only.
"""

from django.contrib import admin

from claims.models import Article


class ArticleFilter(admin.SimpleListFilter):
    """Claims of one article, offered by title."""

    title = "article"
    parameter_name = "article__id__exact"
    field = "article_id"

    def lookups(self, request, model_admin):
        return Article.objects.values_list("pk", "title")

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(**{self.field: self.value()})


class AssignedArticleFilter(ArticleFilter):
    """Assignments of one article, offered among the articles of the rows the reader may
    see (a reviewer: their own queue), as Django's RelatedOnlyFieldListFilter would."""

    def lookups(self, request, model_admin):
        shown = model_admin.get_queryset(request).values("article_id")
        return Article.objects.filter(pk__in=shown).values_list("pk", "title")


class ClaimArticleFilter(ArticleFilter):
    """Annotations or verdicts on the claims of one article."""

    parameter_name = "claim__article__id__exact"
    field = "claim__article_id"
