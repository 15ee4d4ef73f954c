"""What a labelled file says, before anything is stored: articles and each reviewer's
spans, with offsets already turned into code points of the canonical text.

Pure Python (no Django): the readers build these, ``claims.services.label_sets`` stores them.
"""

from bisect import bisect_left
from dataclasses import dataclass, field

from claims.text.excerpts import excerpt
from claims.text.offsets import Utf16Offsets


@dataclass
class Span:
    start: int  # code points into the canonical text, end exclusive
    end: int
    label: str  # an error type's slug or name
    where: str  # which span of the set, for messages: "label 3", "region annotation-7"
    correction: str = ""
    note: str = ""
    severity: str = ""
    sources: list[dict] = field(default_factory=list)


@dataclass
class ClaimSpec:
    """A claim as our own export describes it, recreated as is (no re-splitting)."""

    order: int
    paragraph: int
    start: int
    end: int
    text: str
    kind: str


@dataclass
class VerdictSpec:
    claim_order: int
    label: str
    note: str = ""


@dataclass
class LabelSet:
    """One reviewer's labels on one article (or an article alone, without a reviewer)."""

    where: str
    article: dict  # fields for services.article_import: text, title, url, …
    reviewer: str | None = None
    spans: list[Span] = field(default_factory=list)
    claims: list[ClaimSpec] | None = None  # None: the real splitter cuts the claims
    verdicts: list[VerdictSpec] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was left out on purpose


class SpanProblem(ValueError):
    """A span that cannot be placed in the text; the message says which and why."""


def canonical(text: str) -> tuple[str, "OffsetMap"]:
    """The text as ``article_import`` stores it (line endings normalised) and the map from
    offsets into the given text to offsets into the stored one."""
    dropped = [i for i, char in enumerate(text) if char == "\r" and text[i + 1 : i + 2] == "\n"]
    stored = text.replace("\r\n", "\n").replace("\r", "\n")
    return stored, OffsetMap(dropped)


class OffsetMap:
    def __init__(self, dropped: list[int]):
        self.dropped = dropped

    def __call__(self, offset: int) -> int:
        # Each dropped \r strictly before the offset moves it back by one.
        return offset - bisect_left(self.dropped, offset) if self.dropped else offset


class Utf16ToCodePoints:
    """UTF-16 offsets (what JavaScript counts) of one text, as code points; an offset that
    falls between the two halves of a character beyond U+FFFF is refused."""

    def __init__(self, text: str):
        self.text = text
        astral = Utf16Offsets(text).astral
        # Where each astral character starts, counted in UTF-16 units.
        self.starts = [at + before for before, at in enumerate(astral)]
        self.astral = astral

    def __call__(self, offset: int) -> int:
        before = bisect_left(self.starts, offset)  # astral characters starting before it
        if before and self.starts[before - 1] + 1 == offset:
            raise SpanProblem(
                f"UTF-16 offset {offset} falls inside the character "
                f"“{self.text[self.astral[before - 1]]}”, which UTF-16 counts as two units"
            )
        return offset - before


def checked_span(start, end, what: str) -> tuple[int, int]:
    """``start``/``end`` as whole numbers with 0 <= start < end."""
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (start, end)):
        raise SpanProblem(f"{what}: start and end must be whole numbers")
    if not 0 <= start < end:
        raise SpanProblem(f"{what}: {start}–{end} is not a span (start must be before end)")
    return start, end


def check_inside(start: int, end: int, what: str, unit_length: int) -> None:
    if end > unit_length:
        raise SpanProblem(
            f"{what}: {start}–{end} runs past the end of the text ({unit_length} long)"
        )


def check_quote(text: str, start: int, end: int, quote, what: str) -> None:
    if isinstance(quote, str) and quote != text[start:end]:
        raise SpanProblem(
            f"{what}: offsets {start}–{end} hold “{excerpt(text[start:end])}”, "
            f"not “{excerpt(quote)}”"
        )
