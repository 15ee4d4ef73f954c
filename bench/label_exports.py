"""doccano and Label Studio exports beside the JSONL export (the floor, same run), and the
import of the doccano file back into an empty database.

The document writers regroup records by article and read article texts once per batch of
articles; their cost over JSONL is that reading plus each article's text written once per
label set. Peak Python memory should stay flat as claims grow, as for JSONL.

    .venv/bin/python bench/label_exports.py [--sizes 1000 5000]
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
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


def export(name: str, path: str = os.devnull) -> tuple[float, float]:
    tracemalloc.start()
    began = time.perf_counter()
    with open(path, "w", encoding="utf-8") as sink:
        for chunk in exports.WRITERS[name].write(exports.records(Claim.objects.all())):
            sink.write(chunk)
    elapsed = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 2**20


def import_back(path: str) -> tuple[float, int]:
    Annotation.objects.all().delete()
    Assignment.objects.all().delete()
    Article.objects.all().delete()
    began = time.perf_counter()
    call_command("import_articles", path, stdout=StringIO(), stderr=StringIO())
    return time.perf_counter() - began, Annotation.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    sizes = parser.parse_args().sizes
    call_command("migrate", verbosity=0)
    reviewer, _ = get_user_model().objects.get_or_create(username="bench")
    reviewer.groups.add(Group.objects.get(name="reviewer"))
    error_type = ErrorType.objects.get(slug="wrong-title")
    print(f"{'claims':>7} {'format':>12} {'seconds':>8} {'x jsonl':>8} {'peak MiB':>9}")
    for size in sizes:
        grow_to(size, reviewer, error_type)
        claims = Claim.objects.count()
        floor, _ = export("jsonl")
        for name in ("jsonl", "doccano", "labelstudio"):
            seconds, peak = export(name)
            print(f"{claims:>7} {name:>12} {seconds:>8.2f} {seconds / floor:>8.2f} {peak:>9.1f}")
    saved = os.path.join(tempfile.mkdtemp(), "work.jsonl")
    export("doccano", saved)
    labels = Annotation.objects.count()
    seconds, back = import_back(saved)
    print(
        f"doccano import of {labels} labels: {seconds:.1f} s, {back} back, "
        f"{1000 * seconds / max(back, 1):.1f} ms per label"
    )


if __name__ == "__main__":
    main()
