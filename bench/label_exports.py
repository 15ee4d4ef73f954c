"""doccano and Label Studio exports beside the JSONL export (the floor, same run), and the
import of the doccano file back into an empty database.

The document writers regroup records by article and read article texts once per batch of
articles; their cost over JSONL is that reading plus each article's text written once per
label set. (Their peak RSS at the corpus's sizes: ``bench/export.py --formats doccano
labelstudio``, which runs each export in a process of its own.)

    .venv/bin/python bench/label_exports.py [--sizes 1000 5000] [--json] [--quick]

Builds its own articles (the seed article, copied) in DATABASE_URL's database (bench/run.py's
scratch one; a temporary SQLite file without it).
"""

import argparse
import os
import sys
import tempfile
import time
from io import StringIO
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

from bench import report  # noqa: E402
from claims import exports, services  # noqa: E402
from claims.models import Annotation, Article, Assignment, Claim, ErrorType  # noqa: E402

SEED = Path(__file__).resolve().parent.parent / "seeds/articles/blinken-beijing-2023.txt"


def grow_to(claims_wanted: int, reviewer, error_type) -> None:
    text = SEED.read_text(encoding="utf-8")
    n = Claim.objects.count()
    while n < claims_wanted:
        article = services.article_import(title="", text=f"{text}\n\nCopy {n}. 🎉").article
        Assignment.objects.create(article=article, reviewer=reviewer)
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


def export(name: str, path: str = os.devnull) -> float:
    began = time.perf_counter()
    with open(path, "w", encoding="utf-8") as sink:
        for chunk in exports.WRITERS[name].write(exports.records(Claim.objects.all())):
            sink.write(chunk)
    return time.perf_counter() - began


def import_back(path: str) -> tuple[float, int]:
    Annotation.objects.all().delete()
    Assignment.objects.all().delete()
    Article.objects.all().delete()
    began = time.perf_counter()
    call_command("import_articles", path, stdout=StringIO(), stderr=StringIO())
    return time.perf_counter() - began, Annotation.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--json", action="store_true", help="print bench/run.py's JSON line")
    parser.add_argument("--quick", action="store_true", help="300 claims")
    options = parser.parse_args()
    sizes = [300] if options.quick else sorted(options.sizes)
    out = sys.stderr if options.json else sys.stdout
    call_command("migrate", verbosity=0)
    reviewer, _ = get_user_model().objects.get_or_create(username="bench")
    reviewer.groups.add(Group.objects.get(name="reviewer"))
    error_type = ErrorType.objects.get(slug="wrong-title")
    print(f"{'claims':>7} {'format':>12} {'seconds':>8} {'x jsonl':>8}", file=out)
    metrics = []
    for size in sizes:
        grow_to(size, reviewer, error_type)
        claims = Claim.objects.count()
        floor = export("jsonl")
        for name in ("doccano", "labelstudio"):
            seconds = export(name)
            print(f"{claims:>7} {name:>12} {seconds:>8.2f} {seconds / floor:>8.2f}", file=out)
            metrics.append(
                report.Metric(
                    f"{name} export, {size:,} claims, rate",
                    round(claims / seconds),
                    "claims/s",
                    floor=round(claims / floor),  # the JSONL writer's, on the same records
                )
            )
    saved = os.path.join(tempfile.mkdtemp(), "work.jsonl")
    export("doccano", saved)
    labels = Annotation.objects.count()
    seconds, back = import_back(saved)
    print(
        f"doccano import of {labels} labels: {seconds:.1f} s, {back} back, "
        f"{1000 * seconds / max(back, 1):.1f} ms per label",
        file=out,
    )
    if back != labels:
        sys.exit(f"the doccano import brought back {back} of {labels} labels")
    metrics.append(
        report.Metric(f"doccano import, {labels:,} labels", round(back / seconds), "labels/s")
    )
    if options.json:
        from django.db import connection

        report.emit("label_exports", connection.vendor, metrics)


if __name__ == "__main__":
    main()
