"""Export benchmark: claims/s and peak RSS of the exports, through the command and the API,
beside the floor measured in the same run.

    .venv/bin/python bench/export.py [--sizes 100000 1000000] [--formats jsonl csv w3c]
                                     [--json] [--quick]

For each size, the corpus database of that size (``bench/corpus.py``) is built or reused.
Then each measurement runs in a fresh child process of its own, so that its peak RSS
(``VmHWM``) is that export's alone:

- the floor: the same work done the fastest way known. On PostgreSQL, the database building
  the same records itself (the export's own ``COPY … TO STDOUT`` statement), read with
  psycopg and thrown away, no Python work per row; on SQLite, the same columns read with
  ``sqlite3``, nothing encoded;
- for each format: ``export_claims --output /dev/null``, and the export through the API
  (``/api/v1/export/claims`` with Django's test client as the corpus's editor, the streamed
  chunks read and dropped).

The rate is claims/s; the ratio is the rate over the floor's. Issue 9 asks for JSONL at
≥ 0.5× the floor at 1,000,000 claims, and a peak RSS under 150 MB for every export (flat as
the corpus grows, because exports stream in chunks). jsonl is always measured; ``--formats``
adds the others beside it. Corpora live next to ``BENCH_CORPUS_URL`` (default: SQLite files
in var/bench/).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import corpus, databases, report  # noqa: E402

DEFAULT_CORPUS = f"sqlite:///{REPO / 'var' / 'bench' / 'corpus.sqlite3'}"
RATIO_TARGET = 0.5  # JSONL, of the floor's claims/s (issue 9)
RSS_TARGET_MB = 150
THROUGH = ("command", "api")


# --- one measurement, in a child process with Django set up on the corpus ----------------


def _floor_postgres() -> int:
    from django.db import connection

    from claims.exports import postgres
    from claims.models import Claim

    copy_statement = postgres.statement(Claim.objects.all(), labels="all")
    rows = 0
    with (
        connection.cursor() as cursor,
        postgres.without_jit(cursor),
        cursor.cursor.copy(copy_statement) as copy,
    ):
        while copy.read():  # each block one row, dropped: no Python work per row
            rows += 1
    return rows


# What the SQLite export reads: each claim with its article, and the labels around it.
SQLITE_FLOOR = [
    'SELECT c.id, c.article_id, ar.title, ar.url, c."order", c.paragraph, c.start, c."end", '
    "c.start_utf16, c.end_utf16, c.text, c.kind FROM claims_claim c "
    'JOIN claims_article ar ON ar.id = c.article_id ORDER BY c.article_id, c."order"',
    'SELECT a.id, a.claim_id, u.username, a.start, a."end", a.quote, a.anchor, e.slug, e.name, '
    "a.correction, a.note, a.severity FROM claims_annotation a "
    "JOIN auth_user u ON u.id = a.reviewer_id JOIN claims_errortype e ON e.id = a.error_type_id",
    "SELECT x.annotation_id, s.id, s.url, s.title, s.publisher, s.published_on, "
    "s.quoted_passage, s.accessed_on FROM claims_annotation_sources x "
    "JOIN claims_source s ON s.id = x.source_id",
    "SELECT v.claim_id, u.username, v.label, v.note FROM claims_verdict v "
    "JOIN auth_user u ON u.id = v.reviewer_id",
    "SELECT j.id, j.claim_id, u.username, j.updated_at, j.verdict, j.note "
    "FROM claims_adjudication j JOIN auth_user u ON u.id = j.editor_id",
    'SELECT f.id, f.adjudication_id, f.start, f."end", f.quote, f.anchor, e.slug, e.name, '
    "f.correction, f.note, f.severity FROM claims_finalannotation f "
    "JOIN claims_errortype e ON e.id = f.error_type_id",
    "SELECT x.finalannotation_id, s.id, s.url, s.title, s.publisher, s.published_on, "
    "s.quoted_passage, s.accessed_on FROM claims_finalannotation_sources x "
    "JOIN claims_source s ON s.id = x.source_id",
    "SELECT finalannotation_id, annotation_id FROM claims_finalannotation_from_annotations",
]


def _floor_sqlite() -> int:
    import sqlite3

    from django.db import connection

    from claims.models import Claim

    database = sqlite3.connect(connection.settings_dict["NAME"])
    for query in SQLITE_FLOOR:
        cursor = database.execute(query)
        while cursor.fetchmany(5000):  # dropped: nothing is encoded
            pass
    return Claim.objects.count()


def _labels(fmt: str) -> str:
    from claims import exports

    return exports.labels_for(exports.WRITERS[fmt])[0]  # ClaimReview: final labels only


def _export_command(fmt: str) -> int:
    import io

    from django.core.management import call_command

    said = io.StringIO()
    call_command(
        "export_claims",
        *("--format", fmt, "--labels", _labels(fmt), "--output", os.devnull),
        stderr=said,
    )
    return int(said.getvalue().split()[1])  # "Wrote N claims to ..."


def _export_api(fmt: str) -> int:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment
    from rest_framework.authtoken.models import Token

    from claims.models import Claim

    setup_test_environment()  # the test client's host name is allowed
    editor = get_user_model().objects.get(username=corpus.EDITOR)
    token, _ = Token.objects.get_or_create(user=editor)
    response = Client().get(
        f"/api/v1/export/claims?format={fmt}&labels={_labels(fmt)}",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    if response.status_code != 200:
        sys.exit(f"GET /api/v1/export/claims?format={fmt} answered {response.status_code}")
    records = 0
    with open(os.devnull, "wb") as sink:
        for chunk in response.streaming_content:
            sink.write(chunk)
            records += chunk.count(b"\n")
    response.close()
    # Formats other than JSONL do not hold one line per claim: count the claims instead.
    return records if fmt == "jsonl" else Claim.objects.count()


def measure(way: str) -> None:
    """Child process: one way of exporting; print rows, seconds and this process's peak RSS."""
    import django

    django.setup()
    from django.db import connection

    began = time.perf_counter()
    if way == "floor":
        rows = _floor_postgres() if connection.vendor == "postgresql" else _floor_sqlite()
    else:
        fmt, through = way.split("-")
        rows = _export_command(fmt) if through == "command" else _export_api(fmt)
    seconds = time.perf_counter() - began
    print(json.dumps({"rows": rows, "seconds": seconds, "rss_mb": report.own_peak_rss_mb()}))


