"""Password guessing is throttled and locked out; tokens can be revoked."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's


def ask_token(username, password, **extra):
    return APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, **extra
    )


def test_a_user_gets_a_token_for_their_password(reviewer_ann):
    response = ask_token("ann", PASSWORD)
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=reviewer_ann).key


def test_the_token_endpoint_throttles_one_address(settings, reviewer_ann):
    settings.FACTCHECK_TOKEN_RATE = "3/minute"
    for guess in ("a", "b", "c"):
        assert ask_token("ann", guess).status_code == 400
    throttled = ask_token("ann", PASSWORD)
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert not Token.objects.exists()
    # Another address is not held back by the first one's guesses.
    assert ask_token("ann", PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_behind_a_proxy_the_throttle_counts_the_forwarded_address(settings, reviewer_ann):
    settings.FACTCHECK_TOKEN_RATE = "2/minute"
    settings.FACTCHECK_PROXY_COUNT = 1
    for guess in ("a", "b"):
        # What a client writes into X-Forwarded-For itself is ignored: only the last entry,
        # added by the proxy, counts.
        ask_token("ann", guess, HTTP_X_FORWARDED_FOR=f"1.1.1.{len(guess)}, 203.0.113.5")
    assert ask_token("ann", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    assert ask_token("ann", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 200


def test_repeated_wrong_passwords_lock_the_username_even_with_the_right_one(settings, reviewer_ann):
    settings.FACTCHECK_TOKEN_RATE = "100/minute"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert ask_token("ann", "wrong").status_code == 400
    assert ask_token("ann", PASSWORD).status_code != 200
    assert not Token.objects.exists()


def test_admin_login_locks_out_after_repeated_failures(settings, client, editor_eve, reviewer_ann):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        failed = client.post("/admin/login/", {"username": "eve", "password": "wrong"})
        assert failed.status_code == 200  # the login form again, with its error
    last = client.post("/admin/login/", {"username": "eve", "password": "wrong"})
    assert last.status_code == 429
    locked = client.post("/admin/login/", {"username": "eve", "password": PASSWORD})
    assert locked.status_code == 429
    assert b"locked" in locked.content.lower()
    assert "_auth_user_id" not in client.session
    # Someone else is not locked out by Eve's failures.
    other = client.post("/admin/login/", {"username": "ann", "password": PASSWORD})
    assert other.status_code == 302


def test_admin_login_still_works_with_the_right_password(client, editor_eve):
    response = client.post("/admin/login/", {"username": "eve", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor_eve.pk)


def test_a_user_revokes_their_own_token(reviewer_ann, api_as):
    client = api_as(reviewer_ann)
    assert client.get("/api/v1/claims/").status_code == 200
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert not Token.objects.filter(user=reviewer_ann).exists()
    assert client.get("/api/v1/claims/").status_code == 401


def test_revoking_needs_authentication(db):
    assert APIClient().delete("/api/v1/auth/token/").status_code == 401
    assert APIClient().delete("/api/v1/auth/tokens/ann/").status_code == 401


def test_an_editor_revokes_a_reviewers_token(reviewer_ann, editor_eve, api_as):
    ann = api_as(reviewer_ann)
    assert api_as(editor_eve).delete("/api/v1/auth/tokens/ann/").status_code == 204
    assert ann.get("/api/v1/claims/").status_code == 401
    assert api_as(editor_eve).delete("/api/v1/auth/tokens/nobody/").status_code == 404


@pytest.mark.parametrize("target", ["eve", "ben"])
def test_a_reviewer_cannot_revoke_someone_elses_token(
    target, reviewer_ann, reviewer_ben, editor_eve, api_as
):
    api_as(reviewer_ben), api_as(editor_eve)  # both hold tokens
    response = api_as(reviewer_ann).delete(f"/api/v1/auth/tokens/{target}/")
    assert response.status_code == 403
    assert Token.objects.filter(user__username=target).exists()
    assert api_as(reviewer_ann).delete("/api/v1/auth/tokens/ann/").status_code == 204


def test_an_editor_cannot_revoke_a_superusers_token(editor_eve, api_as, django_user_model):
    root = django_user_model.objects.create_superuser("root", password=PASSWORD)
    api_as(root)
    assert api_as(editor_eve).delete("/api/v1/auth/tokens/root/").status_code == 403
    assert Token.objects.filter(user=root).exists()
