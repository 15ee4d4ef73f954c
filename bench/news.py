"""News-like article texts for the benchmark corpus: pure Python, no Django.

``article(index)`` always returns the same text for the same index, so a corpus grown in two
steps holds the same articles as one built at once. Each text is about 5 KB, the size of a
wire story (and of the seed article): a headline line, then paragraphs that mix the seed
article's own paragraphs (real machine-translated news) with generated ones that exercise
what the splitter must get right: titles and abbreviations ("Dr.", "U.S."), decimals, money
and times, quotations that run over several sentences, captions and credits, and text
outside the Basic Multilingual Plane (emoji, flags, mathematical letters) whose UTF-16
offsets differ from its code-point offsets.
"""

import random
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "seeds" / "articles" / "blinken-beijing-2023.txt"
TARGET_CHARS = 5_000

PEOPLE = [
    ("Dr.", "Amara Okafor", "the health minister"),
    ("Sen.", "Lisa Murkowski", "the Alaska Republican"),
    ("Gov.", "Gavin Newsom", "California's governor"),
    ("Mr.", "Olaf Scholz", "the German chancellor"),
    ("Ms.", "Jacinda Ardern", "New Zealand's former prime minister"),
    ("Prof.", "José Álvarez-Núñez", "an economist at the University of São Paulo"),
    ("Gen.", "Mark A. Milley", "the chairman of the Joint Chiefs of Staff"),
    ("Rep.", "Nancy Pelosi", "the former House speaker"),
]
PLACES = ["Beijing", "Washington", "Kyiv", "Nairobi", "Brussels", "São Paulo", "Zürich", "Jakarta"]
BODIES = ["the U.S. Treasury", "the European Commission", "the World Bank", "Acme Corp. Inc."]
THINGS = ["inflation", "the budget deficit", "unemployment", "grain exports", "carbon emissions"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
VERBS = [("rose", "risen"), ("fell", "fallen"), ("climbed", "climbed"), ("dropped", "dropped")]
FLAIR = ["🇺🇦", "📈", "🔥", "👍🏽", "𝐁𝐫𝐞𝐚𝐤𝐢𝐧𝐠", "🧑‍🔬", "😀"]


def _seed_paragraphs() -> list[str]:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    return [line for line in lines[1:] if len(line) > 80]


SEED_PARAGRAPHS = _seed_paragraphs()


def _number(rng: random.Random) -> str:
    return rng.choice(
        [
            f"{rng.randint(2, 99)}.{rng.randint(0, 9)}%",
            f"${rng.randint(1, 900)}.{rng.randint(1, 9)} billion",
            f"{rng.randint(1_000, 99_000):,}",
            f"{rng.randint(2, 40)} per cent",
        ]
    )


def _statement(rng: random.Random) -> str:
    title, name, role = rng.choice(PEOPLE)
    day, place, thing = rng.choice(DAYS), rng.choice(PLACES), rng.choice(THINGS)
    return rng.choice(
        [
            f"{thing.capitalize()} {rng.choice(VERBS)[0]} to {_number(rng)} in {place} last year, "
            f"according to {rng.choice(BODIES)}.",
            f"{title} {name}, {role}, said on {day} that {thing} had "
            f"{rng.choice(VERBS)[1]} by {_number(rng)} since 2019.",
            f"The meeting in {place} began at {rng.randint(1, 12)}:{rng.randint(10, 59)} "
            f"{rng.choice(['a.m.', 'p.m.'])} and lasted {rng.randint(2, 9)}.{rng.randint(1, 9)} "
            "hours.",
            f"Officials in the U.S. expect {thing} to reach {_number(rng)} by "
            f"{rng.randint(2025, 2040)}.",
            f"About {rng.randint(1_000, 99_000):,} people were affected, "
            f"{rng.choice(BODIES)} said.",
        ]
    )


def _quotation(rng: random.Random) -> str:
    """A quotation of two or three sentences with its attribution: one claim, not three."""
    _, name, _ = rng.choice(PEOPLE)
    sentences = [_statement(rng) for _ in range(rng.randint(2, 3))]
    return f"“{' '.join(sentences)[:-1]},” {name} told reporters in {rng.choice(PLACES)}."


def _paragraph(rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.35:
        return rng.choice(SEED_PARAGRAPHS)
    if shape < 0.55:
        return _quotation(rng)
    if shape < 0.62:
        return f"{rng.choice(FLAIR)} {_statement(rng)} {rng.choice(FLAIR)}"
    if shape < 0.67:
        return f"Photo: {rng.choice(PEOPLE)[1]} / Reuters"
    return " ".join(_statement(rng) for _ in range(rng.randint(1, 3)))


def _paragraph_pool(size: int = 4_000) -> list[str]:
    rng = random.Random("factcheck bench")
    return [_paragraph(rng) for _ in range(size)]


# Drawing whole paragraphs from a pool keeps a million claims' worth of text cheap to make;
# the headline and the order of the paragraphs make each article its own.
PARAGRAPHS = _paragraph_pool()


def article(index: int) -> str:
    """The text of the corpus's article ``index``: a headline line, a blank line, paragraphs.

    The headline carries the index, so no two articles share a text (articles are unique by
    their text's hash).
    """
    rng = random.Random(index)
    _, name, _ = rng.choice(PEOPLE)
    headline = f"{name} on {rng.choice(THINGS)} in {rng.choice(PLACES)} (report {index})"
    paragraphs, length = [], 0
    while length < TARGET_CHARS:
        paragraph = PARAGRAPHS[rng.randrange(len(PARAGRAPHS))]
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join([headline, *paragraphs]) + "\n"
