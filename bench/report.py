"""What every benchmark prints for ``bench/run.py``: one JSON line of metrics. No Django.

The contract (bench/README.md says the same for people):

- A benchmark script accepts ``--json`` (print the JSON line as the last line of stdout,
  anything for people on stderr) and ``--quick`` (small sizes: the whole script in seconds,
  for the smoke test and a first look).
- ``run.py`` gives it ``DATABASE_URL``, an empty database of its own (it may write anything),
  and ``BENCH_CORPUS_URL``, next to which the corpus databases live, one per size
  (``corpus.database_for(os.environ["BENCH_CORPUS_URL"], claims)`` then ``corpus.build``).
- The line is ``{"bench": name, "db": "sqlite" | "postgresql" | null, "metrics": [...]}``;
  each metric is ``{"name", "value", "unit", "floor", "target", "target_of",
  "higher_is_better"}``:

  ``floor``   the same work done the fastest way known (e.g. PostgreSQL building the export's
              records itself), or the reference it is compared with (pysbd for the
              splitter), measured in the same run on the same machine; null if none.
  ``target``  the figure the issue asks for, or null; ``target_of`` says what it bounds:
              ``"value"`` (e.g. peak RSS < 150 MB) or ``"ratio"`` (value / floor, e.g.
              export rows/s ≥ 0.5 × the floor).
"""

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Metric:
    name: str
    value: float | None
    unit: str
    floor: float | None = None
    target: float | None = None
    target_of: str = "value"  # or "ratio": the target bounds value / floor
    higher_is_better: bool = True

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.floor:
            return None
        return self.value / self.floor

    @property
    def met(self) -> bool | None:
        """Whether the target is met; None when there is no target (or nothing measured)."""
        measured = self.ratio if self.target_of == "ratio" else self.value
        if self.target is None or measured is None:
            return None
        return measured >= self.target if self.higher_is_better else measured <= self.target


def metric_from(data: dict) -> Metric:
    fields = Metric.__dataclass_fields__
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"metric {data.get('name')!r} has unknown keys {sorted(unknown)}")
    return Metric(**data)


def line(bench: str, db: str | None, metrics: list[Metric]) -> str:
    return json.dumps({"bench": bench, "db": db, "metrics": [asdict(m) for m in metrics]})


def emit(bench: str, db: str | None, metrics: list[Metric]) -> None:
    """Print the JSON line (the last line of stdout)."""
    sys.stdout.flush()
    print(line(bench, db, metrics), flush=True)


def parse(stdout: str) -> dict:
    """The JSON line a script printed last, checked against the contract."""
    for text in reversed(stdout.strip().splitlines()):
        try:
            data = json.loads(text)
        except ValueError:
            continue
        if isinstance(data, dict) and "bench" in data:
            data["metrics"] = [metric_from(m) for m in data.get("metrics", [])]
            return data
    raise ValueError("no JSON line with a 'bench' key on stdout (run with --json?)")


def own_peak_rss_mb() -> float:
    """This process's own peak resident memory, for a child that measures itself.

    ``VmHWM`` (the high-water mark of this process's memory), not ``ru_maxrss``: on Linux a
    process started by fork and exec begins with its parent's ``ru_maxrss`` (the mark survives
    exec), which for a benchmark is the corpus builder's or the harness's, not its own.
    """
    for row in Path("/proc/self/status").read_text().splitlines():
        if row.startswith("VmHWM:"):
            return int(row.split()[1]) / 1024  # kB
    raise RuntimeError("/proc/self/status has no VmHWM: the benchmark runs on Linux")


@dataclass(frozen=True)
class Measured:
    returncode: int
    seconds: float
    peak_rss_mb: float
    stdout: str


def run_measured(command: list[str], *, env: dict | None = None, cwd=None) -> Measured:
    """Run ``command`` to its end; its wall time and the peak resident memory of that
    process alone (``wait4``'s rusage of this one child, in kilobytes on Linux).

    Its stdout is captured; its stderr goes to ours, so progress shows as it runs.
    """
    began = time.perf_counter()
    child = subprocess.Popen(
        command, env={**os.environ, **(env or {})}, cwd=cwd, stdout=subprocess.PIPE, text=True
    )
    stdout = child.stdout.read()
    child.stdout.close()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    seconds = time.perf_counter() - began
    return Measured(child.returncode, seconds, usage.ru_maxrss / 1024, stdout)
