"""API tokens: get one for a username and password, revoke your own, editors revoke others'."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import permissions, services
from claims.api import serializers
from claims.api.throttling import TokenRequestThrottle


class TokenView(ObtainAuthToken):
    """POST a username and password for your token; DELETE (authenticated) revokes it."""

    throttle_classes = [TokenRequestThrottle]

    @extend_schema(
        request=serializers.CredentialsSerializer,
        responses={200: serializers.TokenSerializer},
        description="A token for a username and password; wrong credentials are a 400.",
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        if not request.user.is_authenticated:
            raise NotAuthenticated
        services.token_revoke(owner=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserTokenView(APIView):
    """DELETE revokes ``username``'s token: your own, or anyone's (but a superuser's) for an
    editor, e.g. when a reviewer's laptop is lost or they leave the newsroom."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, username: str):
        owner = get_object_or_404(get_user_model(), username=username)
        if not permissions.may_revoke_token(request.user, owner):
            raise PermissionDenied("Only editors revoke other people's tokens.")
        services.token_revoke(owner=owner)
        return Response(status=status.HTTP_204_NO_CONTENT)
