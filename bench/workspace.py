"""Article pages benchmark: server time and queries to render an article of many claims.

Builds a 300-claim article with two reviewers' annotations (two per claim each, with a
source) and verdicts in a temporary SQLite database (or DATABASE_URL's), then renders
the annotation workspace (``/admin/claims/article/<id>/annotate/``) or the article's
change page (``--page change``) as an editor through Django's test client.

    .venv/bin/python bench/workspace.py [--claims 300] [--runs 5] [--json] [--quick]
        [--page annotate|change]

``--json`` prints bench/run.py's JSON line; ``--quick`` a 30-claim article, two runs.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import report  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Static URLs without a collected manifest: this measures the page, not the static files.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from claims import services  # noqa: E402
from claims.models import Annotation, Assignment, ErrorType, Source, Verdict  # noqa: E402


def build(claims: int):
    text = "\n\n".join(f"Minister {n} said the bank raised rates by {n}." for n in range(claims))
    article = services.article_import(title=f"{claims} claims", text=text).article
    users = get_user_model().objects
    editor = users.create_user("bench-editor", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    reviewers = []
    for name in ("bench-ann", "bench-ben"):
        reviewer = users.create_user(name, password="x", is_staff=True)
        reviewer.groups.add(Group.objects.get(name="reviewer"))
        Assignment.objects.create(article=article, reviewer=reviewer)
        reviewers.append(reviewer)
    source = Source.objects.create(url="https://example.org/evidence", title="Evidence")
    error_type = ErrorType.objects.get(slug="wrong-number")
    rows = Annotation.objects.bulk_create(
        Annotation(
            claim=c,
            reviewer=r,
            start=c.start + offset,
            end=c.start + offset + 8,
            quote=text[c.start + offset : c.start + offset + 8],
            error_type=error_type,
        )
        for c in article.claims.all()
        for r in reviewers
        for offset in (0, 4)
    )
    Annotation.sources.through.objects.bulk_create(
        Annotation.sources.through(annotation_id=a.pk, source_id=source.pk) for a in rows
    )
    Verdict.objects.bulk_create(
        Verdict(claim=c, reviewer=r, label="accurate")
        for c in article.claims.all()
        for r in reviewers
    )
    return article, editor, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print bench/run.py's JSON line")
    parser.add_argument("--quick", action="store_true", help="30 claims, two runs")
    parser.add_argument("--page", choices=["annotate", "change"], default="annotate")
    options = parser.parse_args()
    if options.quick:
        options.claims, options.runs = 30, 2
    call_command("migrate", verbosity=0)
    setup_test_environment()
    article, editor, annotations = build(options.claims)
    client = Client()
    client.force_login(editor)
    url = reverse(f"admin:claims_article_{options.page}", args=[article.pk])
    client.get(url)  # warm caches, as a second page view would find them
    times = []
    for _ in range(options.runs):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - began)
        assert response.status_code == 200
    name = "workspace page" if options.page == "annotate" else "article change page"
    summary = (
        f"{name}, {options.claims} claims, {annotations} annotations: "
        f"median {statistics.median(times) * 1000:.0f} ms server time "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}) over {options.runs} runs, "
        f"{len(queries)} queries, {len(response.content) // 1024} KiB"
    )
    print(summary, file=sys.stderr if options.json else sys.stdout)
    if options.json:
        page = f"{name}, {options.claims} claims"
        report.emit(
            "workspace",
            connection.vendor,
            [
                report.Metric(
                    f"{page}, median server time",
                    round(statistics.median(times) * 1000, 1),
                    "ms",
                    target=1000,
                    higher_is_better=False,
                ),
                report.Metric(f"{page}, queries", len(queries), "queries", higher_is_better=False),
            ],
        )


if __name__ == "__main__":
    main()
