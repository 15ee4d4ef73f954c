"""Compare sentence splitters for claims/text/segmentation.py: accuracy and speed, in one run.

Run from the repository root:

    .venv/bin/python bench/segmentation.py [-v] [--json-only] [--json] [--quick]

``--json`` prints bench/run.py's one JSON line (the table goes to stderr); ``--quick``
times a 20 KB document instead of 250 KB, briefly (a smoke test, not a measurement).

Splitters: ours (``claims.text.sentences``, alone and inside ``split_into_claims``),
pysbd, syntok, blingfire and a naive regex, all measured in the same run on the
same machine (a shared 2-core box: expect +-20% between runs).

Accuracy
  Golden Rules: pysbd's 48 English Golden Rules (``tests/golden_rules_en.py``);
  a rule counts when the splitter puts exactly the expected boundaries.
  News: precision/recall/F1 on boundary offsets *inside lines* (a line break
  is always a boundary, so counting those would flatter every method). The
  gold units are claims: sentences, except that a quotation running over
  several sentences stays one unit with its attribution, and that
  boilerplate and heading lines are one unit each. "seed+hard" is the seed
  article plus HARD_CASES; "held-out" cases were written after the pysbd
  corrections of the previous version and not used to tune them (but our
  splitter was written with them in view); "fresh" cases were written after
  our splitter and scored once, untuned: its fairest estimate, though small
  and written by the splitter's author.

Speed
  MB/s of UTF-8 text, best of 3 timings of CPU time (the machine may be
  shared), on the seed article (~5 KB), on a ~250 KB document (the seed
  article repeated, so that any slowdown comes from the length alone) and on
  the same 250 KB as one line with no line breaks. "x pysbd" is the speed on
  the 250 KB document over pysbd's. Third-party splitters are given one
  paragraph (line) at a time, as the pipeline gives lines to its splitter.
  pysbd is quadratic in a paragraph's length, so it is not run on the
  one-line document.

  "No slowdown" (our splitter's speed on 250 KB over its speed on 5 KB) is
  measured apart, the two documents timed in turn, round after round, and
  the median of each taken: timed minutes apart, as the table's rows are, the
  two figures differed by a quarter when the machine's speed changed between
  them.

"Raw" rows run the splitter alone on every line; "pipeline" rows run
``claims.text.segmentation`` (line kinds, quotation merging, title corrections)
with that splitter as its base: "ours + pipeline" is ``split_into_claims``.
"""

from __future__ import annotations

import contextlib
import json
import re
import statistics
import sys
import time
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import pysbd  # noqa: E402
import syntok.segmenter  # noqa: E402

from bench import report as bench_report  # noqa: E402
from claims.text import segmentation, sentences  # noqa: E402
from tests.golden_rules_en import GOLDEN_RULES, expected_starts  # noqa: E402

try:
    import blingfire
except ImportError as error:  # bench only: say so and measure the others
    blingfire = None
    BLINGFIRE_MISSING = f"blingfire not installed ({error}); pip install blingfire"

SEED = REPO / "seeds" / "articles" / "blinken-beijing-2023.txt"
LARGE_DOCUMENT_CHARS = 250_000

