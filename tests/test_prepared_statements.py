"""On PostgreSQL, the statements a connection repeats are prepared: parsed and planned once.

``DB_PREPARE_THRESHOLD`` (factcheck/settings.py) turns on psycopg's server-side binding and
prepared statements; ``off`` leaves Django's defaults for a pooler that cannot keep them.
"""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from tests.factories import UserFactory, article

SETTINGS = Path(__file__).resolve().parent.parent / "factcheck" / "settings.py"
POSTGRES = "postgres://factcheck@db.internal:5432/factcheck"


def database_options(monkeypatch, tmp_path, **env) -> dict:
    """The DATABASES["default"]["OPTIONS"] that settings.py builds from this environment."""
    monkeypatch.setenv("FACTCHECK_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("DB_PREPARE_THRESHOLD", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))["DATABASES"]["default"].get("OPTIONS", {})


def test_postgresql_prepares_after_five_runs_by_default(monkeypatch, tmp_path):
    options = database_options(monkeypatch, tmp_path, DATABASE_URL=POSTGRES)
    assert options == {"server_side_binding": True, "prepare_threshold": 5}


def test_the_threshold_is_set_from_the_environment(monkeypatch, tmp_path):
    options = database_options(
        monkeypatch, tmp_path, DATABASE_URL=POSTGRES, DB_PREPARE_THRESHOLD="0"
    )
    assert options["prepare_threshold"] == 0


def test_off_leaves_djangos_client_side_binding_for_poolers(monkeypatch, tmp_path):
    options = database_options(
        monkeypatch, tmp_path, DATABASE_URL=POSTGRES, DB_PREPARE_THRESHOLD="off"
    )
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options


def test_a_malformed_threshold_stops_start_up_naming_it(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="DB_PREPARE_THRESHOLD='often'"):
        database_options(monkeypatch, tmp_path, DATABASE_URL=POSTGRES, DB_PREPARE_THRESHOLD="often")


def test_sqlite_is_left_alone(monkeypatch, tmp_path):
    options = database_options(
        monkeypatch, tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"
    )
    assert "prepare_threshold" not in options


@pytest.mark.django_db
def test_the_claim_lists_statements_are_prepared_on_a_connection_that_repeats_them(client):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's; SQLite has no server to plan")
    story = article("The minister said rates rose. The bank disagreed.")
    reader = UserFactory(groups=["editor"])
    client.force_login(reader)
    threshold = connection.settings_dict["OPTIONS"].get("prepare_threshold")
    assert threshold is not None, "the test database runs with DB_PREPARE_THRESHOLD=off"
    for _ in range(threshold + 2):
        response = client.get("/api/v1/claims/?page_size=100", HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        assert len(response.json()["results"]) == story.claims.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        prepared = [statement for (statement,) in cursor.fetchall()]
    # The page statement (written by the database, claims/api/claim_pages.py) and the
    # permission queries (Django's ModelBackend) are among them.
    assert any('"annotations":' in statement for statement in prepared), prepared
    assert any("codename" in statement for statement in prepared), prepared
