"""ETag and If-Match for the rows reviewers write: optimistic concurrency over HTTP.

The ETag of an annotation or verdict is ``"<id>-<version>"``. A client that sends it back
in ``If-Match`` on a write says "change it only if it is still what I read"; if someone
wrote in between, the answer is 412 with the current row and its ETag, and nothing is
changed. Without ``If-Match`` the write goes ahead (scripts); the workspace and the admin
always send the version they read.
"""

import re

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from claims.api.schema import ErrorSerializer
from claims.services.concurrency import StaleVersion

# A proxy that compresses a response may weaken its ETag to W/"…"; the version inside is
# the same, so a weak tag sent back is read like the strong one.
_TAG = re.compile(r'\s*(?:W/)?"(\d+)-(\d+)"\s*')

IF_MATCH = OpenApiParameter(
    "If-Match",
    {"type": "string", "pattern": r'^\s*(\*|(W/)?"[0-9]+-[0-9]+")\s*$'},
    OpenApiParameter.HEADER,
    description='The ETag you read (e.g. "12-3"). If the row changed since, nothing is written '
    "and the answer is 412 with the current row. Leave it out to write regardless.",
)
PRECONDITION_FAILED = OpenApiResponse(
    description="Stale If-Match: someone changed the row since you read it. The body holds a "
    "message (`detail`) and the row as it is now (`current`); the ETag header is the current "
    "one. Nothing was written.",
    examples=[
        OpenApiExample(
            "stale",
            value={"detail": "This annotation was changed by someone else…", "current": {}},
        )
    ],
)
CONFLICT = OpenApiResponse(
    ErrorSerializer,
    description="Another write got in the way (e.g. the claim was split or merged meanwhile), "
    "or the review is submitted and read-only; `detail` says what to do. Nothing was written.",
)


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


def etag(instance) -> str:
    return f'"{instance.pk}-{instance.version}"'


def expected_version(request, instance) -> int | None:
    """The version named by the request's If-Match for ``instance``; None if none is sent.

    ``*`` matches any stored version. A tag for another row, or one that cannot be read,
    matches nothing: 412, as HTTP asks.
    """
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    for tag in header.split(","):
        found = _TAG.fullmatch(tag)
        if found and int(found[1]) == instance.pk:
            return int(found[2])
    raise PreconditionFailed(
        f"If-Match {header.strip()!r} is not an ETag of this row; its ETag is {etag(instance)}. "
        "Send the ETag from your last read of it."
    )


class VersionedMixin:
    """For viewsets of versioned rows: ETag on detail reads and writes, 412 when stale.

    ``representation`` is the serializer the row is shown with.
    """

    representation = None

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        return Response(self.get_serializer(instance).data, headers={"ETag": etag(instance)})

    def respond(self, instance, code) -> Response:
        instance = self.get_queryset().get(pk=instance.pk)
        return Response(
            self.representation(instance, context=self.get_serializer_context()).data,
            status=code,
            headers={"ETag": etag(instance)},
        )

    def handle_exception(self, exc):
        if isinstance(exc, StaleVersion):
            current = self.get_queryset().filter(pk=exc.current.pk).first() or exc.current
            return Response(
                {
                    "detail": exc.messages[0],
                    "current": self.representation(
                        current, context=self.get_serializer_context()
                    ).data,
                },
                status=status.HTTP_412_PRECONDITION_FAILED,
                headers={"ETag": etag(current)},
            )
        return super().handle_exception(exc)
