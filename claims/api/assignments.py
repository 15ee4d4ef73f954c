"""Assignments over the API: editors assign and reopen, reviewers list and submit their own."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from claims import permissions, services
from claims.api.schema import CONFLICT
from claims.models import Article, Assignment


class MayViewAssignments(BasePermission):
    """Submitting is a reviewer's act on their own assignment, not a model-level "change"."""

    def has_permission(self, request, view):
        return permissions.may(request.user, "view", Assignment)


class AssignmentSerializer(serializers.ModelSerializer):
    article_title = serializers.CharField(source="article.title", read_only=True)
    reviewer = serializers.CharField(source="reviewer.username", read_only=True)
    assigned_by = serializers.CharField(
        source="assigned_by.username", read_only=True, default=None, allow_null=True
    )
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "article",
            "article_title",
            "reviewer",
            "state",
            "assigned_by",
            "assigned_at",
            "submitted_at",
            "progress",
        ]

    def get_progress(self, assignment) -> dict:
        return {
            "claims": assignment.claim_total,
            "annotations": assignment.annotation_total,
            "verdicts": assignment.judged_total,
        }


class AssignInputSerializer(serializers.Serializer):
    article = serializers.PrimaryKeyRelatedField(queryset=Article.objects.all())
    reviewers = serializers.ListField(
        child=serializers.SlugRelatedField(
            slug_field="username", queryset=get_user_model().objects.all()
        ),
        allow_empty=False,
        min_length=1,  # says in the schema what allow_empty=False says to the serializer
    )


class DistributeInputSerializer(serializers.Serializer):
    reviews_per_article = serializers.IntegerField(min_value=1, max_value=20)
    articles = serializers.ListField(
        child=serializers.PrimaryKeyRelatedField(queryset=Article.objects.all()),
        required=False,
        min_length=1,
        help_text="Leave out for every article short of reviews.",
    )


class AssignmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Editors see every assignment; a reviewer sees their own queue."""

    queryset = Assignment.objects.none()  # the real one depends on the caller: get_queryset
    serializer_class = AssignmentSerializer
    filterset_fields = {"article": ["exact"], "state": ["exact"], "reviewer__username": ["exact"]}

    def get_queryset(self):
        queryset = (
            Assignment.objects.select_related("article", "reviewer", "assigned_by")
            .defer("article__text", "article__source_html")  # megabytes a row, never shown
            .with_progress()
            .order_by("-assigned_at", "-id")
        )
        return permissions.visible_assignments(self.request.user, queryset)

    def get_permissions(self):
        if self.action == "submit":  # a reviewer's own act; the service checks whose
            return [MayViewAssignments()]
        return super().get_permissions()

    def _respond(self, assignments, code=status.HTTP_200_OK):
        rows = self.get_queryset().filter(pk__in=[a.pk for a in assignments])
        return Response(AssignmentSerializer(rows, many=True).data, status=code)

    def _respond_one(self, assignment):
        return Response(AssignmentSerializer(self.get_queryset().get(pk=assignment.pk)).data)

    @extend_schema(request=AssignInputSerializer, responses={201: AssignmentSerializer(many=True)})
    def create(self, request, *args, **kwargs):
        """Assign an article to reviewers (by username); existing assignments are kept."""
        given = AssignInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        created = services.assignments_create(by=request.user, **given.validated_data)
        return self._respond(created, status.HTTP_201_CREATED)

    @extend_schema(
        request=DistributeInputSerializer,
        responses={201: AssignmentSerializer(many=True), 409: CONFLICT},  # too few reviewers
    )
    @action(detail=False, methods=["post"])
    def distribute(self, request):
        """Give articles (default: every article short of reviews) N distinct reviewers each,
        least-loaded reviewers first."""
        given = DistributeInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        articles = given.validated_data.get("articles")
        created = services.assignments_distribute(
            reviews_per_article=given.validated_data["reviews_per_article"],
            by=request.user,
            articles=None
            if articles is None
            else Article.objects.filter(pk__in=[a.pk for a in articles]),
        )
        return self._respond(created, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: AssignmentSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit your review: it becomes read-only to you, and you see the others'."""
        assignment = self.get_object()
        if assignment.reviewer_id != request.user.pk:
            raise PermissionDenied("Only the assigned reviewer can submit their review.")
        return self._respond_one(services.assignment_submit(assignment, by=request.user))

    @extend_schema(request=None, responses={200: AssignmentSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen a submitted review so its reviewer can change it again (editors)."""
        if not permissions.manages_reviews(request.user):
            raise PermissionDenied("Only an editor can reopen a review.")
        return self._respond_one(services.assignment_reopen(self.get_object(), by=request.user))
