"""Filters over claims, shared by the claim list, the API export and ``export_claims``."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from claims import permissions
from claims.models import Annotation, Article, Claim, Verdict


@extend_schema_field(OpenApiTypes.BOOL)
class HasErrorsFilter(django_filters.TypedChoiceFilter):
    pass


# ``?article=`` checks that the article exists; it needs neither its text nor its saved page.
ARTICLES = Article.objects.defer("text", "source_html")


class ClaimFilter(django_filters.FilterSet):
    article = django_filters.ModelChoiceFilter(queryset=ARTICLES)
    kind = django_filters.MultipleChoiceFilter(choices=Claim.Kind.choices)
    error_type = django_filters.CharFilter(
        method="filter_error_type", help_text="Error type slug: claims with such an annotation."
    )
    reviewer = django_filters.CharFilter(
        method="filter_reviewer", help_text="Username or id: claims this reviewer annotated."
    )
    # A choice rather than a BooleanFilter, so that ?has_errors=maybe is a 400, not ignored.
    has_errors = HasErrorsFilter(
        choices=[("true", "true"), ("false", "false"), ("1", "1"), ("0", "0")],
        coerce=lambda value: value in ("true", "1"),
        method="filter_has_errors",
    )

    search = django_filters.CharFilter(
        method="filter_search",
        help_text="Words in the claim's text. On PostgreSQL a full-text search: words are "
        'stemmed ("ministers" finds "Minister"), all required; "a phrase" in quotes, or, '
        "-word to exclude. On SQLite a case-insensitive substring.",
    )

    class Meta:
        model = Claim
        fields = ["article", "kind", "error_type", "reviewer", "has_errors", "search"]

    def annotations(self):
        """The annotations filters may look at: under blind review, those the reader sees.

        Without a request (the export_claims command, run by the operator) that is all.
        """
        if self.request is None:
            return Annotation.objects.all()
        return permissions.visible_work(self.request.user, Annotation.objects.all())

    # Exists() rather than joins: a claim with three matching annotations is still one claim.
    def filter_error_type(self, queryset, name, value):
        matching = self.annotations().filter(claim=OuterRef("pk"), error_type__slug=value)
        return queryset.filter(Exists(matching))

    def filter_reviewer(self, queryset, name, value):
        by_id = Q(pk=int(value)) if value.isascii() and value.isdecimal() else Q(pk__in=[])
        users = get_user_model().objects.filter(Q(username=value) | by_id)
        matching = self.annotations().filter(claim=OuterRef("pk"), reviewer__in=users)
        return queryset.filter(Exists(matching))

    def filter_search(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset

    def filter_has_errors(self, queryset, name, value):
        tagged = Exists(self.annotations().filter(claim=OuterRef("pk")))
        return queryset.filter(tagged) if value else queryset.exclude(tagged)


class AnnotationFilter(django_filters.FilterSet):
    """``?article=`` is the workflow's short name for the claim's article."""

    article = django_filters.ModelChoiceFilter(field_name="claim__article", queryset=ARTICLES)
    error_type = django_filters.CharFilter(field_name="error_type__slug")
    reviewer = django_filters.CharFilter(field_name="reviewer__username")

    class Meta:
        model = Annotation
        fields = ["claim", "article", "error_type", "reviewer"]


class VerdictFilter(django_filters.FilterSet):
    reviewer = django_filters.CharFilter(field_name="reviewer__username")

    class Meta:
        model = Verdict
        fields = ["claim", "claim__article", "label", "reviewer"]
