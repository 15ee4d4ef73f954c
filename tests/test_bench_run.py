"""bench/run.py: every script's JSON line collected into one table and one JSON file.

The smoke test runs the real harness with ``--quick`` on SQLite, on the two scripts that
cost least (the corpus and the splitter), so it stays a few seconds; the others follow the
same contract and are run by ``make bench``.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench import report, table

REPO = Path(__file__).resolve().parent.parent


def test_quick_run_prints_one_table_and_writes_the_json(tmp_path):
    output = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--only", "sqlite"]
        + ["--bench", "corpus", "segmentation", "--output", str(output)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    header = next(line for line in done.stdout.splitlines() if line.startswith("bench "))
    assert header.split() == ["bench", "db", "metric", "value", "floor", "ratio", "target", "met"]
    assert "corpus        sqlite  claims" in done.stdout
    assert "Golden Rules, ours (floor: pysbd)" in done.stdout

    results = json.loads(output.read_text())
    assert results["quick"] is True and results["machine"]["cpus"] >= 1
    runs = {run["bench"]: run for run in results["runs"]}
    assert set(runs) == {"corpus", "segmentation"}
    claims = {m["name"]: m["value"] for m in runs["corpus"]["metrics"]}["claims"]
    assert claims >= results["corpus_claims"]
    assert runs["corpus"]["db"] == "sqlite" and runs["segmentation"]["db"] is None
    speed = next(m for m in runs["segmentation"]["metrics"] if m["name"].endswith("vs pysbd"))
    assert speed["floor"] > 0 and speed["target"] == 10 and speed["target_of"] == "ratio"
    assert runs["corpus"]["peak_rss_mb"] > 0


def test_a_metric_is_met_by_its_value_or_by_its_ratio_to_the_floor():
    rss = report.Metric("peak RSS", 120, "MB", target=150, higher_is_better=False)
    assert rss.met is True
    assert report.Metric("peak RSS", 187, "MB", target=150, higher_is_better=False).met is False
    export = report.Metric("rate", 2_500, "claims/s", floor=36_600, target=0.5, target_of="ratio")
    assert export.ratio == pytest.approx(0.068, abs=0.001) and export.met is False
    assert report.Metric(
        "rate", 20_000, "claims/s", floor=36_600, target=0.5, target_of="ratio"
    ).met
    assert report.Metric("queries", 11, "queries").met is None


def test_the_json_line_is_read_back_and_a_missing_one_is_named():
    line = report.line("export", "postgresql", [report.Metric("rate", 10.0, "claims/s")])
    parsed = report.parse(f"people's output\n{line}\n")
    assert parsed["bench"] == "export" and parsed["metrics"][0].value == 10.0
    with pytest.raises(ValueError, match="no JSON line"):
        report.parse("a table for people only\n")
    with pytest.raises(ValueError, match="unknown keys"):
        report.parse('{"bench": "x", "db": null, "metrics": [{"name": "a", "valu": 1}]}')


def test_the_table_shows_skipped_and_failed_scripts_with_their_reason():
    runs = [
        {"bench": "import", "db": "sqlite", "skipped": "bench/import.py does not exist yet"},
        {"bench": "export", "db": "sqlite", "error": "exited with status 1"},
        {
            "bench": "export",
            "db": "postgresql",
            "metrics": [
                report.Metric(
                    "rate", 2_500, "claims/s", floor=36_600, target=0.5, target_of="ratio"
                )
            ],
        },
    ]
    machine = {
        "cpus": 2,
        "cpu": "x",
        "memory_gb": 4,
        "python": "3.11",
        "sqlite": "3",
        "postgresql": "15",
        "commit": "abc",
    }
    shown = table.render(runs, machine)
    assert "bench/import.py does not exist yet" in shown
    assert "FAILED: exited with status 1" in shown
    row = next(line for line in shown.splitlines() if line.startswith("export  postgresql"))
    assert row.split()[-6:] == ["36,600", "0.07×", "≥", "0.5×", "floor", "NO"]


def test_the_markdown_table_for_the_readme_has_the_same_rows():
    runs = [
        {"bench": "import", "db": "sqlite", "skipped": "bench/import.py does not exist yet"},
        {"bench": "corpus", "db": "sqlite", "metrics": [report.Metric("claims", 2029, "claims")]},
    ]
    lines = table.markdown(runs).splitlines()
    assert lines[0] == "| bench | db | metric | value | floor | ratio | target | met |"
    assert lines[2] == "| import | sqlite | bench/import.py does not exist yet |  |  |  |  |  |"
    assert lines[3] == "| corpus | sqlite | claims | 2,029 claims | - | - | - |  |"


def test_every_script_run_py_runs_exists_and_speaks_the_contract():
    # Read, not run: running them all is `bench/run.py --quick`'s job (minutes, not seconds).
    from bench import run

    for script in run.SCRIPTS:
        source = (REPO / script.path).read_text()
        assert '"--json"' in source and '"--quick"' in source, script.path
        assert re.search(rf'emit\(\s*"{script.name}"', source), (
            f"{script.path} must print its line with report.emit({script.name!r}, ...)"
        )


def test_a_corpus_copy_goes_into_a_folder_a_fresh_clone_does_not_have_yet(tmp_path):
    from bench import databases

    template = tmp_path / "template.sqlite3"
    template.write_bytes(b"migrated")
    copy = tmp_path / "var" / "bench" / "corpus-1000000.sqlite3"
    databases.fresh(f"sqlite:///{copy}", template=f"sqlite:///{template}")
    assert copy.read_bytes() == b"migrated"
