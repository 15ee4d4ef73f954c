from django.contrib import admin
from django.db import models
from django.db.models import Count, Q

from claims import permissions
from claims.models import Annotation, ErrorType, Source


@admin.register(ErrorType)
class ErrorTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "family", "definition", "is_active", "usage"]
    list_filter = ["family", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["name", "slug", "definition"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # Counted over the annotations the reader may see: blind review covers counts too.
        visible = permissions.visible_work(request.user, Annotation.objects.all())
        return (
            super()
            .get_queryset(request)
            .annotate(usage_count=Count("annotations", filter=Q(annotations__in=visible)))
        )

    @admin.display(description="annotations", ordering="usage_count")
    def usage(self, error_type):
        return error_type.usage_count


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["__str__", "publisher", "published_on", "accessed_on", "url"]
    search_fields = ["url", "title", "publisher", "quoted_passage"]
    readonly_fields = ["added_by", "added_at"]

    def get_queryset(self, request):
        # Also what the annotation form's source picker (admin autocomplete) searches.
        return permissions.visible_sources(request.user, super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.may_change_source(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return permissions.may_change_source(request.user, obj, "delete")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