# Lines of the seed article that hold more than one claim, as their gold units.
# Every other line of the seed is one unit.
SEED_MULTI_UNIT_LINES = [
    [
        "Adding to the excitement was the fact that a Chinese spy balloon flew over the US "
        "mainland in early February this year.",
        "Blinken was scheduled to visit Beijing at the time but had to postpone the trip due to "
        "anger from both Republicans and Democrats over the balloon flying by and intelligence "
        "gathering on sensitive US military sites.",
    ],
    [
        "TOPSHOT -- U.S. Secretary of State Antony Blinken (L) shakes hands with Chinese "
        "President Xi Jinping at the Great Hall of the People in Beijing, June 19, 2023.",
        "On June 19, President Xi Jinping hosted Antony Blinken for talks in Beijing that marked "
        "the conclusion of two days of high-level talks by the US Secretary of State with Chinese "
        "officials.",
        # Two credits in a row are one credit block, not two claims (a judgement call).
        "(Photo by Leah MILLIS/POOL/AFP) (Photo by LEAH MILLIS/POOL/AFP via Getty Images)",
    ],
    [
        "U.S. Secretary of State Antony Blinken (left) shakes hands with China’s President Xi "
        "Jinping at the Great Hall of the People in Beijing June 19, 2023.",
        "(Photo by LEAH MILLIS/POOL/AFP via Getty Images)",
    ],
    [
        "Austin said during a Friday news conference he would continue trying to speak to his "
        "counterpart.",
        "In response to a question, he said, “I’m confident that in time that will happen. We’ll "
        "meet eventually, but we’re not there yet, not because we haven’t tried and we won’t keep "
        "trying.”",
    ],
]

# Hand-made news-style lines, each given as its gold units (joined by a space).
HARD_CASES = [
    [
        "“As of this writing, China has not agreed. I think this is an issue we need to work on. "
        "It’s very important that we restore those channels,” he said.",
        "Officials declined to comment.",
    ],
    ["“I think… It’s very important,” he said.", "Then he left."],
    ["Sec. Austin listened.", "Sen. Warren spoke."],
    [
        "Sen. Dianne Feinstein (D-CA) said so.",
        "Gov. Gavin Newsom (D-CA) agreed.",
        "Rep. Kevin McCarthy (R-CA) did not.",
    ],
    ["Lt. Col. Alexander Vindman testified on Tuesday.", "Gen. Mark Milley was not present."],
    ["Dr. Anthony Fauci spoke to reporters on Jan. 15.", "They listened for an hour."],
    ["The U.S. economy grew 2.4% in the second quarter.", "Analysts had expected 1.8%."],
    ["Revenue rose to $1.2bn, up 2.5% on the year.", "Net profit hit 3.5 million euros."],
    ["The deal — signed on Monday — is worth $4.5 billion.", "Critics say it is too small."],
    ["“Why?” he asked.", "“Because we can,” she replied."],
    ["‘We will not back down,’ the minister said.", "‘Not now, not ever.’"],
    ['She told reporters "No. Never. Not on my watch."', "Then she left the room."],
    ["The meeting ended at 10 a.m. on Friday.", "No agreement was reached."],
    ["He moved to the U.S. in 1990.", "He became a citizen in 1996."],
    ["The bill now goes to the U.S. Senate.", "A vote is expected next week."],
    ["Prices rose 0.5 percent in Sept.", "The Fed met on Nov. 1."],
    ["Is the war over?", "Not yet!", "Fighting continued on Sunday."],
    ["Mr. Smith and Mrs. Jones met Ms. Lee at St. Paul’s Cathedral.", "They left together."],
    ["Shares of Acme Inc. fell 3.2% after the report.", "The company did not respond."],
    ["The U.K. and the E.U. signed a pact in 2023.", "No. 10 welcomed it."],
    ["Sen. Ted Cruz (R-Texas) voted no.", "The bill passed 52-48."],
    ["👍 The post got 1.2 million likes.", "Its author deleted it."],
    ["中国外交部 said the talks were “candid.”", "No date was set."],
    ["The ruble fell to 98.5 per dollar — its lowest since March 2022.", "The bank raised rates."],
    [
        "In a statement, the White House said: “The president is confident. The talks will go on.”",
        "Beijing did not reply.",
    ],
    [
        "Austin said he would keep trying.",
        "In response, he said, “I’m confident that in time that will happen. "
        "We’ll meet eventually.”",
    ],
    ["The firm is based in Washington, D.C.", "It employs 1,200 people."],
    [
        "The remarks came after the U.S. Embassy in Beijing issued a warning.",
        "China protested.",
    ],
    ["About 3.5 million people voted, i.e. 62% of the electorate.", "Turnout was up."],
    ["The film grossed $1.2bn vs. $900m last year.", "Its sequel is due in 2025."],
    ["Blinken said the administration will “continue to work” to restore ties.", "China said no."],
    ["Ukraine’s Pres. Volodymyr Zelensky spoke by video.", "He thanked Congress."],
    ["Sen. Mitch McConnell (R-KY), 81, froze again.", "His office said he felt lightheaded."],
    ["The report was published by the U.N. on Thursday.", "It found 2023 was the hottest year."],
    ["He lived in the U.S.", "The move was hard.", "He went home in 2001."],
    ['"We are ready," he said.', '"We have been ready for months."'],
]

