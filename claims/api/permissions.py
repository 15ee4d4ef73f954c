from rest_framework.permissions import SAFE_METHODS, BasePermission

from claims import permissions
from claims.models import Source

ACTION_FOR_METHOD = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class ClaimsModelPermission(BasePermission):
    """Model permission for the request's method, reading included; row rules from
    ``claims.permissions`` for a reviewer's own work and for shared evidence."""

    def has_permission(self, request, view):
        if not hasattr(view, "get_queryset"):  # the API root: a list of links
            return bool(request.user and request.user.is_authenticated)
        action = ACTION_FOR_METHOD.get(request.method)
        if action is None:  # TRACE, PURGE and the like: nothing here answers them
            return False
        return permissions.may(request.user, action, view.get_queryset().model)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        action = "delete" if request.method == "DELETE" else "change"
        if isinstance(obj, Source):
            return permissions.may_change_source(request.user, obj, action)
        if hasattr(obj, "reviewer_id"):
            return permissions.may_change_work(request.user, obj, action)
        return True


class CanExport(BasePermission):
    message = "Exporting labelled claims needs the “Can export labelled claims” permission."

    def has_permission(self, request, view):
        return permissions.may_export(request.user)
