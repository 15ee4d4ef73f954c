from django.urls import include, path
from rest_framework.routers import DefaultRouter

from claims.api import views
from claims.api.agreement import AgreementView
from claims.api.assignments import AssignmentViewSet

router = DefaultRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("annotations", views.AnnotationViewSet, basename="annotation")
router.register("verdicts", views.VerdictViewSet, basename="verdict")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("sources", views.SourceViewSet, basename="source")
router.register("error-types", views.ErrorTypeViewSet, basename="errortype")

urlpatterns = [
    path("", include(router.urls)),
    path("export/claims", views.ClaimExportView.as_view(), name="export-claims"),
    path("agreement", AgreementView.as_view(), name="agreement"),
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
]