# Written after the pysbd corrections of the previous claims.text.segmentation, and
# not used to tune them. claims.text.sentences was written with these in view, so
# for it FRESH_CASES below are the held-out set.
HELD_OUT_CASES = [
    ["Police said the suspect, 34, was arrested at 2:30 a.m.", "He has not been charged."],
    ["The index closed at 4,512.3 points.", "Bond yields eased to 3.85%."],
    [
        "The drone struck a building in Kyiv’s Obolon district.",
        "Two people were hurt, police said.",
    ],
    [
        "Officials at the Dept. of Homeland Security declined to comment.",
        "A spokesman cited litigation.",
    ],
    [
        "“We are not going anywhere,” said Rep. Alexandria Ocasio-Cortez (D-N.Y.).",
        "Her office agreed.",
    ],
    ["The plant produces approx. 2,000 tons a day.", "It opened in 1987."],
    ["Netanyahu’s office said talks would resume “in the coming days.”", "Hamas did not comment."],
    ["The ship, the MV Galaxy Leader, was seized on Nov. 19.", "Its crew of 25 remains in Yemen."],
    ["What happens next?", "Nobody knows, the analyst said."],
    ["Apple Inc. reported $89.5 billion in revenue.", "iPhone sales fell 2.8%."],
    ["The vote was 6–3.", "Justice Sonia Sotomayor dissented."],
    ["He was born in St. Louis, Mo., in 1961.", "He later moved to Chicago."],
    ["The contract runs until Dec. 31, 2025.", "It can be extended."],
    ["‘This is a disgrace,’ one resident told the BBC.", "Others were more cautious."],
    ["The U.S. Supreme Court ruled 5-4 on Thursday.", "The decision overturns a 1973 precedent."],
    ["Temperatures hit 45.6C in Seville on Monday.", "Spain issued a red alert."],
    ["“No comment,” a spokesman said.", "“Ask the ministry.”"],
    ["The company’s CEO, John Doe Jr., resigned.", "His deputy takes over."],
    ["Ex-President Donald J. Trump posted on Truth Social.", "He called the ruling a “disgrace.”"],
    ["The storm made landfall near Ft. Myers, Fla.", "Over 1 million homes lost power."],
]


# Written after claims.text.sentences and scored once, not used to tune it: the
# fairer estimate of its accuracy on news text it has not seen.
FRESH_CASES = [
    ["The central bank held rates at 5.25% on Wednesday.", "Markets had priced in a pause."],
    ["Gov. Kathy Hochul signed the bill in Albany, N.Y., on Friday.", "It takes effect in July."],
    ["“It is over,” the coach said.", "“We lost to a better team.”"],
    ["Prof. Jane Liu of Stanford Univ. led the study.", "It was funded by the NIH."],
    ["The ceasefire began at 6 a.m. Sunday.", "Both sides reported violations."],
    ["The jury deliberated for 11 hrs.", "It returned a guilty verdict."],
    ["The measure passed 218-214.", "Speaker Mike Johnson called it a win."],
    ["Shares of Boeing Co. rose 2.1% to $210.35.", "The FAA did not comment."],
    ["Officials said 1,400 people were evacuated.", "Roads remain closed."],
    ["The talks in Geneva ended without a deal...", "Diplomats will meet again in May."],
    ["Why did the plan fail?", "Economists point to high costs."],
    ["The Rev. Al Sharpton spoke at the funeral.", "Hundreds attended."],
    ["He served in the U.S. Navy for 20 years.", "He retired as a captain."],
    ["The firm moved its HQ to Austin, Tex.", "It cited lower taxes."],
    ["Sgt. Maj. Lisa Grant was promoted on Aug. 3.", "She is the first woman in the role."],
    ["The virus was first detected in the U.K.", "It has since spread to 40 countries."],
    ["Inflation eased to 2.9% in Nov.", "Core prices rose 0.3% on the month."],
    ["The app, called eLearn, has 2 million users.", "iOS users can download it today."],
    [
        "In a post on X, he wrote: “We will win. Believe me.”",
        "His rival did not respond.",
    ],
    ["The winner, Dr. Amy Chen, 41, is from St. Louis.", "She will receive $50,000."],
]


