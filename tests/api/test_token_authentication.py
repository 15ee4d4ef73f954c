"""API tokens: DRF's own TokenAuthentication (no hand-written copy to keep in step with
DRF at each upgrade), its rules as clients see them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import token_client


def with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_authenticates_its_own_user(reviewer_ann, editor_eve):
    for user in (reviewer_ann, editor_eve):
        response = token_client(user).get("/api/v1/error-types/")
        assert response.status_code == 200, response.content
        assert response.wsgi_request.user == user


def test_an_unknown_token_is_a_401_that_says_so(reviewer_ann):
    Token.objects.create(user=reviewer_ann)
    for key in ("0" * 40, "'OR'1'='1'--", "x" * 1000):
        response = with_key(key).get("/api/v1/claims/")
        assert response.status_code == 401
        assert response.json()["detail"] == "Invalid token."


def test_an_inactive_users_token_is_refused(reviewer_ann):
    key = Token.objects.create(user=reviewer_ann).key
    reviewer_ann.is_active = False
    reviewer_ann.save()
    response = with_key(key).get("/api/v1/claims/")
    assert response.status_code == 401
    assert response.json()["detail"] == "User inactive or deleted."


def test_a_revoked_token_no_longer_works(reviewer_ann):
    client = token_client(reviewer_ann)
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert client.get("/api/v1/claims/").status_code == 401


def test_the_token_class_is_drfs_own():
    from rest_framework.authentication import TokenAuthentication
    from rest_framework.settings import api_settings

    assert TokenAuthentication in api_settings.DEFAULT_AUTHENTICATION_CLASSES


def test_the_token_and_its_user_are_one_query(reviewer_ann):
    client = token_client(reviewer_ann)
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/claims/?page_size=1")
    token_reads = [q["sql"] for q in queries if "authtoken_token" in q["sql"]]
    assert len(token_reads) == 1 and "auth_user" in token_reads[0]


def test_the_tokens_user_has_the_permissions_djangos_backend_gives(db):
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.auth.models import Group, Permission

    from tests.factories import UserFactory

    desk = Group.objects.create(name="desk")
    desk.permissions.add(Permission.objects.get(codename="view_source"))
    both = UserFactory(username="both", groups=["reviewer"])
    both.user_permissions.add(Permission.objects.get(codename="export_claims"))
    both.groups.add(desk)
    cast = [
        both,
        UserFactory(username="reviewer", groups=["reviewer"]),
        UserFactory(username="editor", groups=["editor"]),
        UserFactory(username="nobody"),
        UserFactory(username="root", is_superuser=True),
    ]
    for user in cast:
        response = token_client(user).get("/api/v1/")
        authenticated = response.wsgi_request.user
        expected = ModelBackend().get_all_permissions(type(user).objects.get(pk=user.pk))
        assert authenticated.get_all_permissions() == expected, user.username
        may_view = authenticated.has_perm("claims.view_claim")
        assert may_view == ("claims.view_claim" in expected or user.is_superuser)
    first = token_client(cast[0]).get("/api/v1/").wsgi_request.user.get_all_permissions()
    assert {"claims.export_claims", "claims.view_source", "claims.view_claim"} <= first