# --- the run: corpus, children, figures ---------------------------------------------------


def run_child(way: str, url: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", way],
        env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "factcheck.settings"},
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    if done.returncode:
        sys.exit(f"bench/export.py --measure {way} failed on {url}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def metrics_of(size: int, fmt: str, through: str, result: dict, floor_rate: float) -> list:
    label = f"export {fmt} via {through}, {size:,} claims"
    rate = result["rows"] / result["seconds"]
    return [
        report.Metric(
            f"{label}, rate",
            round(rate),
            "claims/s",
            floor=round(floor_rate),
            target=RATIO_TARGET if fmt == "jsonl" else None,
            target_of="ratio",
        ),
        report.Metric(
            f"{label}, peak RSS",
            round(result["rss_mb"]),
            "MB",
            target=RSS_TARGET_MB,
            higher_is_better=False,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Peak RSS must stay flat from a tenth of the corpus to all of it (100k to 1M).
    parser.add_argument("--sizes", type=int, nargs="+", default=[corpus.FULL // 10, corpus.FULL])
    parser.add_argument("--formats", nargs="+", default=["csv", "w3c"], help="besides jsonl")
    parser.add_argument("--json", action="store_true", help="print bench/run.py's JSON line")
    parser.add_argument("--quick", action="store_true", help=f"{corpus.QUICK:,} claims")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        measure(options.measure)
        return
    sizes = [corpus.QUICK] if options.quick else sorted(options.sizes)
    formats = ["jsonl", *(f for f in options.formats if f != "jsonl")]
    base = os.environ.get("BENCH_CORPUS_URL", DEFAULT_CORPUS)
    out = sys.stderr if options.json else sys.stdout
    print(f"database: {databases.vendor(base)}; one fresh process per export", file=out)
    print(
        f"{'claims':>10} {'format':>11} {'through':>8} {'claims/s':>9} {'floor/s':>9} "
        f"{'ratio':>6} {'peak MB':>8} {'seconds':>8}",
        file=out,
    )
    metrics = []
    for size in sizes:
        url, claims = corpus.built_in_child(base, size)
        floor = run_child("floor", url)
        floor_rate = floor["rows"] / floor["seconds"]
        print(
            f"{claims:>10,} {'':>11} {'floor':>8} {floor_rate:>9,.0f} {floor_rate:>9,.0f} "
            f"{1:>6.2f} {floor['rss_mb']:>8.0f} {floor['seconds']:>8.1f}",
            file=out,
            flush=True,
        )
        for fmt in formats:
            for through in THROUGH:
                result = run_child(f"{fmt}-{through}", url)
                if result["rows"] != claims:
                    sys.exit(f"{fmt} via {through} wrote {result['rows']} of {claims} claims")
                rate = result["rows"] / result["seconds"]
                print(
                    f"{claims:>10,} {fmt:>11} {through:>8} {rate:>9,.0f} {floor_rate:>9,.0f} "
                    f"{rate / floor_rate:>6.2f} {result['rss_mb']:>8.0f} "
                    f"{result['seconds']:>8.1f}",
                    file=out,
                    flush=True,
                )
                metrics += metrics_of(size, fmt, through, result, floor_rate)
    if options.json:
        report.emit("export", databases.vendor(base), metrics)


if __name__ == "__main__":
    main()
