"""Export benchmark: rows/s and peak RSS of the JSONL and CSV exports, beside the floor.

Grows a corpus to each size (articles of 50 claims; 1 claim in 5 with two reviewers'
annotations, a source and verdicts; 1 in 20 adjudicated with a final label), then exports
it in a fresh subprocess per measurement, so each peak RSS (``ru_maxrss``) is that export's
alone:

- through ``export_claims --output /dev/null`` and through the API (Django's test client,
  the response's streamed chunks read and dropped), as JSONL and as CSV;
- the floor, measured in the same run: on PostgreSQL the database building the same records
  itself (the export's own COPY statement, read with psycopg and dropped, no Python work
  per row); on SQLite the same columns read with ``sqlite3`` and not encoded.

The ratio is rows/s over the floor's rows/s. Prints a table, then one JSON line
``{"bench": "export", "db": ..., "metrics": [...]}`` for ``bench/run.py``.

    .venv/bin/python bench/export.py [--sizes 20000 100000] [--formats jsonl csv w3c]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench .venv/bin/python \\
        bench/export.py --sizes 100000 1000000

With DATABASE_URL, the database must be empty or one this script filled before: it grows
the corpus from whatever claims are there. Without it, a temporary SQLite file is used.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from claims.models import (  # noqa: E402
    Adjudication,
    Annotation,
    Article,
    Claim,
    ErrorType,
    FinalAnnotation,
    Source,
    Verdict,
)
from claims.models.articles import content_hash, utf16_fields  # noqa: E402
from claims.offsets import Utf16Offsets  # noqa: E402

CLAIMS_PER_ARTICLE = 50
ARTICLES_PER_BATCH = 200
RSS_TARGET_MB = 150
RATIO_TARGET = 0.5
THROUGH = ("command", "api")


# --- the corpus: swap this function for bench/corpus.py's when there is one ---------------


def _people():
    users = get_user_model().objects
    made = {}
    for name, group in (
        ("bench-ann", "reviewer"),
        ("bench-ben", "reviewer"),
        ("bench-eve", "editor"),
    ):
        made[name], created = users.get_or_create(username=name, defaults={"is_staff": True})
        if created:
            made[name].groups.add(Group.objects.get(name=group))
    return made["bench-ann"], made["bench-ben"], made["bench-eve"]


def _claim_text(n: int) -> str:
    flag = "🇫🇷 " if n % 10 == 3 else ""  # astral characters: the UTF-16 offsets move
    return (
        f"{flag}Minister {n} said the central bank raised rates by {n % 7} points on Monday, "
        f"officials in the capital told reporters after the meeting."
    )


@transaction.atomic
def _add_articles(first: int, count: int, people, kinds) -> None:
    ann, ben, eve = people
    articles, texts = [], []
    for a in range(first, first + count):
        sentences = [_claim_text(a * CLAIMS_PER_ARTICLE + i) for i in range(CLAIMS_PER_ARTICLE)]
        text = "\n\n".join(sentences)
        texts.append(sentences)
        articles.append(
            Article(title=f"Bench article {a}", text=text, content_hash=content_hash(text))
        )
    Article.objects.bulk_create(articles)
    claims = []
    for article, sentences in zip(articles, texts, strict=True):
        offsets, start = Utf16Offsets(article.text), 0
        for order, sentence in enumerate(sentences):
            end = start + len(sentence)
            start_utf16, end_utf16 = utf16_fields(offsets, start, end)
            claims.append(
                Claim(
                    article=article,
                    order=order,
                    paragraph=order,
                    start=start,
                    end=end,
                    start_utf16=start_utf16,
                    end_utf16=end_utf16,
                    text=sentence,
                )
            )
            start = end + 2
    Claim.objects.bulk_create(claims)
    tagged = [c for c in claims if c.order % 5 == 1]
    sources = Source.objects.bulk_create(
        Source(url=f"https://example.org/s/{c.pk}", title=f"Minutes {c.pk}", publisher="Bank")
        for c in tagged
    )
    annotations = []
    for claim in tagged:
        word = claim.text.index("Minister")
        for reviewer, error_type in ((ann, kinds[0]), (ben, kinds[1])):
            annotations.append(
                Annotation(
                    claim=claim,
                    reviewer=reviewer,
                    error_type=error_type,
                    start=claim.start + word,
                    end=claim.start + word + 8,
                    quote="Minister",
                    correction="Secretary",
                    note="per the minutes",
                )
            )
    Annotation.objects.bulk_create(annotations)
    Links = Annotation.sources.through
    Links.objects.bulk_create(
        Links(annotation_id=a.pk, source_id=s.pk)
        for a, s in zip(annotations[::2], sources, strict=True)
    )
    Verdict.objects.bulk_create(
        Verdict(claim=c, reviewer=r, label="inaccurate") for c in tagged for r in (ann, ben)
    )
    adjudicated = [(c, i) for i, c in enumerate(tagged) if c.order % 20 == 1]
    adjudications = Adjudication.objects.bulk_create(
        Adjudication(claim=c, editor=eve, verdict="inaccurate", note="checked")
        for c, _ in adjudicated
    )
    finals = FinalAnnotation.objects.bulk_create(
        FinalAnnotation(
            adjudication=j,
            start=annotations[2 * i].start,
            end=annotations[2 * i].end,
            quote="Minister",
            error_type=kinds[0],
            correction="Secretary",
        )
        for j, (_, i) in zip(adjudications, adjudicated, strict=True)
    )
    FinalSources = FinalAnnotation.sources.through
    FinalSources.objects.bulk_create(
        FinalSources(finalannotation_id=f.pk, source_id=sources[i].pk)
        for f, (_, i) in zip(finals, adjudicated, strict=True)
    )
    Origins = FinalAnnotation.from_annotations.through
    Origins.objects.bulk_create(
        Origins(finalannotation_id=f.pk, annotation_id=annotations[2 * i + k].pk)
        for f, (_, i) in zip(finals, adjudicated, strict=True)
        for k in (0, 1)
    )


def grow_corpus(claims_wanted: int) -> int:
    """Add articles until the database holds ``claims_wanted`` claims (rounded up)."""
    people = _people()
    kinds = list(ErrorType.objects.filter(slug__in=["wrong-name", "wrong-number"]))
    have = Article.objects.filter(title__startswith="Bench article").count()
    wanted = -(-claims_wanted // CLAIMS_PER_ARTICLE)
    while have < wanted:
        count = min(ARTICLES_PER_BATCH, wanted - have)
        _add_articles(have, count, people, kinds)
        have += count
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return Claim.objects.count()


# --- one measurement, in a fresh process ---------------------------------------------------


def _peak_rss_mb() -> float:
    """This process's peak resident memory. ``ru_maxrss`` on Linux starts a spawned child at
    its parent's peak (the high-water mark survives fork and exec), which here is the corpus
    builder's; ``VmHWM`` is the child's own memory's, so it is read where there is one."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _floor_postgres() -> int:
    from claims.exports import postgres

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

    said = io.StringIO()
    call_command(
        "export_claims",
        *("--format", fmt, "--labels", _labels(fmt), "--output", os.devnull),
        stderr=said,
    )
    return int(said.getvalue().split()[1])  # "Wrote N claims to ..."


