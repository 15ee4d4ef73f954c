"""Export benchmark: throughput and peak Python memory of the exports as claims grow.

Builds throw-away articles in a temporary SQLite database (or DATABASE_URL's), tags every
statement, then streams each format's export to /dev/null, measuring with tracemalloc.
Flat peak memory across sizes is the point: exports stream in chunks. ``jsonl`` (the
records written as they come) is the floor the other formats are read against.

    .venv/bin/python bench/export.py [--sizes 1000 5000 20000] [--formats jsonl w3c]
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from claims import exports, services  # noqa: E402
from claims.models import Annotation, Claim, ErrorType  # noqa: E402

SEED = Path(__file__).resolve().parent.parent / "seeds/articles/blinken-beijing-2023.txt"


def grow_to(claims_wanted: int, reviewer, error_type) -> None:
    text = SEED.read_text(encoding="utf-8")
    n = Claim.objects.count()
    while n < claims_wanted:
        article = services.article_import(title="", text=f"{text}\n\nCopy {n}.").article
        Annotation.objects.bulk_create(
            Annotation(
                claim=c,
                reviewer=reviewer,
                error_type=error_type,
                start=c.start,
                end=c.start + 3,
                quote=c.text[:3],
            )
            for c in article.claims.filter(kind="statement")
        )
        n = Claim.objects.count()


def measure(format_name: str) -> tuple[int, float, float]:
    claims = 0

    def counted(records):
        nonlocal claims
        for claims, record in enumerate(records, start=1):  # noqa: B007
            yield record

    tracemalloc.start()
    began = time.perf_counter()
    with open(os.devnull, "w") as sink:
        writer = exports.WRITERS[format_name]
        for chunk in writer.write(counted(exports.records(Claim.objects.all()))):
            sink.write(chunk)
    elapsed = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return claims, elapsed, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--formats", nargs="+", default=["jsonl", "w3c"])
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    reviewer, _ = get_user_model().objects.get_or_create(username="bench")
    error_type = ErrorType.objects.get(slug="wrong-title")
    print(f"{'format':>12} {'claims':>8} {'seconds':>8} {'claims/s':>9} {'peak MiB':>9}")
    for size in options.sizes:
        grow_to(size, reviewer, error_type)
        for format_name in options.formats:
            claims, seconds, peak = measure(format_name)
            print(
                f"{format_name:>12} {claims:>8} {seconds:>8.2f} {claims / seconds:>9.0f} "
                f"{peak:>9.1f}"
            )


if __name__ == "__main__":
    main()
