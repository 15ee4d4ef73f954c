"""A fresh installation: settings that only read, the local secret, and a database that
``migrate`` alone makes ready (no ``createcachetable``: a container's entry point runs just
``migrate``). Each runs Django in a subprocess, as a deployment would, never in this one."""

import json
import os
import secrets
import stat
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import override_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def run_django(args: list[str], **env) -> subprocess.CompletedProcess:
    given = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env={**given, "DJANGO_SETTINGS_MODULE": "factcheck.settings", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def files_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*")) if folder.exists() else []


def test_importing_the_settings_writes_nothing(tmp_path):
    var = tmp_path / "var"  # not there: the settings must not make it
    script = "import django; django.setup(); from django.conf import settings; settings.STATIC_ROOT"
    done = run_django(["-c", script], FACTCHECK_VAR_DIR=str(var))
    assert done.returncode == 0, done.stderr
    assert not var.exists()

    var.mkdir()
    done = run_django(["-c", script], FACTCHECK_VAR_DIR=str(var))
    assert done.returncode == 0, done.stderr
    assert files_under(var) == []  # no secret_key, no static/


def test_create_local_secret_writes_a_private_key_once_that_the_settings_read(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("SECRET_KEY", raising=False)  # a benchmark module imported sets one
    var = tmp_path / "var"
    with override_settings(VAR_DIR=var):
        call_command("create_local_secret", stdout=StringIO())
        key_file = var / "secret_key"
        key = key_file.read_text()
        assert len(key) >= 50
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        call_command("create_local_secret", stdout=StringIO())
        assert key_file.read_text() == key  # a second run never replaces the key

    script = "from django.conf import settings; print(settings.SECRET_KEY)"
    done = run_django(["-c", script], FACTCHECK_VAR_DIR=str(var))
    assert done.stdout.strip() == key


def test_create_local_secret_runs_where_there_is_no_key_yet(tmp_path):
    """As make run calls it on a fresh clone: the check that wants a key must not stop it."""
    done = run_django(["manage.py", "create_local_secret"], FACTCHECK_VAR_DIR=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "secret_key").exists()
    done = run_django(["manage.py", "check"], FACTCHECK_VAR_DIR=str(tmp_path))
    assert done.returncode == 0, done.stderr


def test_without_any_secret_the_check_says_how_to_make_one(tmp_path):
    done = run_django(["manage.py", "check"], FACTCHECK_VAR_DIR=str(tmp_path))
    assert done.returncode != 0
    assert "claims.E002" in done.stderr
    assert "create_local_secret" in done.stderr
    assert files_under(tmp_path) == []


LOG_IN_THROUGH_THE_API = """
import json, django
django.setup()
from django.contrib.auth.models import Group, User
from django.test import Client

user = User.objects.create_user("rita", password="a long enough password")
user.groups.add(Group.objects.get(name="reviewer"))
client = Client()
wrong = client.post("/api/v1/auth/token/", {"username": "rita", "password": "nope"})
right = client.post(
    "/api/v1/auth/token/", {"username": "rita", "password": "a long enough password"}
)
token = right.json().get("token") if right.status_code == 200 else None
me = Client(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/error-types/")
print(json.dumps([wrong.status_code, right.status_code, me.status_code]))
"""


def test_migrate_alone_makes_a_database_whose_token_endpoint_works(tmp_path, empty_database):
    env = {
        "DATABASE_URL": empty_database,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FACTCHECK_VAR_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "testserver",
    }
    migrated = run_django(["manage.py", "migrate", "--noinput"], **env)
    assert migrated.returncode == 0, migrated.stderr

    done = run_django(["-c", LOG_IN_THROUGH_THE_API], **env)
    assert done.returncode == 0, done.stderr
    wrong, right, me = json.loads(done.stdout.strip().splitlines()[-1])
    assert (wrong, right, me) == (400, 200, 200)


def test_create_local_secret_writes_nothing_when_the_environment_has_the_key(tmp_path):
    done = run_django(
        ["manage.py", "create_local_secret"], FACTCHECK_VAR_DIR=str(tmp_path), SECRET_KEY="x" * 50
    )
    assert done.returncode == 0, done.stderr
    assert "no local key needed" in done.stdout
    assert files_under(tmp_path) == []