def regex_starts(line: str) -> list[int]:
    """Naive baseline: a boundary after . ! ? … and closing marks, before a capital or digit."""
    return [m.end() for m in _REGEX_BOUNDARY.finditer(line)]


_REGEX_BOUNDARY = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


def syntok_starts(line: str) -> list[int]:
    return [
        sentence[0].offset for paragraph in syntok.segmenter.analyze(line) for sentence in paragraph
    ]


def blingfire_starts(line: str) -> list[int]:
    # Offsets are code points (checked on text with accents, CJK and emoji).
    _, offsets = blingfire.text_to_sentences_and_offsets(line)
    return [start for start, _ in offsets]


def pysbd_starts(line: str) -> list[int]:
    """pysbd's sentences located in the line left to right (its ``char_span``
    option drops sentences it cannot find again, so we locate them ourselves)."""
    sentences_found = pysbd.Segmenter(language="en", clean=False).segment(line)
    starts = []
    cursor = 0
    for sentence in sentences_found:
        sentence = sentence.strip()
        found = line.find(sentence, cursor) if sentence else -1
        if found != -1:
            starts.append(found)
            cursor = found + len(sentence)
    return starts


SPLITTERS: dict[str, Callable[[str], list[int]]] = {
    "ours": sentences.sentence_starts,
    "pysbd": pysbd_starts,
    "syntok": syntok_starts,
    "blingfire": blingfire_starts,
    "regex": regex_starts,
}
if blingfire is None:
    del SPLITTERS["blingfire"]


def gold_documents() -> list[tuple[str, set[int]]]:
    """(text, gold boundary offsets inside lines): seed article, hard cases, held-out cases."""
    seed = SEED.read_text(encoding="utf-8")
    seed_gold = set()
    for units in SEED_MULTI_UNIT_LINES:
        line_start = seed.index(units[0])
        cursor = line_start
        for unit in units:
            position = seed.index(unit, cursor)
            assert seed[cursor:position].strip() == "", f"gold unit out of place: {unit[:40]}"
            if position != line_start:
                seed_gold.add(position)
            cursor = position + len(unit)
        assert seed[cursor : cursor + 1] in ("", "\n"), f"gold line incomplete: {units[0][:40]}"

    return [
        (seed, seed_gold),
        _document(HARD_CASES),
        _document(HELD_OUT_CASES),
        _document(FRESH_CASES),
    ]


def _document(cases: list[list[str]]) -> tuple[str, set[int]]:
    """One line per case, blank lines between, and the gold boundaries inside lines."""
    text = ""
    gold = set()
    for units in cases:
        for i, unit in enumerate(units):
            if i:
                text += " "
                gold.add(len(text))
            text += unit
        text += "\n\n"
    return text, gold


def raw_boundaries(text: str, starts: Callable[[str], list[int]]) -> set[int]:
    found = set()
    for line_start, line_end, _ in segmentation._lines(text):
        line = text[line_start:line_end]
        found |= {line_start + b for b in starts(line) if 0 < b < len(line)}
    return found


def pipeline_boundaries(text: str, starts: Callable[[str], list[int]]) -> set[int]:
    line_starts = {start for start, _, _ in segmentation._lines(text)}
    return {s.start for s in segmentation._split(text, starts) if s.start not in line_starts}


