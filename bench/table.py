"""The table ``bench/run.py`` prints: one row per metric, beside its floor and target."""

from bench.report import Metric

HEADER = ("bench", "db", "metric", "value", "floor", "ratio", "target", "met")


def number(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def target_text(metric: Metric) -> str:
    if metric.target is None:
        return "-"
    sign = "≥" if metric.higher_is_better else "≤"
    if metric.target_of == "ratio":
        return f"{sign} {number(metric.target)}× floor"
    return f"{sign} {number(metric.target)} {metric.unit}"


def rows(runs: list[dict]) -> list[tuple[str, ...]]:
    table = []
    for run in runs:
        db = run["db"] or "-"
        if "skipped" in run or "error" in run:
            table.append((run["bench"], db, run.get("skipped") or f"FAILED: {run['error']}"))
            continue
        for metric in run["metrics"]:
            met = {True: "yes", False: "NO", None: ""}[metric.met]
            table.append(
                (
                    run["bench"],
                    db,
                    metric.name,
                    f"{number(metric.value)} {metric.unit}",
                    number(metric.floor),
                    f"{metric.ratio:.2f}×" if metric.ratio is not None else "-",
                    target_text(metric),
                    met,
                )
            )
    return table


def render(runs: list[dict], machine: dict) -> str:
    body = rows(runs)
    # A skipped or failed script's row is (bench, db, reason): only its first two cells
    # size the columns.
    widths = [
        max(len(row[i]) for row in [HEADER, *body] if len(row) == len(HEADER) or i < 2)
        for i in range(len(HEADER))
    ]
    numeric = {3, 4, 5}

    def cells(row: tuple[str, ...]) -> str:
        if len(row) < len(HEADER):  # a skipped or failed script: its reason spans the row
            return f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}"
        return "  ".join(
            f"{cell:>{widths[i]}}" if i in numeric else f"{cell:<{widths[i]}}"
            for i, cell in enumerate(row)
        ).rstrip()

    title = (
        f"{machine['cpus']} CPUs ({machine['cpu']}), {machine['memory_gb']} GB, "
        f"Python {machine['python']}, SQLite {machine['sqlite']}, "
        f"PostgreSQL {machine['postgresql'] or '-'}, commit {machine['commit']}"
    )
    rule = "-" * len(cells(HEADER))
    return "\n".join([title, rule, cells(HEADER), rule, *map(cells, body), rule])


def markdown(runs: list[dict]) -> str:
    """The same rows as a Markdown table, for docs/performance.md."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for row in rows(runs):
        cells = [*row, *[""] * (len(HEADER) - len(row))]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)
