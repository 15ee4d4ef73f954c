from rest_framework.permissions import SAFE_METHODS, BasePermission

from claims import permissions

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
    ``claims.permissions`` for a reviewer's own work."""

    def has_permission(self, request, view):
        if not hasattr(view, "get_queryset"):  # the API root: a list of links
            return bool(request.user and request.user.is_authenticated)
        model = view.get_queryset().model
        return permissions.may(request.user, ACTION_FOR_METHOD[request.method], model)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS or not hasattr(obj, "reviewer_id"):
            return True
        if request.method == "DELETE":
            return permissions.may_delete_work(request.user, obj)
        return permissions.may_change_work(request.user, obj)


class CanExport(BasePermission):
    message = "Exporting labelled claims needs the “Can export labelled claims” permission."

    def has_permission(self, request, view):
        return permissions.may_export(request.user)
