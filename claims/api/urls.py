from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from claims.api import views

router = DefaultRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("annotations", views.AnnotationViewSet, basename="annotation")
router.register("sources", views.SourceViewSet, basename="source")
router.register("error-types", views.ErrorTypeViewSet, basename="errortype")

urlpatterns = [
    path("", include(router.urls)),
    path("export/claims", views.ClaimExportView.as_view(), name="export-claims"),
    path("auth/token/", obtain_auth_token, name="api-token"),
]
