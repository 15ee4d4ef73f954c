"""The cast every test can call on, and the seed article.

reviewer_ann and reviewer_ben are reviewers, editor_eve is an editor, outsider has an
account and no role at all.
"""

import os
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from claims import services
from tests.factories import SEED_ARTICLE, UserFactory, token_client


def pytest_configure(config):
    # WhiteNoise warns once per process while collectstatic has not made its folder yet
    # (the settings only read; a fresh clone has none).
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def pytest_collection_modifyitems(config, items):
    """Every transactional test keeps the migrated rows with serialized_rollback. One that
    does not is flushed after it, Django then recreates the content types, and the next
    serialized test on that worker fails to restore them (duplicate key): which test fails
    then depends on how xdist deals the tests out."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test needs "
                "@pytest.mark.django_db(transaction=True, serialized_rollback=True)"
            )


@pytest.fixture(scope="session")
def django_db_modify_db_settings_xdist_suffix(request):
    """One test database per xdist worker (``make test`` runs ``-n auto``), named after it:
    ``test_factcheck_gw0`` on PostgreSQL, ``var/test_factcheck_gw0.sqlite3`` on SQLite (the
    file keeps its extension). Without xdist (``-n 0``, ``-p no:xdist``) the name stays."""
    for database in django_settings.DATABASES.values():
        if database["ENGINE"] == "django.db.backends.sqlite3":
            # The settings only read: the folder of the test database is made here.
            Path(database["TEST"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    worker = getattr(request.config, "workerinput", {}).get("workerid")
    if not worker:
        return
    for database in django_settings.DATABASES.values():
        test = database.setdefault("TEST", {})
        if database["ENGINE"] == "django.db.backends.sqlite3":
            path = Path(test["NAME"])  # settings make it a file under var/, never memory
            test["NAME"] = str(path.with_stem(f"{path.stem}_{worker}"))
        else:
            test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_{worker}"


@pytest.fixture(autouse=True, scope="session")
def settings_for_tests():
    """For the whole session, so that worlds built once per module have them too."""
    try:
        django_settings.SECRET_KEY  # noqa: B018
    except ImproperlyConfigured:
        # A fresh clone has no var/secret_key yet, and the tests need none. Set, not
        # overridden: leaving an override would read the empty key back and fail.
        django_settings.SECRET_KEY = "tests-only-" + "k" * 50
    with override_settings(
        # The production hasher spends most of the suite's time on purpose.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # Production serves hashed copies made by collectstatic; tests render pages without.
        STORAGES={
            **django_settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture
def reviewer_ann(db):
    return UserFactory(username="ann", groups=["reviewer"])


@pytest.fixture
def reviewer_ben(db):
    return UserFactory(username="ben", groups=["reviewer"])


@pytest.fixture
def editor_eve(db):
    return UserFactory(username="eve", groups=["editor"])


@pytest.fixture
def outsider(db):
    return UserFactory(username="olly", is_staff=False)


@pytest.fixture
def seed_text() -> str:
    return SEED_ARTICLE.read_bytes().decode("utf-8")


@pytest.fixture
def seed_article(db, seed_text):
    return services.article_import(title="", text=seed_text).article


@pytest.fixture
def api_as():
    """An API client that authenticates by token, as a real client would."""
    return token_client


@pytest.fixture
def empty_database(tmp_path):
    """A database no one has touched, of the kind the suite runs on."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    server = urlsplit(os.environ["DATABASE_URL"])
    name = f"fc_fresh_{uuid.uuid4().hex[:12]}"
    admin = dict(
        host=server.hostname,
        port=server.port or 5432,
        user=server.username,
        password=server.password,
        dbname="postgres",
        autocommit=True,
    )
    with psycopg.connect(**admin) as pg:
        pg.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(server._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(**admin) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