def _export_api(fmt: str) -> int:
    from django.test import Client
    from django.test.utils import setup_test_environment
    from rest_framework.authtoken.models import Token

    setup_test_environment()  # the test client's host name is allowed
    token, _ = Token.objects.get_or_create(user=get_user_model().objects.get(username="bench-eve"))
    response = Client().get(
        f"/api/v1/export/claims?format={fmt}&labels={_labels(fmt)}",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 200, response.status_code
    records = 0
    with open(os.devnull, "wb") as sink:
        for chunk in response.streaming_content:
            sink.write(chunk)
            records += chunk.count(b"\n")
    response.close()
    # Formats other than JSONL do not hold one line per claim: the command counts them.
    return records if fmt == "jsonl" else Claim.objects.count()


def measure(way: str) -> None:
    """Child process: run one way of exporting and print rows, seconds and peak RSS."""
    began = time.perf_counter()
    if way == "floor":
        rows = _floor_postgres() if connection.vendor == "postgresql" else _floor_sqlite()
    else:
        fmt, through = way.split("-")
        rows = _export_command(fmt) if through == "command" else _export_api(fmt)
    seconds = time.perf_counter() - began
    print(json.dumps({"rows": rows, "seconds": seconds, "rss_mb": _peak_rss_mb()}))


def _run_child(way: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", way],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[20000, 100000])
    parser.add_argument("--formats", nargs="+", default=["jsonl", "csv"])
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        measure(options.measure)
        return
    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    metrics = []
    print(f"database: {vendor}; one fresh process per export; RSS is the process's peak")
    header = f"{'claims':>9} {'format':>6} {'through':>8} {'rows/s':>9} {'floor/s':>9} "
    print(header + f"{'ratio':>6} {'peak MB':>8} {'seconds':>8}")
    for size in sorted(options.sizes):
        began = time.perf_counter()
        claims = grow_corpus(size)
        print(f"(corpus of {claims} claims ready in {time.perf_counter() - began:.0f} s)")
        floor = _run_child("floor")
        floor_rate = floor["rows"] / floor["seconds"]
        print(
            f"{claims:>9} {'':>6} {'floor':>8} {floor_rate:>9.0f} {floor_rate:>9.0f} "
            f"{1:>6.2f} {floor['rss_mb']:>8.0f} {floor['seconds']:>8.1f}"
        )
        for fmt, through in [(f, t) for f in options.formats for t in THROUGH]:
            result = _run_child(f"{fmt}-{through}")
            assert result["rows"] == claims, (result, claims)
            rate = result["rows"] / result["seconds"]
            print(
                f"{claims:>9} {fmt:>6} {through:>8} {rate:>9.0f} {floor_rate:>9.0f} "
                f"{rate / floor_rate:>6.2f} {result['rss_mb']:>8.0f} {result['seconds']:>8.1f}"
            )
            name = f"export_{fmt}_{through}_{claims}"
            metrics += [
                {
                    "name": f"{name}_rows_per_s",
                    "value": round(rate),
                    "unit": "rows/s",
                    "floor": round(floor_rate),
                    "target": round(RATIO_TARGET * floor_rate),
                    "higher_is_better": True,
                },
                {
                    "name": f"{name}_peak_rss",
                    "value": round(result["rss_mb"], 1),
                    "unit": "MB",
                    "floor": round(floor["rss_mb"], 1),
                    "target": RSS_TARGET_MB,
                    "higher_is_better": False,
                },
            ]
    print(json.dumps({"bench": "export", "db": vendor, "metrics": metrics}))


if __name__ == "__main__":
    main()
