"""Claim list benchmark: CPU time per page of ``/api/v1/claims/`` (100 claims with
annotations), in one process through Django's test client.

Builds ``--articles`` articles of 20 claims in a temporary SQLite database (or
DATABASE_URL's), two reviewers' annotations (one with a source) and verdicts on every
claim, then reads ``--pages`` pages of 100 by following ``next`` as an editor, and the
same number of requests for one error type (the floor: an authenticated request that
serializes almost nothing) in the same run.

    .venv/bin/python bench/claim_list.py [--articles 150] [--pages 20] [--json] [--quick]

``--json`` prints bench/run.py's JSON line; ``--quick`` 30 articles, 5 pages.
"""

import argparse
import os
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

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from claims import services  # noqa: E402
from claims.models import Annotation, Assignment, Claim, ErrorType, Source, Verdict  # noqa: E402


def build(articles: int):
    users = get_user_model().objects
    editor = users.create_user("bench-editor", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    reviewers = []
    for name in ("bench-ann", "bench-ben"):
        reviewer = users.create_user(name, password="x", is_staff=True)
        reviewer.groups.add(Group.objects.get(name="reviewer"))
        reviewers.append(reviewer)
    source = Source.objects.create(
        url="https://example.org/evidence", title="Evidence", published_on="2026-11-01"
    )
    error_type = ErrorType.objects.get(slug="wrong-number")
    for n in range(articles):
        text = "\n\n".join(f"Minister {n} said the bank raised rates by {m}." for m in range(20))
        article = services.article_import(title=f"Story {n}", text=text).article
        Assignment.objects.bulk_create(Assignment(article=article, reviewer=r) for r in reviewers)
    claims = list(Claim.objects.select_related("article").only("id", "start", "article_id"))
    rows = Annotation.objects.bulk_create(
        Annotation(
            claim=c,
            reviewer=r,
            start=c.start,
            end=c.start + 8,
            quote="Minister",
            error_type=error_type,
            correction="Secretary",
            note="A note.",
        )
        for c in claims
        for r in reviewers
    )
    Annotation.sources.through.objects.bulk_create(
        Annotation.sources.through(annotation_id=a.pk, source_id=source.pk) for a in rows[::2]
    )
    Verdict.objects.bulk_create(
        Verdict(claim=c, reviewer=r, label="inaccurate") for c in claims for r in reviewers
    )
    return editor, len(claims), len(rows)


def cpu_per_request(client, urls) -> tuple[float, int]:
    """Median CPU seconds of this process per request, and the queries of the last one."""
    times = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            began = time.process_time()
            response = client.get(url)
            times.append(time.process_time() - began)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return times[len(times) // 2], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print bench/run.py's JSON line")
    parser.add_argument("--quick", action="store_true", help="30 articles, 5 pages")
    options = parser.parse_args()
    if options.quick:
        options.articles, options.pages = 30, 5
    call_command("migrate", verbosity=0)
    setup_test_environment()
    editor, claims, annotations = build(options.articles)
    client = Client()
    client.force_login(editor)
    urls, url = [], "/api/v1/claims/?page_size=100"
    while url and len(urls) < options.pages:
        urls.append(url)
        url = client.get(url).json()["next"]  # also warms the caches
    page, queries = cpu_per_request(client, urls)
    floor, _ = cpu_per_request(client, ["/api/v1/error-types/wrong-number/"] * len(urls))
    summary = (
        f"claim list, {claims} claims, {annotations} annotations: {page * 1000:.1f} ms CPU "
        f"per page of 100 (median of {len(urls)} pages, {queries} queries); floor (one "
        f"error type) {floor * 1000:.1f} ms; page − floor {(page - floor) * 1000:.1f} ms"
    )
    print(summary, file=sys.stderr if options.json else sys.stdout)
    if options.json:
        report.emit(
            "claim_list",
            connection.vendor,
            [
                report.Metric(
                    f"claim list, {claims} claims, CPU per page of 100",
                    round(page * 1000, 1),
                    "ms",
                    floor=round(floor * 1000, 1),
                    higher_is_better=False,
                ),
                report.Metric(
                    "claim list, queries per page", queries, "queries", higher_is_better=False
                ),
            ],
        )


if __name__ == "__main__":
    main()
