"""Linked data over the API: an annotation as a W3C Web Annotation, an article's final
verdicts as embeddable schema.org ClaimReview markup."""

from django.conf import settings
from django.http import Http404, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from claims import exports, permissions
from claims.api.permissions import CanExport
from claims.exports import claimreview, links
from claims.models import Adjudication, Article, Claim


def site_of(request) -> str:
    """Where linked-data addresses point: FACTCHECK_SITE_URL, else the origin the request
    came to (its scheme, host and port, as the client reached the app)."""
    return settings.FACTCHECK_SITE_URL or f"{request.scheme}://{request.get_host()}"


class JsonLdRenderer(JSONRenderer):
    """``Accept: application/ld+json``: what an annotation's W3C ``id`` answers with."""

    media_type = "application/ld+json"
    format = "jsonld"


# Described for the OpenAPI schema: the shape W3C's data model gives an annotation.
W3C_ANNOTATION = {
    "type": "object",
    "description": "A W3C Web Annotation (https://www.w3.org/TR/annotation-model/).",
    "required": ["@context", "id", "type", "motivation", "body", "target"],
    "properties": {
        "@context": {"type": "string", "enum": ["http://www.w3.org/ns/anno.jsonld"]},
        "id": {"type": "string", "format": "uri"},
        "type": {"type": "string", "enum": ["Annotation"]},
        "motivation": {"type": "string", "enum": ["assessing"]},
        "creator": {"type": "object"},
        "created": {"type": "string", "format": "date-time"},
        "modified": {"type": "string", "format": "date-time"},
        "body": {"type": "array", "items": {"type": "object"}},
        "target": {"type": "object"},
    },
}

HTML = OpenApiResponse(
    OpenApiTypes.STR,
    description='<script type="application/ld+json"> holding a JSON array of ClaimReview.',
)


class ClaimReviewScriptView(APIView):
    """An article's adjudicated verdicts as schema.org ClaimReview JSON-LD inside a
    ``<script>`` element, to paste into the page that publishes the fact check."""

    permission_classes = [CanExport]
    renderer_classes = [JSONRenderer]  # for errors; the markup itself is written below

    def perform_content_negotiation(self, request, force=False):
        return JSONRenderer(), JSONRenderer.media_type

    @extend_schema(
        operation_id="v1_articles_claimreview_retrieve", responses={(200, "text/html"): HTML}
    )
    def get(self, request, pk: int):
        if not Article.objects.filter(pk=pk).exists():
            raise Http404
        records = exports.records(
            Claim.objects.filter(article_id=pk),
            labels="final",
            adjudications=permissions.visible_adjudications(
                request.user, Adjudication.objects.all()
            ),
        )
        return StreamingHttpResponse(
            links.read_at(site_of(request), claimreview.script(records)),
            content_type="text/html; charset=utf-8",
        )
