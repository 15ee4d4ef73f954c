"""Large-article benchmark: time and peak memory of a ~1 MB import and a 500-claim page.

A 1 MB transcript is legitimate input. This posts one through the API (as text/plain, the
way a newsroom would send a transcript), then reads the claim list 500 claims at a time,
and prints wall time, queries run and the process's peak RSS growth for each step.

    .venv/bin/python bench/large_article.py [--chars 1000000] [--page-size 500] [--json] [--quick]

``--json`` prints bench/run.py's JSON line (the table goes to stderr); ``--quick`` a 50 KB
article, pages of 100.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import report  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("FACTCHECK_VAR_DIR", tempfile.mkdtemp())

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from tests.factories import UserFactory  # noqa: E402

SEED = Path(__file__).resolve().parent.parent / "seeds/articles/blinken-beijing-2023.txt"


def transcript(chars: int) -> str:
    """Seed paragraphs repeated, each copy numbered, up to ``chars`` characters."""
    seed = SEED.read_text(encoding="utf-8")
    parts, total, copy = [], 0, 0
    while total < chars:
        part = f"Part {copy}.\n\n{seed}\n\n"
        parts.append(part)
        total += len(part)
        copy += 1
    return "".join(parts)[:chars]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


STEPS: list[tuple[str, float, int, float]] = []  # name, seconds, queries, peak RSS growth


def step(name: str, action) -> object:
    before = peak_rss_mb()
    began = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = action()
    elapsed = time.perf_counter() - began
    STEPS.append((name, elapsed, len(queries), peak_rss_mb() - before))
    print(
        f"{name:<34} {elapsed:8.2f} s  {len(queries):6d} queries  "
        f"peak RSS {peak_rss_mb():7.1f} MB (+{peak_rss_mb() - before:.1f})"
    )
    return result


def metrics(chars: int) -> list[report.Metric]:
    size = f"{chars / 1e6:g} M chars"
    found = []
    for name, seconds, queries, growth in STEPS:
        found += [
            report.Metric(f"{size}: {name}", round(seconds, 2), "s", higher_is_better=False),
            report.Metric(f"{size}: {name}, queries", queries, "", higher_is_better=False),
            report.Metric(
                f"{size}: {name}, peak RSS growth", round(growth, 1), "MB", higher_is_better=False
            ),
        ]
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--json", action="store_true", help="print bench/run.py's JSON line")
    parser.add_argument("--quick", action="store_true", help="a 50 KB article")
    args = parser.parse_args()
    if args.quick:
        args.chars, args.page_size = 50_000, 100
    if args.json:  # people's output to stderr; stdout keeps the one JSON line
        sys.stdout = sys.stderr
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    editor = UserFactory(username="bench-editor", groups=["editor"])
    client = APIClient()
    client.force_authenticate(editor)
    text = transcript(args.chars)
    print(f"database: {connection.vendor}; article: {len(text):,} characters")
    print(f"{'step':<34} {'time':>10}  {'queries':>13}  memory")

    response = step(
        "POST /api/v1/articles/ (text/plain)",
        lambda: client.post("/api/v1/articles/", text.encode(), content_type="text/plain"),
    )
    assert response.status_code == 201, response.content[:300]
    article_id = response.json()["id"]
    claims = response.json()["claim_count"]
    print(f"  -> {claims:,} claims")
    page = step(
        f"GET claims, page of {args.page_size}",
        lambda: client.get(
            "/api/v1/claims/", {"article": article_id, "page_size": args.page_size, "page": 2}
        ),
    )
    assert page.status_code == 200, page.content[:300]
    step(
        "GET article (detail with claims)",
        lambda: client.get(f"/api/v1/articles/{article_id}/"),
    )
    step(
        "export jsonl of the article",
        lambda: b"".join(
            client.get(
                "/api/v1/export/claims", {"format": "jsonl", "article": article_id}
            ).streaming_content
        ),
    )
    if args.json:
        sys.stdout = sys.__stdout__
        report.emit("large_article", connection.vendor, metrics(len(text)))


if __name__ == "__main__":
    main()
