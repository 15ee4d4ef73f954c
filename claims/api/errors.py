from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from claims.api.parsers import too_large
from claims.services.concurrency import Conflict, StaleVersion


def exception_handler(exc, context):
    """Model and service validation errors become 400s with their messages, field by field;
    a conflict with another writer is a 409 (412 for a stale version) with its message;
    a body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 naming the limit."""
    if isinstance(exc, RequestDataTooBig):
        exc = too_large()
    if isinstance(exc, Conflict):
        code = (
            status.HTTP_412_PRECONDITION_FAILED
            if isinstance(exc, StaleVersion)
            else status.HTTP_409_CONFLICT
        )
        return Response({"detail": " ".join(exc.messages)}, status=code)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        detail = {
            ("non_field_errors" if key == "__all__" else key): value
            for key, value in detail.items()
        }
        exc = serializers.ValidationError(detail)
    return drf_exception_handler(exc, context)
