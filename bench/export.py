"""Export benchmark: claims/s and peak RSS of ``export_claims`` on the corpus, as it grows.

    .venv/bin/python bench/export.py [--sizes 100000 1000000] [--formats jsonl csv w3c]
                                     [--json] [--quick]

For each size, the corpus database of that size (``bench/corpus.py``: one claim in five with
two reviewers' annotations and a source, final labels on half of those) is built or reused,
then ``manage.py export_claims --output /dev/null`` runs in a child process of its own:
claims per second, and that process's peak RSS (``wait4``), which must stay flat as the
corpus grows because exports stream in chunks. Corpora live next to ``BENCH_CORPUS_URL``
(default: SQLite files in var/bench/).

Not measured here yet: the floor (PostgreSQL building the same records itself) and the
export through the API; issue 9's export work adds them.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import corpus, databases, report  # noqa: E402

DEFAULT_CORPUS = f"sqlite:///{REPO / 'var' / 'bench' / 'corpus.sqlite3'}"


def measure(url: str, export_format: str) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one export of the whole database at ``url``."""
    measured = report.run_measured(
        [sys.executable, "manage.py", "export_claims", "--format", export_format]
        + ["--output", os.devnull],
        env={"DATABASE_URL": url},
        cwd=REPO,
    )
    if measured.returncode:
        sys.exit(f"export_claims --format {export_format} failed on {url}")
    return measured.seconds, measured.peak_rss_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Peak RSS must stay flat from a tenth of the corpus to all of it (100k to 1M).
    parser.add_argument("--sizes", type=int, nargs="+", default=[corpus.FULL // 10, corpus.FULL])
    # jsonl (records written as they come) is the floor the other formats are read against.
    parser.add_argument("--formats", nargs="+", default=["jsonl", "csv", "w3c"])
    parser.add_argument("--json", action="store_true", help="print bench/run.py's JSON line")
    parser.add_argument("--quick", action="store_true", help=f"{corpus.QUICK:,} claims")
    options = parser.parse_args()
    sizes = [corpus.QUICK] if options.quick else options.sizes
    base = os.environ.get("BENCH_CORPUS_URL", DEFAULT_CORPUS)
    out = sys.stderr if options.json else sys.stdout
    print(
        f"{'format':>6} {'claims':>10} {'seconds':>8} {'claims/s':>9} {'peak RSS MB':>12}", file=out
    )
    metrics = []
    for size in sizes:
        url = corpus.database_for(base, size)
        built = subprocess.run(
            [sys.executable, str(REPO / "bench/corpus.py"), "--claims", str(size), "--json"]
            + ["--database-url", url],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        claims = next(m.value for m in report.parse(built.stdout)["metrics"] if m.name == "claims")
        jsonl_rate = None
        for export_format in options.formats:
            seconds, peak = measure(url, export_format)
            rate = claims / seconds
            jsonl_rate = rate if export_format == "jsonl" else jsonl_rate
            print(
                f"{export_format:>6} {claims:>10,} {seconds:>8.1f} {rate:>9,.0f} {peak:>12.0f}",
                file=out,
            )
            label = f"export_claims {export_format}, {size:,} claims"
            metrics += [
                report.Metric(
                    f"{label}, rate",
                    round(rate),
                    "claims/s",
                    floor=None if export_format == "jsonl" else jsonl_rate,
                ),
                report.Metric(
                    f"{label}, peak RSS", round(peak), "MB", target=150, higher_is_better=False
                ),
            ]
    if options.json:
        report.emit("export", databases.vendor(base), metrics)


if __name__ == "__main__":
    main()
