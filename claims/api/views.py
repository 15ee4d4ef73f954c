from django.db.models import Count, Prefetch
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import exports, services
from claims.api import serializers
from claims.api.permissions import CanExport
from claims.filters import ClaimFilter
from claims.models import Annotation, Article, Claim, ErrorType, Source


class PlainTextParser(parsers.BaseParser):
    """Lets ``curl --data-binary @story.txt -H 'Content-Type: text/plain'`` create an article."""

    media_type = "text/plain"

    def parse(self, stream, media_type=None, parser_context=None):
        text = stream.read().decode("utf-8")
        title, _, _ = text.lstrip().partition("\n")
        return {"title": title.strip(), "text": text}


class ArticleViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    parser_classes = [
        parsers.JSONParser,
        PlainTextParser,
        parsers.FormParser,
        parsers.MultiPartParser,
    ]
    filterset_fields = ["language", "outlet"]

    def get_queryset(self):
        queryset = (
            Article.objects.select_related("imported_by")
            .annotate(claim_count=Count("claims"))
            .order_by("-imported_at", "-id")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("claims", queryset=Claim.objects.with_annotations())
            )
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ArticleDetailSerializer
        return serializers.ArticleSerializer

    @extend_schema(
        request=serializers.ArticleInputSerializer, responses=serializers.ArticleDetailSerializer
    )
    def create(self, request, *args, **kwargs):
        """Store an article and split it into claims; an article already stored is returned."""
        given = serializers.ArticleInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        result = services.article_import(**given.validated_data, imported_by=request.user)
        article = (
            self.get_queryset()
            .prefetch_related(Prefetch("claims", queryset=Claim.objects.with_annotations()))
            .get(pk=result.article.pk)
        )
        return Response(
            serializers.ArticleDetailSerializer(article).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class ClaimViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ClaimSerializer
    filterset_class = ClaimFilter
    queryset = Claim.objects.with_annotations().order_by("article_id", "order")


class AnnotationViewSet(viewsets.ModelViewSet):
    queryset = (
        Annotation.objects.select_related("claim", "reviewer", "error_type")
        .prefetch_related("sources")
        .order_by("claim__article_id", "start", "id")
    )
    serializer_class = serializers.AnnotationSerializer
    filterset_fields = {
        "claim": ["exact"],
        "claim__article": ["exact"],
        "error_type__slug": ["exact"],
        "reviewer__username": ["exact"],
    }

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.AnnotationInputSerializer
        if self.action in {"update", "partial_update"}:
            return serializers.AnnotationUpdateSerializer
        return serializers.AnnotationSerializer

    def _respond(self, annotation, code):
        annotation = self.get_queryset().get(pk=annotation.pk)
        return Response(serializers.AnnotationSerializer(annotation).data, status=code)

    @extend_schema(responses={201: serializers.AnnotationSerializer})
    def create(self, request, *args, **kwargs):
        given = self.get_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        annotation = services.annotation_create(reviewer=request.user, **given.validated_data)
        return self._respond(annotation, status.HTTP_201_CREATED)

    @extend_schema(responses=serializers.AnnotationSerializer)
    def update(self, request, *args, partial=False, **kwargs):
        annotation = self.get_object()
        given = self.get_serializer(annotation, data=request.data, partial=partial)
        given.is_valid(raise_exception=True)
        annotation = services.annotation_update(annotation, by=request.user, **given.validated_data)
        return self._respond(annotation, status.HTTP_200_OK)


class SourceViewSet(viewsets.ModelViewSet):
    queryset = Source.objects.all()
    serializer_class = serializers.SourceSerializer

    def perform_create(self, serializer):
        serializer.save(added_by=self.request.user)


class ErrorTypeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ErrorType.objects.all()
    serializer_class = serializers.ErrorTypeSerializer
    lookup_field = "slug"
    filterset_fields = ["family", "is_active"]


class ClaimExportView(APIView):
    """Labelled claims as a streamed file: ``?format=jsonl|csv|json`` plus the claim filters."""

    permission_classes = [CanExport]
    renderer_classes = [JSONRenderer]

    def perform_content_negotiation(self, request, force=False):
        # ``format`` names the export format here, not a DRF renderer; errors stay JSON.
        return JSONRenderer(), JSONRenderer.media_type

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format", OpenApiTypes.STR, enum=list(exports.WRITERS), default="jsonl"
            ),
            OpenApiParameter("article", OpenApiTypes.INT),
            OpenApiParameter("kind", OpenApiTypes.STR, many=True),
            OpenApiParameter("error_type", OpenApiTypes.STR),
            OpenApiParameter("reviewer", OpenApiTypes.STR),
            OpenApiParameter("has_errors", OpenApiTypes.BOOL),
        ],
        responses={(200, "application/x-ndjson"): OpenApiTypes.BINARY},
    )
    def get(self, request):
        name = request.query_params.get("format", "jsonl")
        writer = exports.WRITERS.get(name)
        if writer is None:
            raise ValidationError(
                {"format": f"Unknown format “{name}”; use one of {', '.join(exports.WRITERS)}."}
            )
        claims = ClaimFilter(request.query_params, queryset=Claim.objects.all())
        if not claims.is_valid():
            raise ValidationError(claims.errors)
        response = StreamingHttpResponse(
            writer.write(exports.records(claims.qs)), content_type=writer.content_type
        )
        response["Content-Disposition"] = f'attachment; filename="claims.{writer.extension}"'
        return response