def score(found: set[int], gold: set[int]) -> dict[str, float]:
    hits = len(found & gold)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def golden_rules(split: Callable[[str], list[int]]) -> tuple[int, list[str]]:
    """Golden Rules passed, and the texts of those failed."""
    failed = []
    for text, expected in GOLDEN_RULES:
        found = sorted({b for b in split(text) if 0 < b < len(text)})
        if found != expected_starts(text, expected):
            failed.append(text)
    return len(GOLDEN_RULES) - len(failed), failed


def claim_starts(text: str) -> list[int]:
    """``split_into_claims`` as a splitter: where its segments start."""
    return [s.start for s in segmentation.split_into_claims(text)]


def documents_for_speed(seed: str, large_chars: int = LARGE_DOCUMENT_CHARS) -> dict[str, str]:
    """The seed article; the seed article repeated to ~250 KB (one document, one
    paragraph per line); the same 250 KB as one line with no line breaks."""
    repeats = large_chars // (len(seed) + 2)
    large = "\n\n".join([seed] * repeats)
    return {"seed": seed, f"seed x{repeats}": large, "one line": " ".join(large.split())}


def per_line(starts: Callable[[str], list[int]]) -> Callable[[str], object]:
    """Run a splitter the way the pipeline does: on each line (paragraph)."""

    def run(text: str) -> object:
        return [starts(text[s:e]) for s, e, _ in segmentation._lines(text)]

    return run


@dataclass(frozen=True)
class Row:
    label: str
    golden: Callable[[str], list[int]]  # one Golden Rule text -> sentence starts
    boundaries: Callable[[str], set[int]]  # a gold document -> boundaries inside lines
    run: Callable[[str], object]  # what is timed on a document


def rows() -> list[Row]:
    table = [
        Row(
            f"{name} raw",
            starts,
            lambda text, s=starts: raw_boundaries(text, s),
            per_line(starts),
        )
        for name, starts in SPLITTERS.items()
    ]
    if blingfire is not None:
        # Its Python wrapper spends most of its time turning byte offsets into
        # character offsets: also time its fastest call, on the whole
        # document and without offsets (accuracy as in the raw row).
        table.append(
            Row(
                "blingfire fastest",
                blingfire_starts,
                lambda text: raw_boundaries(text, blingfire_starts),
                blingfire.text_to_sentences,
            )
        )
    table.append(
        Row(
            "ours + pipeline",  # split_into_claims, as the import calls it
            claim_starts,
            lambda text: pipeline_boundaries(text, sentences.sentence_starts),
            segmentation.split_into_claims,
        )
    )
    table.append(
        Row(
            "pysbd + pipeline",  # roughly the previous version (pysbd with corrections)
            lambda text: [seg.start for seg in segmentation._split(text, pysbd_starts)],
            lambda text: pipeline_boundaries(text, pysbd_starts),
            lambda text: segmentation._split(text, pysbd_starts),
        )
    )
    return table


def megabytes_per_second(run: Callable[[str], object], text: str, seconds: float = 1.0) -> float:
    """UTF-8 megabytes of ``text`` that ``run`` gets through per second (best of 3)."""
    # CPU time of this process, not wall time: the machine is shared, and
    # other jobs' load would otherwise count against whichever row ran then.
    timer = timeit.Timer(lambda: run(text), timer=time.process_time)
    once = max(timer.timeit(number=1), 1e-6)
    number = max(1, int(seconds / once))
    best = min(timer.repeat(number=number, repeat=3)) / number
    return len(text.encode("utf-8")) / best / 1e6


