from django.urls import include, path
from rest_framework.routers import DefaultRouter

from claims.api import views
from claims.api.agreement import AgreementView
from claims.api.assignments import AssignmentViewSet
from claims.api.linked_data import ClaimReviewScriptView
from claims.api.tokens import TokenView, UserTokenView

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
    path(
        "articles/<int:pk>/claimreview.html",
        ClaimReviewScriptView.as_view(),
        name="article-claimreview",
    ),
    path("export/claims", views.ClaimExportView.as_view(), name="export-claims"),
    path("agreement", AgreementView.as_view(), name="agreement"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/tokens/<str:username>/", UserTokenView.as_view(), name="api-user-token"),
]
