"""Every benchmark, on SQLite and on PostgreSQL, in one table: ``make bench``.

    .venv/bin/python bench/run.py [--quick] [--only sqlite|postgresql] [--bench NAME ...]

Each script of ``SCRIPTS`` runs in its own process with ``--json`` (and ``--quick``), on
each database, and prints one JSON line of metrics (the contract is in ``bench/report.py``
and bench/README.md); this collects them, prints one table (metric, value, floor measured in
the same run, ratio, target, met?) and writes everything, with the machine it ran on, to
``bench/results/latest.json`` (``--quick``: ``var/bench/quick.json``).

Databases: SQLite files under ``var/bench/`` (``--quick``: a temporary directory), and
PostgreSQL databases ``factcheck_bench*`` on ``$BENCH_POSTGRES_URL`` (default
``postgres://postgres@127.0.0.1:5432/factcheck_bench``), created as needed; an unreachable
PostgreSQL stops the run before anything is measured. The corpus databases (one per size)
are kept, so the next run reuses them; each script also gets a fresh scratch database,
dropped afterwards. A script that does not exist yet is listed as skipped.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

from bench import corpus, databases, report  # noqa: E402
from bench.table import markdown, render  # noqa: E402

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/factcheck_bench"


@dataclass(frozen=True)
class Script:
    name: str
    path: str  # from the repository root
    uses_database: bool = True
    renders_pages: bool = False  # needs the static files that collectstatic makes


# In the order they run. corpus.py first: it builds (or finds) the corpus the others reuse.
SCRIPTS = [
    Script("corpus", "bench/corpus.py"),
    Script("segmentation", "bench/segmentation.py", uses_database=False),
    Script("html_import", "bench/html_import.py", uses_database=False),
    Script("import", "bench/import.py"),
    Script("export", "bench/export.py"),
    Script("label_exports", "bench/label_exports.py"),
    Script("api_load", "bench/api_load.py", renders_pages=True),
    Script("workspace", "bench/workspace.py", renders_pages=True),
    Script("claim_list", "bench/claim_list.py"),
    Script("large_article", "bench/large_article.py", renders_pages=True),
]


def machine(postgres_url: str | None) -> dict:
    memory_kb = next(
        int(row.split()[1])
        for row in Path("/proc/meminfo").read_text().splitlines()
        if row.startswith("MemTotal:")
    )
    cpu = next(
        (
            row.split(":", 1)[1].strip()
            for row in Path("/proc/cpuinfo").read_text().splitlines()
            if row.startswith("model name")
        ),
        platform.processor(),
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(memory_kb / 2**20, 1),
        "python": platform.python_version(),
        "sqlite": __import__("sqlite3").sqlite_version,
        "postgresql": databases.server_version(postgres_url) if postgres_url else None,
        "commit": commit,
        "load_average": os.getloadavg(),
    }


def run_script(script: Script, options, db: str | None, urls: dict) -> dict:
    """One script on one database: its JSON line, wall time, peak RSS, or why it failed."""
    base = {"bench": script.name, "db": db, "script": script.path}
    if not (REPO / script.path).exists():
        return {**base, "skipped": f"{script.path} does not exist yet"}
    command = [sys.executable, str(REPO / script.path), "--json"]
    command += ["--quick"] if options.quick else []
    env = {"DJANGO_SETTINGS_MODULE": "factcheck.settings", "FACTCHECK_VAR_DIR": urls["var"]}
    scratch = None
    if db is not None:
        scratch = databases.fresh(urls["scratch"], template=urls["template"])
        env |= {
            "DATABASE_URL": scratch,
            "BENCH_CORPUS_URL": urls["corpus"],
            "BENCH_TEMPLATE_URL": urls["template"],
        }
    print(f"\n== {script.name} on {db or 'no database'}", file=sys.stderr, flush=True)
    try:
        measured = report.run_measured(command, env=env, cwd=REPO)
    finally:
        if scratch:
            databases.drop(scratch)
    base |= {"seconds": round(measured.seconds, 1), "peak_rss_mb": round(measured.peak_rss_mb)}
    if measured.returncode:
        return {**base, "error": f"exited with status {measured.returncode}"}
    try:
        line = report.parse(measured.stdout)
    except ValueError as error:
        return {**base, "error": str(error)}
    if line["bench"] != script.name or line["db"] not in (db, None):
        return {**base, "error": f"printed bench={line['bench']!r} db={line['db']!r}"}
    return {**base, "metrics": line["metrics"]}


def database_urls(options, db: str, workdir: Path) -> dict:
    if db == "sqlite":
        where = workdir if options.quick else REPO / "var" / "bench"
        urls = {
            "corpus": f"sqlite:///{where / 'corpus.sqlite3'}",
            "scratch": f"sqlite:///{workdir / 'scratch.sqlite3'}",
            "template": f"sqlite:///{workdir / 'migrated.sqlite3'}",
        }
    else:
        base = options.postgres_url + ("_quick" if options.quick else "")
        urls = {
            "corpus": base,
            "scratch": databases.with_suffix(base, "scratch"),
            "template": databases.with_suffix(base, "migrated"),
        }
    return urls | {"var": str(workdir)}


def manage(*commands: list[str], database: str, var: str) -> None:
    """Management commands, run one after the other in one process (Django starts once)."""
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "FACTCHECK_VAR_DIR": var,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
    }
    program = (
        "import sys, django; from django.core.management import call_command; django.setup()\n"
        f"for command in {list(commands)!r}: call_command(*command)"
    )
    subprocess.run([sys.executable, "-c", program], cwd=REPO, env=env, check=True)


def migrated_template(urls: dict) -> None:
    """Migrate the template database once per run; every scratch database is a copy."""
    databases.fresh(urls["template"])
    migrate = ["migrate", "--noinput", "--verbosity", "0"]
    manage(migrate, database=urls["template"], var=urls["var"])  # the cache table is a migration


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: seconds, not hours")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--bench", nargs="+", choices=[s.name for s in SCRIPTS])
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument(
        "--claims",
        type=int,
        help=f"corpus size for every script (default {corpus.FULL:,}; sets BENCH_CLAIMS)",
    )
    parser.add_argument("--output", type=Path)
    parser.add_argument(
        "--markdown",
        type=Path,
        metavar="RESULTS",
        help="run nothing: print a results file's table in Markdown (for docs/performance.md)",
    )
    options = parser.parse_args()
    if options.markdown:
        stored = json.loads(options.markdown.read_text())["runs"]
        runs = [
            {**run, "metrics": [report.metric_from(m) for m in run["metrics"]]} for run in stored
        ]
        print(markdown(runs))
        return 0
    if options.claims:
        os.environ["BENCH_CLAIMS"] = str(options.claims)
    output = options.output or (
        REPO / "var/bench/quick.json" if options.quick else BENCH / "results/latest.json"
    )
    dbs = [options.only] if options.only else ["sqlite", "postgresql"]
    postgres = options.postgres_url if "postgresql" in dbs else None
    if postgres:
        try:
            databases.check_reachable(postgres)
        except databases.Unreachable as error:
            print(f"bench: {error}", file=sys.stderr)
            return 2
    scripts = [s for s in SCRIPTS if not options.bench or s.name in options.bench]
    started = datetime.now(UTC)
    ran_on = machine(postgres)  # before the run: the commit measured, the load it began under
    runs = []
    with tempfile.TemporaryDirectory(prefix="factcheck-bench-") as workdir:
        # Pages render with the hashed static files of production settings (in workdir).
        if any(script.renders_pages for script in scripts):
            collect = ["collectstatic", "--noinput", "--verbosity", "0"]
            manage(collect, database="sqlite://:memory:", var=workdir)
        for db in dbs:
            urls = database_urls(options, db, Path(workdir))
            if any(s.uses_database for s in scripts):
                migrated_template(urls)
            for script in scripts:
                if script.uses_database:
                    runs.append(run_script(script, options, db, urls))
                elif db == dbs[0]:
                    runs.append(run_script(script, options, None, urls))
            if db == "postgresql":
                databases.drop(urls["template"])
    results = {
        "command": " ".join(["bench/run.py", *sys.argv[1:]]),
        "quick": options.quick,
        "corpus_claims": corpus.QUICK if options.quick else options.claims or corpus.FULL,
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": ran_on,
        "runs": [{**run, "metrics": [asdict(m) for m in run.get("metrics", [])]} for run in runs],
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(render(runs, results["machine"]), flush=True)
    print(f"\nwritten to {output}")
    return 1 if any("error" in run for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
