from django.db.models import OuterRef, Prefetch
from django.http import StreamingHttpResponse
from django.utils.http import parse_header_parameters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import filters, mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from claims import exports, permissions, services
from claims.api import claim_pages, representations, serializers
from claims.api import parsers as bounded
from claims.api.linked_data import W3C_ANNOTATION, JsonLdRenderer, site_of
from claims.api.pagination import ClaimPagination
from claims.api.permissions import CanExport
from claims.api.query_parameters import list_parameters, refuse_unknown
from claims.api.versions import (
    CONFLICT,
    IF_MATCH,
    PRECONDITION_FAILED,
    PreconditionFailed,
    VersionedMixin,
)
from claims.api.versions import expected_version as if_match_version
from claims.exports import links, w3c
from claims.filters import AnnotationFilter, ClaimFilter, VerdictFilter
from claims.models import (
    Adjudication,
    Annotation,
    Article,
    Claim,
    ErrorType,
    Source,
    Verdict,
    correlated_count,
)
from claims.text.excerpts import excerpt


def visible_claims(user):
    """Claims with the annotations and verdicts ``user`` may see (blind review): what
    ``ClaimSerializer`` shows, and nothing more (not the article, nor final labels)."""
    return Claim.objects.with_reviews(
        annotations=permissions.visible_work(user, Annotation.objects.all()),
        verdicts=permissions.visible_work(user, Verdict.objects.all()),
    )


class ArticleViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    parser_classes = [
        bounded.JSONParser,
        bounded.PlainTextParser,
        bounded.HtmlParser,
        parsers.FormParser,
        parsers.MultiPartParser,
    ]
    filterset_fields = ["language", "outlet"]

    def get_queryset(self):
        if self.action == "source_html":
            return Article.objects.only("id", "url", "source_html")
        queryset = (
            Article.objects.select_related("imported_by")
            .defer("source_html")  # the saved page has its own endpoint
            .annotate(
                claim_count=correlated_count(
                    Claim.objects.filter(article=OuterRef("pk")), "article"
                )
            )
            .order_by("-imported_at", "-id")
        )
        if self.action == "list":
            queryset = queryset.defer("text")  # a page of long transcripts is not read in full
        if self.action in ("retrieve", "create", "partial_update"):
            queryset = queryset.prefetch_related(
                Prefetch("claims", queryset=visible_claims(self.request.user))
            )
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ArticleDetailSerializer
        return serializers.ArticleSerializer

    @extend_schema(
        request={
            "application/json": serializers.ArticleInputSerializer,
            # The whole body is the article; its first line is the title.
            "text/plain": serializers.PLAIN_TEXT_ARTICLE,
            "text/html": serializers.SAVED_PAGE_ARTICLE,
        },
        responses={
            201: serializers.ArticleDetailSerializer,
            200: OpenApiResponse(
                serializers.ArticleDetailSerializer,
                description="The article was already stored (same url or same text).",
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        """Store an article and split it into claims; an article already stored is returned.

        A saved web page (``text/html``) is stored with the article it holds."""
        media_type = parse_header_parameters(request.content_type)[0]
        plain_text = media_type == bounded.PlainTextParser.media_type
        if media_type == bounded.HtmlParser.media_type:
            given = serializers.SavedPageInputSerializer(data=request.data)
        else:
            given = serializers.ArticleInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        result = services.article_import(
            **given.validated_data, imported_by=request.user, first_line_is_title=plain_text
        )
        article = self.get_queryset().get(pk=result.article.pk)
        return Response(
            serializers.ArticleDetailSerializer(article).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )

    @extend_schema(
        request=serializers.ArticleRevisionInputSerializer,
        responses=serializers.ArticleDetailSerializer,
    )
    def partial_update(self, request, *args, **kwargs):
        """Revise the article's text (editors): it is re-split, every annotation and final
        label re-anchored; the response's ``revision`` counts them per anchor."""
        article = self.get_object()
        if not permissions.may_revise_article(request.user):
            raise PermissionDenied("Only an editor can revise an article's text.")
        given = serializers.ArticleRevisionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        report = services.article_revise(article=article, by=request.user, **given.validated_data)
        article = self.get_queryset().get(pk=article.pk)
        return Response(
            {
                **serializers.ArticleDetailSerializer(article).data,
                "revision": serializers.RevisionReportSerializer(report).data,
            }
        )

    @extend_schema(responses=serializers.SavedPageSerializer)
    @action(detail=True, methods=["get"], url_path="source-html")
    def source_html(self, request, pk=None):
        """The web page the article was imported from, as imported (404 for an article that
        came as text)."""
        article = self.get_object()
        if not article.source_html:
            raise NotFound(f"Article {article.pk} was not imported from a web page.")
        return Response(serializers.SavedPageSerializer(article).data)


class ClaimViewSet(viewsets.ReadOnlyModelViewSet):
    """Claims in reading order (article, then position), paged by cursor: follow ``next``."""

    serializer_class = serializers.ClaimSerializer
    filterset_class = ClaimFilter
    pagination_class = ClaimPagination
    renderer_classes = [claim_pages.ClaimPageRenderer, BrowsableAPIRenderer]

    def get_queryset(self):
        if self.action == "list":  # written from rows by ``claim_page``: nothing prefetched
            return Claim.objects.order_by("article_id", "order")
        return visible_claims(self.request.user).order_by("article_id", "order")

    def filtered(self) -> bool:
        return not self.filterset_class.base_filters.keys().isdisjoint(self.request.query_params)

    def filter_queryset(self, queryset):
        # No filter asked for: skip building and validating the filter form, a sizeable
        # share of a page's CPU when the page itself is written by the database.
        return super().filter_queryset(queryset) if self.filtered() else queryset

    def list(self, request, *args, **kwargs):
        # The page below is read without the filter backends when no filter is asked for.
        refuse_unknown(request, list_parameters(self))
        user = request.user
        if claim_pages.applies(request):
            # The database reads the page's window and writes the page in one statement;
            # without filters the window is written out rather than built by the ORM.
            if self.filtered():
                queryset = self.filter_queryset(self.get_queryset())
                window = claim_pages.window_of(self.paginator.window(queryset, request))
            else:
                self.paginator.read(request)
                window = claim_pages.written_window(self.paginator)
            page = claim_pages.page_json(
                window, size=self.paginator.size, backwards=self.paginator.backwards, reader=user
            )
            self.paginator.link(page.more, page.first, page.last)
            return self.get_paginated_response(page.results)
        # Rows, not model instances: claim_page writes the claims from these columns.
        columns = ("id", "article_id", "order", "paragraph", "start", "end", "text", "kind")
        claims = self.filter_queryset(self.get_queryset()).values_list(*columns, named=True)
        claims = self.paginate_queryset(claims)
        page = representations.claim_page(
            claims,
            annotations=permissions.visible_work(user, Annotation.objects.all()),
            verdicts=permissions.visible_work(user, Verdict.objects.all()),
        )
        return self.get_paginated_response(page)


class AnnotationViewSet(VersionedMixin, viewsets.ModelViewSet):
    serializer_class = serializers.AnnotationSerializer
    representation = serializers.AnnotationSerializer
    filterset_class = AnnotationFilter

    def get_queryset(self):
        queryset = (
            Annotation.objects.select_related("claim", "reviewer", "error_type")
            .prefetch_related("sources")
            .order_by("claim__article_id", "start", "id")
        )
        return permissions.visible_work(self.request.user, queryset)

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action == "retrieve":
            # The annotation's W3C id is this URL: it answers JSON-LD to who asks for it.
            renderers.append(JsonLdRenderer())
        return renderers

    @extend_schema(
        responses={
            (200, "application/json"): serializers.AnnotationSerializer,
            (200, "application/ld+json"): W3C_ANNOTATION,
        }
    )
    def retrieve(self, request, *args, **kwargs):
        """The annotation; with ``Accept: application/ld+json``, as a W3C Web Annotation
        (the same document as in the ``w3c`` export)."""
        if isinstance(request.accepted_renderer, JsonLdRenderer):
            with links.at(site_of(request)):
                response = Response(w3c.for_annotation(self.get_object()))
        else:
            response = super().retrieve(request, *args, **kwargs)
        response["Vary"] = "Accept, Authorization, Cookie"
        return response

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.AnnotationInputSerializer
        if self.action in {"update", "partial_update"}:
            return serializers.AnnotationUpdateSerializer
        return serializers.AnnotationSerializer

    @extend_schema(responses={201: serializers.AnnotationSerializer, 409: CONFLICT})
    def create(self, request, *args, **kwargs):
        given = self.get_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        annotation = services.annotation_create(reviewer=request.user, **given.validated_data)
        return self.respond(annotation, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[IF_MATCH],
        responses={
            200: serializers.AnnotationSerializer,
            409: CONFLICT,
            412: PRECONDITION_FAILED,
        },
    )
    def update(self, request, *args, partial=False, **kwargs):
        annotation = self.get_object()
        version = if_match_version(request, annotation)
        given = self.get_serializer(annotation, data=request.data, partial=partial)
        given.is_valid(raise_exception=True)
        annotation = services.annotation_update(
            annotation, by=request.user, version=version, **given.validated_data
        )
        return self.respond(annotation, status.HTTP_200_OK)

    @extend_schema(
        parameters=[IF_MATCH],
        responses={
            200: serializers.AnnotationSerializer,
            409: CONFLICT,
            412: PRECONDITION_FAILED,
        },
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        parameters=[IF_MATCH], responses={204: None, 409: CONFLICT, 412: PRECONDITION_FAILED}
    )
    def destroy(self, request, *args, **kwargs):
        annotation = self.get_object()
        services.annotation_delete(
            annotation, by=request.user, version=if_match_version(request, annotation)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class VerdictViewSet(VersionedMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Verdicts on claims; POST sets the caller's verdict on a claim (one per reviewer)."""

    serializer_class = serializers.VerdictSerializer
    representation = serializers.VerdictSerializer
    filterset_class = VerdictFilter

    def get_queryset(self):
        queryset = Verdict.objects.select_related("reviewer").order_by("claim_id", "id")
        return permissions.visible_work(self.request.user, queryset)

    @extend_schema(
        request=serializers.VerdictInputSerializer,
        parameters=[IF_MATCH],
        responses={
            201: serializers.VerdictSerializer,
            409: CONFLICT,
            412: PRECONDITION_FAILED,
        },
    )
    def create(self, request, *args, **kwargs):
        """Set your verdict on a claim; to change one you read, send its ETag in If-Match."""
        given = serializers.VerdictInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        mine = Verdict.objects.filter(
            claim=given.validated_data["claim"], reviewer=request.user
        ).first()
        version = None
        if mine is not None:
            version = if_match_version(request, mine)
        elif request.headers.get("If-Match") is not None:
            raise PreconditionFailed(
                "You have no verdict on this claim yet; leave out If-Match to set one."
            )
        verdict = services.verdict_set(
            reviewer=request.user, version=version, **given.validated_data
        )
        return self.respond(verdict, status.HTTP_201_CREATED)


class SourceViewSet(viewsets.ModelViewSet):
    queryset = Source.objects.none()  # the real one depends on the caller: get_queryset
    serializer_class = serializers.SourceSerializer
    # ``?search=`` over url and title: the workspace's source picker.
    filter_backends = [*api_settings.DEFAULT_FILTER_BACKENDS, filters.SearchFilter]
    search_fields = ["url", "title"]

    def get_queryset(self):
        return permissions.visible_sources(
            self.request.user, Source.objects.order_by("title", "url")
        )

    def perform_create(self, serializer):
        # An address the caller already stored is that source; anyone else's of the same
        # address is not reused (blind review): the service decides, as for a source typed
        # in an annotation.
        serializer.instance = services.source_get_or_create(
            new=services.NewSource(**serializer.validated_data), added_by=self.request.user
        )

    def perform_update(self, serializer):
        if "url" in serializer.validated_data:
            # A copy of another source of its adder is refused with that one's number (a
            # 400, not the constraint's 500); the instance is the one about to be saved.
            serializer.instance.url = serializer.validated_data["url"]
            serializer.instance.validate_unique()
        serializer.save()


class ErrorTypeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ErrorType.objects.all()
    serializer_class = serializers.ErrorTypeSerializer
    lookup_field = "slug"
    filterset_fields = ["family", "is_active"]


CLAIM_FILTER_PARAMETERS = [
    OpenApiParameter("article", OpenApiTypes.INT),
    OpenApiParameter("kind", OpenApiTypes.STR, many=True, enum=Claim.Kind.values),
    OpenApiParameter("error_type", OpenApiTypes.STR),
    OpenApiParameter("reviewer", OpenApiTypes.STR),
    OpenApiParameter("has_errors", OpenApiTypes.BOOL),
    OpenApiParameter(
        "search",
        OpenApiTypes.STR,
        description=ClaimFilter.base_filters["search"].extra["help_text"],
    ),
]


def filtered_claims(request, *, also: tuple[str, ...]) -> ClaimFilter:
    """The claims the claim filters of ``request`` select; ``also``: the view's other
    query parameters (any parameter besides is refused)."""
    refuse_unknown(request, {*ClaimFilter.base_filters, *also})
    claims = ClaimFilter(request.query_params, queryset=Claim.objects.all(), request=request)
    if not claims.is_valid():
        raise ValidationError(claims.errors)
    return claims


class ClaimExportView(APIView):
    """Labelled claims as a streamed file:
    ``?format=jsonl|csv|json|doccano|labelstudio|claimreview|w3c&labels=all|raw|final`` plus
    the claim filters (doccano and Label Studio: one document per article of the claims
    chosen; claimreview: final verdicts only)."""

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
            OpenApiParameter("labels", OpenApiTypes.STR, enum=list(exports.LABELS), default="all"),
            *CLAIM_FILTER_PARAMETERS,
        ],
        responses={
            (200, "application/x-ndjson"): OpenApiTypes.STR,
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/json"): {"type": "array", "items": {"type": "object"}},
            # w3c: one JSON-LD document (an object); claimreview: an array of ClaimReview.
            (200, "application/ld+json"): {
                "oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]
            },
        },
    )
    def get(self, request):
        name = request.query_params.get("format", "jsonl")
        writer = exports.WRITERS.get(name)
        if writer is None:
            raise ValidationError(
                {
                    "format": f"Unknown format “{excerpt(name)}”; "
                    f"use one of {', '.join(exports.WRITERS)}."
                }
            )
        labels = request.query_params.get("labels", "all")
        if labels not in exports.LABELS:
            raise ValidationError(
                {
                    "labels": f"Unknown labels “{excerpt(labels)}”; "
                    f"use one of {', '.join(exports.LABELS)}."
                }
            )
        if labels not in exports.labels_for(writer):
            raise ValidationError(
                {
                    "labels": f"The {name} format needs labels "
                    f"{' or '.join(exports.labels_for(writer))}, not {labels}."
                }
            )
        export = exports.Export(
            writer,
            filtered_claims(request, also=("format", "labels")).qs,
            labels=labels,
            site_url=site_of(request),
            annotations=permissions.visible_work(request.user, Annotation.objects.all()),
            verdicts=permissions.visible_work(request.user, Verdict.objects.all()),
            adjudications=permissions.visible_adjudications(
                request.user, Adjudication.objects.all()
            ),
        )
        response = StreamingHttpResponse(export, content_type=writer.content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="claims-{labels}.{writer.extension}"'
        )
        response["X-Export-Labels"] = labels
        return response
