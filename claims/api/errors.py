from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from claims.api.parsers import too_large
from claims.services.concurrency import Conflict, StaleVersion

# Service refusals that are not about the input: who is asking (403), or the state the
# object is in (409). Any other service refusal is about the input: a 400.
FORBIDDEN_CODES = {"not_editor", "not_yours", "not_assigned"}
CONFLICT_CODES = {"review_submitted", "illegal_transition", "too_few_reviewers"}


class StateConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The object's current state does not allow this."
    default_code = "conflict"


def _codes(exc: DjangoValidationError) -> set[str]:
    return {error.code for error in exc.error_list} if hasattr(exc, "error_list") else set()


def exception_handler(exc, context):
    """Model and service validation errors become 400s with their messages, field by field;
    a conflict with another writer is a 409 (412 for a stale version) with its message;
    a body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 naming the limit; a refusal because of
    who asks is a 403, because of the object's state a 409."""
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
        codes = _codes(exc)
        if codes and codes <= FORBIDDEN_CODES:
            exc = exceptions.PermissionDenied(" ".join(exc.messages))
        elif codes and codes <= CONFLICT_CODES | FORBIDDEN_CODES:
            exc = StateConflict(" ".join(exc.messages))
        else:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            detail = {
                ("non_field_errors" if key == "__all__" else key): value
                for key, value in detail.items()
            }
            exc = serializers.ValidationError(detail)
    return drf_exception_handler(exc, context)