def speeds_side_by_side(
    run: Callable[[str], object], texts: list[str], rounds: int = 7, seconds: float = 0.2
) -> list[float]:
    """MB/s of ``run`` on each of ``texts``, timed in turn round after round (CPU time),
    the median of each: a change in the machine's speed meanwhile moves them all alike."""
    timers = [timeit.Timer(lambda text=text: run(text), timer=time.process_time) for text in texts]
    numbers = [max(1, int(seconds / max(timer.timeit(number=1), 1e-6))) for timer in timers]
    rates: list[list[float]] = [[] for _ in texts]
    runs = list(zip(texts, timers, numbers, rates, strict=True))
    for turn in range(rounds):
        # Each document first every other round: neither is always the one timed warm.
        for text, timer, number, measured in runs if turn % 2 == 0 else reversed(runs):
            measured.append(len(text.encode("utf-8")) * number / timer.timeit(number) / 1e6)
    return [statistics.median(measured) for measured in rates]


def main() -> None:
    verbose = "-v" in sys.argv
    json_only = "--json-only" in sys.argv
    contract = "--json" in sys.argv
    quick = "--quick" in sys.argv
    timing_seconds = 0.01 if quick else 1.0
    gold = gold_documents()
    gold_sets = {"seed+hard": gold[:2], "held-out": gold[2:3], "fresh": gold[3:]}
    documents = documents_for_speed(gold[0][0], 20_000 if quick else LARGE_DOCUMENT_CHARS)

    results: dict[str, dict] = {}
    errors: dict[str, list[str]] = {}
    for row in rows():
        passed, failed = golden_rules(row.golden)
        result: dict = {"golden_rules": passed, "golden_rules_failed": failed}
        errors[row.label] = []
        for set_name, docs in gold_sets.items():
            found_all, gold_all = set(), set()
            for index, (text, gold_set) in enumerate(docs):
                found = row.boundaries(text)
                shift = index * 10**7  # keep the documents' offsets apart
                found_all |= {b + shift for b in found}
                gold_all |= {b + shift for b in gold_set}
                errors[row.label] += [
                    f"missed {text[b - 15 : b]!r} | {text[b : b + 12]!r}"
                    for b in sorted(gold_set - found)
                ]
                errors[row.label] += [
                    f"false  {text[b - 15 : b]!r} | {text[b : b + 12]!r}"
                    for b in sorted(found - gold_set)
                ]
            result[set_name] = score(found_all, gold_all)
        result["mb_per_s"] = {
            doc_name: (
                None  # pysbd is quadratic in a line's length: minutes on one 250 KB line
                if row.label.startswith("pysbd") and "one line" in doc_name
                else megabytes_per_second(row.run, text, timing_seconds)
            )
            for doc_name, text in documents.items()
        }
        results[row.label] = result

    seed_name, large_name, _ = documents
    side_by_side = speeds_side_by_side(
        per_line(SPLITTERS["ours"]),
        [documents[seed_name], documents[large_name]],
        rounds=2 if quick else 7,
        seconds=0.01 if quick else 0.2,
    )
    baseline = results["pysbd raw"]["mb_per_s"]
    report = {
        "documents": {
            name: {"characters": len(text), "utf8_bytes": len(text.encode("utf-8"))}
            for name, text in documents.items()
        },
        "golden_rules_total": len(GOLDEN_RULES),
        "gold_boundaries": {
            "seed article": len(gold[0][1]),
            "hard cases": len(gold[1][1]),
            "held-out cases": len(gold[2][1]),
            "fresh cases": len(gold[3][1]),
        },
        "speed_vs_pysbd_raw": {
            label: {
                doc: (r["mb_per_s"][doc] / baseline[doc] if r["mb_per_s"][doc] else None)
                for doc in documents
                if baseline[doc]
            }
            for label, r in results.items()
        },
        "splitters": results,
        "ours_side_by_side_mb_per_s": dict(zip((seed_name, large_name), side_by_side, strict=True)),
        "versions": _versions(),
    }
    if blingfire is None:
        report["blingfire"] = BLINGFIRE_MISSING
    if contract:
        with contextlib.redirect_stdout(sys.stderr):
            _print_table(report, documents, verbose, errors)
        bench_report.emit("segmentation", None, contract_metrics(report, documents))
        return
    if not json_only:
        _print_table(report, documents, verbose, errors)
    print(json.dumps(report, indent=2))


