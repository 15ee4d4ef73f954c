from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import OuterRef

from claims import permissions
from claims.admin.history import HistoryAdmin
from claims.admin.paging import LargeTableAdmin
from claims.models import Annotation, ErrorType, FinalAnnotation, Source, correlated_count


@admin.register(ErrorType)
class ErrorTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "family", "definition", "is_active", "usage"]
    list_filter = ["family", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["name", "slug", "definition"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # Counted one error type at a time (an index walk each). An editor sees every
        # annotation; a reviewer sees their own here: counting what else they may see
        # (others' work on the articles they submitted) means checking each of half a
        # million annotations against their reviews, seconds per page at scale.
        annotations = Annotation.objects.all()
        if not permissions.sees_all_work(request.user):
            annotations = annotations.filter(reviewer_id=request.user.pk)
        usage = correlated_count(annotations.filter(error_type=OuterRef("pk")), "error_type")
        return super().get_queryset(request).annotate(usage_count=usage)

    def get_list_display(self, request):
        if permissions.sees_all_work(request.user):
            return self.list_display
        return [("my_usage" if name == "usage" else name) for name in self.list_display]

    @admin.display(description="annotations", ordering="usage_count")
    def usage(self, error_type):
        return error_type.usage_count

    @admin.display(description="my annotations", ordering="usage_count")
    def my_usage(self, error_type):
        return error_type.usage_count


class SourceForm(forms.ModelForm):
    """``user`` (who is writing) is set by the admin: a new source is theirs. A copy is
    refused only of the adder's own source of that address, whose number the model's
    ``validate_unique`` names (the per-adder constraint). Another person's source of the
    address is neither named nor refused, for editors too: it may back unsubmitted work,
    and ``services.source_get_or_create`` never reuses it either."""

    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.added_by = self.user  # the model's check looks among theirs


@admin.register(Source)
class SourceAdmin(LargeTableAdmin, HistoryAdmin):
    form = SourceForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Deleting a source removes it from every annotation citing it: the confirmation page
    # lists them, one source at a time (no bulk delete), and history records the deletion.
    delete_confirmation_template = "admin/claims/source/delete_confirmation.html"
    list_display = ["__str__", "publisher", "published_on", "accessed_on", "url"]
    # Newest first, from the primary key's index: sorted by title, a reviewer's page
    # checked blind review on every one of 200,000 sources before sorting them.
    ordering = ["-pk"]
    search_fields = ["url", "title", "publisher", "quoted_passage"]
    readonly_fields = ["added_by", "added_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

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

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        source = self.get_object(request, object_id)
        citing, citing_final = Annotation.objects.none(), FinalAnnotation.objects.none()
        if source is not None:
            # Only what the reader may see: under blind review, others' work stays hidden.
            citing = permissions.visible_work(
                request.user,
                source.annotations.select_related("claim__article", "reviewer", "error_type"),
            ).order_by("claim__article", "start", "id")
            if permissions.sees_all_work(request.user):
                citing_final = FinalAnnotation.objects.filter(sources=source).select_related(
                    "adjudication__claim__article", "error_type"
                )
        extra_context = {
            **(extra_context or {}),
            "citing_annotations": citing,
            "citing_final_labels": citing_final,
        }
        return super().delete_view(request, object_id, extra_context)
