from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from claims import permissions, services
from claims.models import Annotation


class HistoryAdmin(SimpleHistoryAdmin):
    """History to read, never to revert: a revert would save an old row past the rules in
    claims.services (a claim's offsets, a submitted review, an adjudication)."""

    def has_view_history_or_change_history_permission(self, request, obj=None):
        # History pages find their object outside get_queryset() (a deleted row is rebuilt
        # from its last record), so they ask the row rule itself: what another reviewer
        # wrote, an editor's final labels or someone's review state stay blind here too.
        return obj is not None and permissions.may_see(request.user, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class RestoreAnnotationMixin:
    """Each version on an annotation's history page gets a "Restore this version" button
    (editors): it goes through ``services.annotation_restore``, never simple-history's
    revert, so the restored annotation must fit the article as it is now."""

    object_history_list_template = "admin/claims/annotation/object_history_list.html"

    def history_view(self, request, object_id, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_restore": permissions.may_restore_work(request.user),
        }
        return super().history_view(request, object_id, extra_context)

    def get_urls(self):
        restore = self.admin_site.admin_view(self.restore_view)
        return [
            path("history/<int:history_id>/restore/", restore, name="claims_annotation_restore"),
            *super().get_urls(),
        ]

    def restore_view(self, request, history_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not permissions.may_restore_work(request.user):
            raise PermissionDenied
        version = get_object_or_404(Annotation.history, history_id=history_id)
        try:
            annotation = services.annotation_restore(history_id=history_id, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect(reverse("admin:claims_annotation_history", args=[version.id]))
        self.message_user(
            request,
            format_html("Restored “{}” as of {}.", annotation.quote, version.history_date),
            messages.SUCCESS,
        )
        return redirect(reverse("admin:claims_annotation_change", args=[annotation.pk]))
