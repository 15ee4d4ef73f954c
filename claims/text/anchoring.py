"""Re-anchoring a tagged span after its article's text is revised.

Pure Python, no Django: ``claims.services.revisions`` calls ``anchor`` for every annotation
and final label when an editor replaces an article's text.

A span is found again in the new text by the first of these that works:

1. **exact**: its old offsets still hold its quote, with the same context around it
   (without the context check, "the" at the old offsets would anchor by coincidence after
   a paragraph is added above it);
2. **moved**: the quote occurs verbatim elsewhere; among several occurrences the one whose
   surrounding text best matches the context stored at creation wins, then the one
   nearest where the span is expected to be;
3. **fuzzy**: a stretch of the new text within a bounded edit distance of the quote
   (rapidfuzz's alignment finds the candidate, Levenshtein distance bounds it), e.g. after
   a typo fix, a quote-style or whitespace change inside the span;
4. otherwise **orphaned**: no offsets; the caller keeps the old quote.

Offsets are code-point indices, end exclusive, as everywhere in the project.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

CONTEXT_CHARS = 32

# The fuzzy step's bounds. A quote shorter than this is too ambiguous to match loosely:
# "US" is one edit from "UN".
FUZZY_MIN_QUOTE = 5
# At most this share of the quote's characters may differ (edits, Levenshtein).
FUZZY_MAX_EDIT_SHARE = 0.25
# How far the aligned candidate's ends may be moved to reduce the distance.
FUZZY_MAX_SHIFT = 8


class Anchor(StrEnum):
    EXACT = "exact"
    MOVED = "moved"
    FUZZY = "fuzzy"
    ORPHANED = "orphaned"


@dataclass(frozen=True)
class Span:
    """A span as stored: offsets into the old text (``None`` once orphaned), its quote
    and the text just before and after it when it was tagged."""

    start: int | None
    end: int | None
    quote: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Anchored:
    anchor: Anchor
    start: int | None = None
    end: int | None = None

    def quote_in(self, text: str) -> str | None:
        return None if self.start is None else text[self.start : self.end]


def context(text: str, start: int, end: int, size: int = CONTEXT_CHARS) -> tuple[str, str]:
    """The ``size`` characters before ``start`` and after ``end``."""
    return text[max(0, start - size) : start], text[end : end + size]


def anchor(span: Span, text: str, *, near: int | None = None) -> Anchored:
    """Where ``span`` is in the revised ``text``. ``near`` is where it is expected (the old
    start carried through the claims that did not change), used to break ties."""
    if not span.quote:
        return Anchored(Anchor.ORPHANED)
    near = span.start if near is None else near
    if (
        span.start is not None
        and text[span.start : span.end] == span.quote
        and _context_score(span, text, span.start, span.end) == 100
    ):
        return Anchored(Anchor.EXACT, span.start, span.end)
    occurrences = _occurrences(span.quote, text)
    if occurrences:
        start = max(occurrences, key=lambda at: _preference(span, text, at, near))
        return Anchored(Anchor.MOVED, start, start + len(span.quote))
    found = _fuzzy(span, text)
    if found is not None:
        return Anchored(Anchor.FUZZY, *found)
    return Anchored(Anchor.ORPHANED)


def _occurrences(quote: str, text: str) -> list[int]:
    found, at = [], text.find(quote)
    while at != -1:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def _context_score(span: Span, text: str, start: int, end: int) -> float:
    """0–100: how well the text around ``start``–``end`` matches the stored context. A span
    stored without context (tagged before context was kept) matches anywhere."""
    if not span.prefix and not span.suffix:
        return 100
    before, after = context(text, start, end, CONTEXT_CHARS)
    # Compare the characters nearest the span: the stored prefix may be shorter than
    # CONTEXT_CHARS at the start of the text, and so may the new one.
    before, prefix = _nearest(before, span.prefix, from_end=True)
    after, suffix = _nearest(after, span.suffix, from_end=False)
    return (fuzz.ratio(before, prefix) + fuzz.ratio(after, suffix)) / 2


def _nearest(found: str, stored: str, *, from_end: bool) -> tuple[str, str]:
    size = min(len(found), len(stored)) or max(len(found), len(stored))
    if from_end:
        return found[-size:] if size else "", stored[-size:] if size else ""
    return found[:size], stored[:size]


def _preference(span: Span, text: str, at: int, near: int | None) -> tuple[float, int]:
    distance = abs(at - near) if near is not None else 0
    return _context_score(span, text, at, at + len(span.quote)), -distance


def _fuzzy(span: Span, text: str) -> tuple[int, int] | None:
    quote = span.quote
    if len(quote.strip()) < FUZZY_MIN_QUOTE:
        return None
    budget = int(len(quote) * FUZZY_MAX_EDIT_SHARE)
    cutoff = 100 * (1 - FUZZY_MAX_EDIT_SHARE)
    found = fuzz.partial_ratio_alignment(quote, text, score_cutoff=cutoff)
    if found is None:
        return None
    best = _tighten(span, text, found.dest_start, found.dest_end)
    if best is None:
        return None
    start, end = best
    if Levenshtein.distance(quote, text[start:end], score_cutoff=budget) > budget:
        return None
    return start, end


def _tighten(span: Span, text: str, start: int, end: int) -> tuple[int, int] | None:
    """Move the aligned ends by up to FUZZY_MAX_SHIFT characters to the pair nearest the
    quote (the alignment has the quote's length; the revised stretch may not), the stored
    context deciding between equally near ones; then trim whitespace the quote does not
    have at its ends."""
    quote = span.quote
    shift = min(FUZZY_MAX_SHIFT, max(1, len(quote) // 4))
    candidates = [
        (s, e)
        for s in range(max(0, start - shift), min(len(text), start + shift) + 1)
        for e in range(max(s + 1, end - shift), min(len(text), end + shift) + 1)
    ]
    if not candidates:
        return None
    s, e = min(
        candidates,
        key=lambda c: (
            Levenshtein.distance(quote, text[c[0] : c[1]]),
            -_context_score(span, text, *c),
        ),
    )
    while s < e and text[s].isspace() and not quote[:1].isspace():
        s += 1
    while e > s and text[e - 1].isspace() and not quote[-1:].isspace():
        e -= 1
    return (s, e) if s < e else None


@dataclass(frozen=True)
class ClaimPairing:
    """How an article's old claims relate to the new ones after a revision.

    ``same[j] = i``: new claim ``j`` has exactly the text of old claim ``i`` (its row, and the
    verdicts judging it, are kept). ``nearest[i] = j``: where old claim ``i``'s content went,
    for placing what could not be anchored.
    """

    same: dict[int, int]
    nearest: list[int]


def pair_claims(old: list[str], new: list[str]) -> ClaimPairing:
    """Pair claims by identical text, in order (difflib's longest matching blocks), then
    pair what is left by identical text regardless of order (a paragraph moved)."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    opcodes = matcher.get_opcodes()
    same: dict[int, int] = {}
    for tag, i1, i2, j1, _ in opcodes:
        if tag == "equal":
            same.update({j1 + i - i1: i for i in range(i1, i2)})
    unpaired_old = [i for i in range(len(old)) if i not in same.values()]
    for j, text in enumerate(new):
        if j not in same and text in (old[i] for i in unpaired_old):
            i = next(i for i in unpaired_old if old[i] == text)
            same[j] = i
            unpaired_old.remove(i)
    nearest = [0] * len(old)
    for j, i in same.items():
        nearest[i] = j
    last = max(len(new) - 1, 0)
    for tag, i1, i2, j1, j2 in opcodes:
        # An old claim that changed goes to the changed claims in its place, in order;
        # with none there, to the claim after the gap (or the last one).
        changed = [j for j in range(j1, j2) if j not in same] if tag == "replace" else []
        for n, i in enumerate(i for i in range(i1, i2) if i in unpaired_old):
            nearest[i] = changed[min(n, len(changed) - 1)] if changed else min(j1, last)
    return ClaimPairing(same, nearest)
