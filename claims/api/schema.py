"""The OpenAPI schema's error responses, documented once for every operation.

drf-spectacular documents the success response of each view; the errors come from DRF
itself (authentication, permissions, lookups, validation, throttling) and would otherwise
be missing from every operation. ``AutoSchema`` adds each one where it can occur, with the
body DRF sends, so that a client can rely on the schema for failures too.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

# Some text that is not whitespace, and no NUL (PostgreSQL cannot store it). Spelled out
# rather than ``\S``: JavaScript's ``\s``, which the schema's readers use, lacks \x1c-\x1f
# and \x85, which Python (and so DRF's trimming and the importer's ``strip()``) counts as
# whitespace.
NOT_BLANK = r"^[^\x00]*[^\s\x00\x1c-\x1f\x85][^\x00]*$"


# What Django's URLValidator takes, as far as a pattern can say: http(s) or ftp(s), then
# localhost, an IPv4 address or a name with a top-level domain, an optional port and path.
# (It also limits each label to 63 characters, and takes IPv6 hosts.)
URL = (
    r"^(https?|ftps?)://([^\s/?#@]+@)?"
    r"(localhost|[0-9]{1,3}(\.[0-9]{1,3}){3}|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,63}\.?)"
    r"(:[0-9]{1,5})?([/?#]\S*)?$"
)


class ErrorSerializer(serializers.Serializer):
    """What DRF answers to a request it refuses as a whole."""

    detail = serializers.CharField(help_text="What went wrong, and what to do about it.")


# A refused input names each field with its messages ({"quote": ["…"]}); nested inputs nest
# (sources by position), and an unreadable body is {"detail": "…"}: an object either way.
VALIDATION_ERROR = {
    "type": "object",
    "additionalProperties": {},
    "description": "Messages by field name (``non_field_errors`` for the whole input), "
    "or ``detail`` when the body could not be read.",
}

ERRORS = {
    "400": "The input was refused; the body says what to fix. Nothing was changed.",
    "401": "No valid credentials: send ``Authorization: Token …`` or log in.",
    "403": "Your role does not allow this (or it is not yours to change).",
    "404": "No such object, or not one you may see (or a page past the last).",
    "409": "The object's current state does not allow this (e.g. a review already "
    "submitted); the body says why.",
    "413": "The body is larger than the server accepts; the message names the limit.",
    "429": "Too many requests; wait for the time given in ``Retry-After``.",
}


# For ``extend_schema(responses={…, 409: CONFLICT})`` on the operations that can meet one.
CONFLICT = OpenApiResponse(ErrorSerializer, description=ERRORS["409"])


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, plus the error responses each operation can give."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.error_codes():
            if code not in responses:
                body = VALIDATION_ERROR if code == "400" else ErrorSerializer
                responses[code] = self._get_response_for_code(body, code, direction=direction)
                responses[code]["description"] = ERRORS[code]
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # DRF trims text before checking it is not blank: "  " is refused like "".
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and field.trim_whitespace
            and not field.allow_blank
            and schema.get("type") == "string"
            and not {"pattern", "format", "enum"} & schema.keys()
        ):
            schema["pattern"] = NOT_BLANK
        return schema

    def _map_basic_serializer(self, serializer, direction):
        self._direction = direction  # _insert_field_validators is not told
        return super()._map_basic_serializer(serializer, direction)

    def _insert_field_validators(self, field, schema):
        # Requests only: a stored url is described, not constrained (IDN hosts, IPv6).
        if isinstance(field, serializers.URLField) and self._direction == "request":
            schema["pattern"] = URL  # before drf-spectacular wraps a blankable url in oneOf
        super()._insert_field_validators(field, schema)

    def _get_request_for_media_type(self, serializer, direction="request"):
        # drf-spectacular documents every PATCH body as partial (no required fields), as DRF's
        # UpdateModelMixin reads it; a serializer marked ``whole_on_patch`` is read whole.
        if self.method == "PATCH" and getattr(serializer, "whole_on_patch", False):
            self.method = "PUT"
            try:
                return super()._get_request_for_media_type(serializer, direction)
            finally:
                self.method = "PATCH"
        return super()._get_request_for_media_type(serializer, direction)

    def _get_request_body(self, direction="request"):
        # drf-spectacular can only tell a body is required from a serializer's required
        # fields; every POST and PUT here that takes a body needs one (the plain-text
        # article included), so say so: an empty request is a 400.
        body = super()._get_request_body(direction)
        if body and (self.method in ("POST", "PUT") or self._patched_whole()):
            body["required"] = True
        return body

    def _patched_whole(self) -> bool:
        return self.method == "PATCH" and getattr(
            self.get_request_serializer(), "whole_on_patch", False
        )

    def _get_paginator(self):
        # DRF paginates only ``list``; a POST answering with several rows sends a plain list.
        if getattr(self.view, "action", None) != "list":
            return None
        return super()._get_paginator()

    def error_codes(self) -> list[str]:
        codes = []
        if self.takes_input():
            codes.append("400")
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("413")  # DATA_UPLOAD_MAX_MEMORY_SIZE, for every body
        if self.view.get_permissions():  # the token endpoint lets anyone in
            codes += ["401", "403"]
        if self.path_regex_has_parameters() or self._is_list_view():
            codes.append("404")  # the list: a page past the last
        if self.view.get_throttles():
            codes.append("429")
        return codes

    def takes_input(self) -> bool:
        """A body or query parameters: either can be refused with a 400."""
        if self.method in ("POST", "PUT", "PATCH"):
            return True
        return bool(
            self._get_filter_parameters()
            or self._get_pagination_parameters()
            or self.get_override_parameters()  # the export's and agreement's filters
        )

    def path_regex_has_parameters(self) -> bool:
        return "{" in self.path


NO_NUL = "^[^\\x00]*$"


def _strings(node):
    """Every schema of a plain string inside ``node`` (no pattern, format or enum yet)."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"pattern", "format", "enum"} & node.keys():
            yield node
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def no_nul_in_text(result, generator, request, public):
    """drf-spectacular post-processing hook: every text field and query string refuses NUL
    (DRF's and Django's fields do, and PostgreSQL cannot store it), so the schema says so."""
    for string in _strings(result):
        string["pattern"] = NO_NUL
    return result
