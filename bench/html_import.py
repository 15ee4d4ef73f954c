"""HTML import benchmark: the cost of turning a saved page into an article's text and
metadata (claims.importers.web_pages, i.e. trafilatura plus our block walk), beside a floor
measured in the same run: lxml parsing the same page, the least any extractor must do.

Pages: the four test pages (tests/fixtures/html/), the wire page grown past 1 MB the way
real pages grow (inline state, styles, a long menu), and a 1 MB transcript (1 MB of
paragraphs, all of it text to keep). CPU time, best of --runs.

    .venv/bin/python bench/html_import.py [--runs 5] [--json] [--quick]

``--json`` prints bench/run.py's JSON line (the table goes to stderr); ``--quick`` the four
test pages only, timed once.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report  # noqa: E402
from claims.importers.web_pages import article_from_page, decode_page  # noqa: E402

PAGES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "html"


def megabyte_page(story: str) -> str:
    state = '{"story": {"body": "' + "x" * 700_000 + '"}}'
    menu = "".join(f"<li><a href='/section/{n}'>Section {n}</a></li>" for n in range(1_000))
    head, _, rest = story.partition("<body>")
    return (
        f"{head}<style>{'.c{color:red}' * 20_000}</style><body><nav><ul>{menu}</ul></nav>"
        f"<script type='application/json'>{state}</script>{rest}"
    )


def transcript_page(story: str) -> str:
    body = story.partition("<body>")[2]
    paragraphs = "".join(line for line in body.splitlines() if "paragraph__" in line)
    sections = "".join(f"<h2>Part {n}</h2>{paragraphs}" for n in range(250))
    return f"<html lang='en'><body><article><h1>Transcript</h1>{sections}</article></body></html>"


def best_cpu_seconds(work, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        began = time.process_time()
        work()
        best = min(best, time.process_time() - began)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print bench/run.py's JSON line")
    parser.add_argument("--quick", action="store_true", help="the test pages, timed once")
    options = parser.parse_args()
    runs = 1 if options.quick else options.runs
    pages = {path.name: decode_page(path.read_bytes()) for path in sorted(PAGES.glob("*.html"))}
    if not options.quick:
        pages["wire-style.html grown to 1 MB"] = megabyte_page(pages["wire-style.html"])
        pages["1 MB transcript"] = transcript_page(pages["wire-style.html"])
    rows = []
    for name, html in pages.items():
        extract = best_cpu_seconds(lambda html=html: article_from_page(html), runs)
        floor = best_cpu_seconds(lambda html=html: lxml.html.fromstring(html), runs)
        size = len(html.encode())
        rows.append(
            {
                "page": name,
                "bytes": size,
                "text_chars": len(article_from_page(html).text),
                "extract_ms": round(extract * 1000, 2),
                "lxml_parse_ms": round(floor * 1000, 2),
                "x_floor": round(extract / floor, 1),
                "extract_mb_per_s": round(size / extract / 1e6, 2),
            }
        )
    out = sys.stderr if options.json else sys.stdout
    header = f"{'page':32} {'bytes':>9} {'text':>7} {'extract ms':>11} {'lxml ms':>8} {'× lxml':>7}"
    print(header, file=out)
    for r in rows:
        print(
            f"{r['page']:32} {r['bytes']:>9,} {r['text_chars']:>7,} {r['extract_ms']:>11} "
            f"{r['lxml_parse_ms']:>8} {r['x_floor']:>7}",
            file=out,
        )
    if not options.json:
        print(json.dumps(rows))
        return
    report.emit(
        "html_import",
        None,
        [
            report.Metric(
                f"extract {r['page']}",
                r["extract_ms"],
                "ms",
                floor=r["lxml_parse_ms"],
                higher_is_better=False,
            )
            for r in rows
        ],
    )


if __name__ == "__main__":
    main()