def contract_metrics(report: dict, documents: dict[str, str]) -> list:
    """bench/run.py's metrics: our splitter beside pysbd (the issue's reference), the
    others for comparison, on the large document; Golden Rules passed."""
    Metric = bench_report.Metric
    seed, large, _ = documents
    size = f"{len(documents[large].encode('utf-8')) // 1000} KB"
    splitters = report["splitters"]
    pysbd_speed = splitters["pysbd raw"]["mb_per_s"][large]
    total = report["golden_rules_total"]
    metrics = [
        Metric(
            f"splitter speed, {size}, vs pysbd",
            splitters["ours raw"]["mb_per_s"][large],
            "MB/s",
            floor=pysbd_speed,
            target=10,
            target_of="ratio",
        ),
        Metric(
            f"splitter speed, {size} vs 5 KB (no slowdown)",
            report["ours_side_by_side_mb_per_s"][large],
            "MB/s",
            floor=report["ours_side_by_side_mb_per_s"][seed],
            target=0.8,
            target_of="ratio",
        ),
        Metric(
            f"split_into_claims speed, {size}, vs pysbd",
            splitters["ours + pipeline"]["mb_per_s"][large],
            "MB/s",
            floor=pysbd_speed,
        ),
        Metric(
            "Golden Rules, ours (floor: pysbd)",
            splitters["ours raw"]["golden_rules"],
            f"/{total}",
            floor=splitters["pysbd raw"]["golden_rules"],
            target=47,
        ),
    ]
    for label in ("syntok raw", "blingfire raw", "blingfire fastest"):
        if label in splitters:
            name = label.removesuffix(" raw")
            metrics.append(
                Metric(
                    f"{name} speed, {size}, vs pysbd",
                    splitters[label]["mb_per_s"][large],
                    "MB/s",
                    floor=pysbd_speed,
                )
            )
            metrics.append(
                Metric(f"Golden Rules, {name}", splitters[label]["golden_rules"], f"/{total}")
            )
    return metrics


def _print_table(report: dict, documents: dict[str, str], verbose: bool, errors: dict) -> None:
    print(
        f"gold boundaries inside lines: {report['gold_boundaries']}; "
        f"Golden Rules: {report['golden_rules_total']}"
    )
    sizes = ", ".join(f"{name} {len(text) / 1000:,.0f}K chars" for name, text in documents.items())
    print(f"speed documents: {sizes}; MB/s of UTF-8, best of 3")
    if "blingfire" in report:
        print(report["blingfire"])
    print()
    speed_header = "".join(f"{name:>16}" for name in documents)
    print(
        f"{'splitter':<18}{'golden':>7}{'seed+hard P/R/F1':>21}{'held-out P/R/F1':>21}"
        f"{'fresh P/R/F1':>21}"
        f"{speed_header}{'x pysbd':>9}"
    )
    for label, r in report["splitters"].items():
        cells = ""
        for set_name in ("seed+hard", "held-out", "fresh"):
            s = r[set_name]
            cells += f"{s['precision']:>9.2f}{s['recall']:>6.2f}{s['f1']:>6.2f}"
        speed = "".join(
            f"{v:>16.2f}" if v is not None else f"{'n/a':>16}" for v in r["mb_per_s"].values()
        )
        ratio = list(report["speed_vs_pysbd_raw"][label].values())[-1]
        print(
            f"{label:<18}{r['golden_rules']:>4}/{report['golden_rules_total']}{cells}{speed}"
            f"{ratio:>8.1f}x"
        )
        if verbose:
            for text in r["golden_rules_failed"]:
                print("       golden rule failed:", text[:70])
            for error in errors[label]:
                print("      ", error)
    print()


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    names = ["pysbd", "syntok"] + (["blingfire"] if blingfire else [])
    return {name: version(name) for name in names}


if __name__ == "__main__":
    main()
