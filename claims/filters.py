"""Filters over claims, shared by the claim list, the API export and ``export_claims``."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from claims.models import Annotation, Article, Claim


class ClaimFilter(django_filters.FilterSet):
    article = django_filters.ModelChoiceFilter(queryset=Article.objects.all())
    kind = django_filters.MultipleChoiceFilter(choices=Claim.Kind.choices)
    error_type = django_filters.CharFilter(
        method="filter_error_type", help_text="Error type slug: claims with such an annotation."
    )
    reviewer = django_filters.CharFilter(
        method="filter_reviewer", help_text="Username or id: claims this reviewer annotated."
    )
    has_errors = django_filters.BooleanFilter(method="filter_has_errors")

    class Meta:
        model = Claim
        fields = ["article", "kind", "error_type", "reviewer", "has_errors"]

    # Exists() rather than joins: a claim with three matching annotations is still one claim.
    def filter_error_type(self, queryset, name, value):
        matching = Annotation.objects.filter(claim=OuterRef("pk"), error_type__slug=value)
        return queryset.filter(Exists(matching))

    def filter_reviewer(self, queryset, name, value):
        users = get_user_model().objects.filter(
            Q(username=value) | Q(pk=int(value)) if value.isdigit() else Q(username=value)
        )
        matching = Annotation.objects.filter(claim=OuterRef("pk"), reviewer__in=users)
        return queryset.filter(Exists(matching))

    def filter_has_errors(self, queryset, name, value):
        return queryset.with_errors() if value else queryset.without_errors()
