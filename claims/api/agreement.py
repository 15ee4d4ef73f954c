"""``/api/v1/agreement``: agreement between reviewers over the claims the filters select."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from claims import permissions
from claims.agreement_report import agreement_report
from claims.api.views import CLAIM_FILTER_PARAMETERS, filtered_claims


class SeesAllWork(BasePermission):
    # Agreement compares reviewers with each other: only those who may see everyone's work.
    message = "Agreement statistics are for editors, who see every reviewer's work."

    def has_permission(self, request, view):
        return permissions.sees_all_work(request.user)


class AgreementView(APIView):
    """Agreement between reviewers' submitted reviews of the selected claims.

    Claim level (error or not, error types, verdict: Krippendorff's alpha, Fleiss' kappa,
    Cohen's kappa when there are exactly two reviewers, percent agreement), per error
    type (alpha, raw and final label counts) and span level (exact and overlap F1 per
    pair of reviewers). Takes the same filters as the claim export.
    """

    permission_classes = [SeesAllWork]

    @extend_schema(parameters=CLAIM_FILTER_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        claims = filtered_claims(request, also=(api_settings.URL_FORMAT_OVERRIDE,))
        return Response(agreement_report(claims.qs))
