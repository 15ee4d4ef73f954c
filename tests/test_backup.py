"""Backup and restore with Django's own dumpdata/loaddata: everything round-trips."""

from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from rest_framework.authtoken.models import Token

from claims import services
from claims.models import Annotation, Article, ArticleRevision, FinalAnnotation, Source
from claims.seeding import load_seeds
from tests.factories import UserFactory

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# What the README's backup command leaves out: Django rebuilds these on migrate.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]
SKIPPED_MODELS = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "admin.logentry",
}


def _to_the_millisecond(value):
    # Django's JSON serializer writes times to the millisecond (DjangoJSONEncoder).
    if isinstance(value, datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


def _everything() -> dict[str, list]:
    """Every row of every model (history, users, groups, m2m included), keys as in the
    backup: natural where a model has one. A user's or group's id may change in the round
    trip (the database numbers them), but every reference to it is by name."""
    return {
        model._meta.label_lower: [
            {**row, "fields": {k: _to_the_millisecond(v) for k, v in row["fields"].items()}}
            for row in serializers.serialize(
                "python",
                model._default_manager.order_by("pk"),
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
            )
        ]
        for model in apps.get_models()
        if model._meta.label_lower not in SKIPPED_MODELS
    }


def _flush():
    if connection.vendor != "postgresql":
        call_command("flush", interactive=False, verbosity=0)
        return
    # The test runs inside a transaction, and PostgreSQL won't TRUNCATE (flush) tables with
    # deferred foreign-key checks pending in it: run them first, then defer them again, as
    # loaddata expects (rows come in model order, not in the order their keys need).
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, verbosity=0)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_dumpdata_and_loaddata_round_trip_everything_into_an_empty_database(db, tmp_path):
    load_seeds(SEEDS)
    article = Article.objects.get()
    editor = FinalAnnotation.objects.first().adjudication.editor
    services.article_revise(
        article=article,
        text=article.text.replace("Adding to the excitement", "Adding to the tension"),
        by=editor,
    )
    Source.objects.create(url="https://example.org/retracted", title="Retracted").delete()
    Token.objects.create(user=UserFactory(username="api-user", groups=["reviewer"]))
    before = _everything()
    assert ArticleRevision.objects.exists() and Annotation.objects.filter(anchor="orphaned")
    assert Source.history.filter(history_type="-").exists()
    assert Group.objects.get(name="editor").permissions.exists()

    backup = tmp_path / "backup.json.gz"
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        *(f"--exclude={label}" for label in EXCLUDED),
        output=str(backup),
        verbosity=0,
    )
    _flush()
    assert not Article.objects.exists() and not Group.objects.exists()
    call_command("loaddata", str(backup), verbosity=0)

    after = _everything()
    assert after.keys() == before.keys()
    for label, rows in before.items():
        assert after[label] == rows, f"{label} changed in the round trip"
    # The round trip covered every kind of row the issue names, each present.
    for label in [
        "claims.article",
        "claims.articlerevision",
        "claims.claim",
        "claims.annotation",
        "claims.verdict",
        "claims.source",
        "claims.assignment",
        "claims.adjudication",
        "claims.finalannotation",
        "claims.historicalannotation",
        "claims.historicalannotation_sources",
        "claims.historicalsource",
        "claims.historicalfinalannotation",
        "auth.user",
        "auth.group",
        "authtoken.token",
    ]:
        assert before[label], f"the test data has no {label}"
