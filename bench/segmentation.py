"""Compare sentence segmenters for claims/segmentation.py: accuracy and speed.

Run from the repository root:

    .venv/bin/python bench/segmentation.py

Accuracy is precision/recall/F1 on boundary offsets *inside lines* (a line
break is always a boundary, so counting those would flatter every method).
The gold units are claims: sentences, except that a quotation running over
several sentences stays one unit with its attribution, and that boilerplate
and heading lines are one unit each. Gold: the seed article plus HARD_CASES.

"Raw" rows run the segmenter alone on every line; "pipeline" rows run
claims.segmentation with that segmenter as its base (line kinds, quote
merging, title and acronym corrections).
"""

from __future__ import annotations

import re
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import syntok.segmenter  # noqa: E402

from claims import segmentation  # noqa: E402

SEED = REPO / "seeds" / "articles" / "blinken-beijing-2023.txt"

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

# Written after the corrections in claims.segmentation, and not used to tune
# them: the pipeline rows on these are the fairer estimate.
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


def regex_starts(line: str) -> list[int]:
    """Naive baseline: a boundary after . ! ? … and closing marks, before a capital or digit."""
    return [m.end() for m in _REGEX_BOUNDARY.finditer(line)]


_REGEX_BOUNDARY = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


def syntok_starts(line: str) -> list[int]:
    return [
        sentence[0].offset for paragraph in syntok.segmenter.analyze(line) for sentence in paragraph
    ]


pysbd_starts = segmentation._pysbd_sentence_starts


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

    return [(seed, seed_gold), _document(HARD_CASES), _document(HELD_OUT_CASES)]


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


def score(found: set[int], gold: set[int]) -> tuple[float, float, float]:
    hits = len(found & gold)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def per_second(run: Callable[[], object], seconds: float = 1.0) -> float:
    """Calls of ``run`` per second (best of 3 timings)."""
    number = max(1, int(seconds / max(timeit.timeit(run, number=1), 1e-6)))
    best = min(timeit.repeat(run, number=number, repeat=3))
    return number / best


def main() -> None:
    seed, hard, held_out = gold_documents()
    seed_text = seed[0]
    seed_lines = [seed_text[s:e] for s, e, _ in segmentation._lines(seed_text)]
    gold_sets = {"seed+hard": [seed, hard], "held-out": [held_out]}
    print(
        f"gold boundaries inside lines: seed article {len(seed[1])}, "
        f"{len(HARD_CASES)} hard cases {len(hard[1])}, "
        f"{len(HELD_OUT_CASES)} held-out cases {len(held_out[1])}"
    )
    print(f"speed: the seed article ({len(seed_text):,} characters), best of 3 timings\n")
    header = "".join(f"{name + ' P/R/F1':>24}" for name in gold_sets)
    print(f"{'method':<22}{header}{'art/s':>9}{'chars/s':>12}")

    backends = [("regex", regex_starts), ("syntok", syntok_starts), ("pysbd", pysbd_starts)]
    rows = [
        (f"{name} raw", starts, raw_boundaries, lambda s=starts: [s(x) for x in seed_lines])
        for name, starts in backends
    ]
    rows += [
        (
            f"{name} + pipeline",
            starts,
            pipeline_boundaries,
            lambda s=starts: segmentation._split(seed_text, s),
        )
        for name, starts in backends
    ]

    for label, starts, boundaries, run in rows:
        cells = ""
        errors = []
        for documents in gold_sets.values():
            found_all, gold_all = set(), set()
            for index, (text, gold) in enumerate(documents):
                found = boundaries(text, starts)
                shift = index * 10**7  # keep the documents' offsets apart
                found_all |= {b + shift for b in found}
                gold_all |= {b + shift for b in gold}
                errors += [
                    f"missed {text[b - 15 : b]!r} | {text[b : b + 12]!r}"
                    for b in sorted(gold - found)
                ]
                errors += [
                    f"false  {text[b - 15 : b]!r} | {text[b : b + 12]!r}"
                    for b in sorted(found - gold)
                ]
            precision, recall, f1 = score(found_all, gold_all)
            cells += f"{precision:>10.3f}{recall:>7.3f}{f1:>7.3f}"
        rate = per_second(run)
        print(f"{label:<22}{cells}{rate:>9,.0f}{rate * len(seed_text):>12,.0f}")
        if "-v" in sys.argv:
            for error in errors:
                print("      ", error)


if __name__ == "__main__":
    main()
