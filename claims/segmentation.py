"""Split an article's text into claims: sentence-sized spans with exact offsets and a kind.

Pure Python, no Django: the import service stores each ``Segment`` as a ``Claim``.

How it works
------------
1. The text is cut into lines. ``Segment.paragraph`` numbers blocks separated
   by blank lines; a sentence never crosses a line break either, because web
   news text often puts one paragraph per line with no blank line between.
2. Each line gets a kind first (boilerplate, caption, heading): page furniture
   and headings stay one segment each; a caption line is cut into sentences
   that are all captions. Kinds are per line, not per blank-line paragraph,
   so that a credit line does not turn the next line of body text into one.
3. Other lines are cut into sentences by pysbd, then corrected: a sentence
   boundary inside a quotation that closes later on the line is removed (so a
   multi-sentence quote stays one claim with its attribution), as are
   boundaries after a title such as "Sec." or after ";" or ",", and one is
   added after "U.S." when a new sentence starts after it ("... in the U.S. The ...").
   pysbd is quadratic in its input's length, so a very long line (an article
   with no line breaks) goes to it in pieces of about PYSBD_MAX_CHARS.
4. Segments are built from boundary offsets, never from the segmenter's
   strings, so ``text[s.start:s.end] == s.text`` holds and no character can
   be lost even when the segmenter rewrites or drops text (pysbd does, e.g.
   around its internal placeholder characters such as "∯").

Why pysbd rather than syntok
----------------------------
Figures from ``.venv/bin/python bench/segmentation.py``: precision, recall
and F1 of sentence-boundary offsets inside lines, against hand-made gold for
the seed article plus 36 hard news cases (44 boundaries), and 20 held-out
cases (20 boundaries) written after the corrections below and not used to
tune them. Speed: the 4,986-character seed article, best of 3 (a shared
2-core machine, so +-20%).

segmenter            seed+hard P / R / F1   held-out P / R / F1   articles/s
regex, raw           0.56 / 1.00 / 0.72     0.70 / 0.95 / 0.81       ~8,300
syntok 1.4.4, raw    0.73 / 1.00 / 0.85     0.90 / 0.90 / 0.90         ~160
pysbd 0.3.4, raw     0.96 / 0.98 / 0.97     0.91 / 1.00 / 0.95          ~55
regex + ours         0.83 / 1.00 / 0.91     0.73 / 0.95 / 0.83         ~750
syntok + ours        0.98 / 1.00 / 0.99     0.95 / 0.90 / 0.92         ~150
pysbd + ours         1.00 / 1.00 / 1.00     0.91 / 1.00 / 0.95          ~65

"+ ours" is this module with that segmenter as its base (its perfect
seed+hard score is on cases the corrections were written for). pysbd is the more
accurate base on news text: it keeps quotations together, knows titles such
as "Gov." and "Lt." and does not split at semicolons; syntok splits inside
quotes and after many titles, and misses "2:30 a.m. He". syntok is about
three times faster, but ~65 articles/s (~300,000 characters/s) is far more
than an import needs. pysbd's remaining errors: a split after "Ft." and
"approx.".

A new ``pysbd.Segmenter`` is made for each line: ``Segmenter.segment`` keeps
the text being segmented on the instance (``self.original_text``), so one
shared instance would not be thread-safe, and the constructor is cheap.
We do not use pysbd's ``char_span=True``: it locates sentences by searching
the whole text again with a regex and silently drops any sentence it cannot
find ("Hello∯ world. Ok." gives one span, for "Ok."). The repeated-sentence
bug of older versions did not reproduce in 0.3.4 ("No. No. No." is right).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pysbd


class ClaimKind:
    """Kinds of segment; ``Claim.Kind`` (TextChoices) uses the same values."""

    STATEMENT = "statement"
    QUOTE = "quote"
    HEADING = "heading"
    CAPTION = "caption"
    BOILERPLATE = "boilerplate"


@dataclass(frozen=True)
class Segment:
    start: int  # code-point offset into the source text, inclusive
    end: int  # exclusive
    text: str  # == source_text[start:end]
    kind: str  # a ClaimKind value
    paragraph: int  # 0-based index of the blank-line separated block


# A function that returns where sentences start in one line (offsets into it).
SentenceStarts = Callable[[str], list[int]]

# Headlines and subheads are short; a line longer than this is prose even if
# its final full stop is missing.
HEADING_MAX_WORDS = 15
# A video credit ("US Department of State") is a few words long.
CREDIT_MAX_WORDS = 8
# A sentence with at least this share of its characters inside quotation
# marks is mostly reported speech ("In response, he said, “...long quote...”").
QUOTED_SHARE_FOR_QUOTE = 0.6
# Longer lines go to pysbd in pieces (see _chunks).
PYSBD_MAX_CHARS = 2000
# "…word. Next": a period after four lowercase letters is not an abbreviation
# like "U.S." or "Sen.", so it safely ends a sentence.
_PLAIN_SENTENCE_END = re.compile(r"(?<=[a-z]{4}[.!?])\s+(?=[A-Z])")

# Page furniture: links to other stories, video embeds, social and legal
# lines. The whole line is one segment, as cutting it into sentences would
# only make more non-claims for reviewers to skip.
_BOILERPLATE = re.compile(
    r"""^(?:
        (?:watch|flashback|related(?:\ (?:articles?|stories|coverage|content|reading))?)\s*[:\-–—]
      | related$
      | read\ more\b
      | sign\ up\b
      | subscribe\b
      | follow\b.{0,100}?\bon\ (?:twitter|x\b|facebook|instagram|truth\ social|threads|telegram
            |linkedin|tiktok|youtube|gettr|gab\b|parler|rumble|bluesky|mastodon)
      | follow\ (?:us|@)
      | leave\ a\ (?:comment|reply)\b
      | share\ (?:this|on)\b
      | click\ here\b
      | (?-i:Advertisement|ADVERTISEMENT)\b(?!\s+[a-z])   # not "Advertisement spending rose"
      | (?-i:Copyright|COPYRIGHT)\b(?!\s+[a-z])           # not "Copyright holders sued"
      | ©
    )
    | all\ rights\ reserved
    """,
    re.IGNORECASE | re.VERBOSE,
)
_WATCH_LINE = re.compile(r"^watch\s*[:\-–—]", re.IGNORECASE)

# Photo captions and credits. Agency credit patterns ("/AFP", "AP Photo/")
# only occur in captions; "Photo:" and friends label a credit.
_CAPTION = re.compile(
    r"""\(photo\ by\b
      | \bvia\ getty\ images\b
      | /(?:afp|getty)\b
      | \bap\ photo\b
      | \breuters/
      | \b(?:photo|image|picture|photograph|credit)s?\s*:
      | ^topshot\b
    """,
    re.IGNORECASE | re.VERBOSE,
)

# "He said:" introduces a block quote on the next line.
_SPEECH_LEAD_IN = re.compile(
    r"\b(?:said|says|added|adds|told|tells|wrote|writes|tweeted|posted|stated|declared"
    r"|explained|noted|continued|warned|argued|insisted|asked|replied)\b[^:.!?]{0,60}:$",
    re.IGNORECASE,
)

# Marks that end a sentence or show the line continues: a line ending in one
# is prose, not a heading ("He said:" is a statement).
_FINAL_PUNCTUATION = frozenset(".!?…:;,")
_CLOSERS = "”’\"')]»›"
_OPENING_QUOTES = frozenset('“"‘«„‹')

# Titles that precede a name and so never end a sentence. pysbd splits after
# a sentence-initial "Sec." ("Sec. Austin listened." → "Sec." + "Austin ...").
# "Jr.", "Sr.", "St." and "No." are left out: they can end a sentence.
_ENDS_WITH_TITLE = re.compile(
    r"(?:^|[\s(“\"‘])(?:Sec|Sen|Sens|Rep|Reps|Gov|Gen|Lt|Col|Sgt|Capt|Cmdr|Adm|Maj|Cpl"
    r"|Dr|Mr|Mrs|Ms|Mx|Prof|Rev|Hon|Pres|Supt|Det|Insp|Amb|Atty|Fr|Msgr)\.$"
)
# Both segmenters treat "U.S." as an abbreviation even when it ends a
# sentence; a pronoun or determiner after it shows that a new sentence starts.
_ACRONYM_THEN_SENTENCE = re.compile(
    r"\b(?:[A-Z]\.){2,}\s+(?=(?:He|She|It|They|We|I|The|This|That|These|Those|But|And|Then"
    r"|However|In|On|At|His|Her|Their|Its|Our|There|When|After|Before|Meanwhile)\b)"
)


def split_into_claims(text: str) -> list[Segment]:
    """Cut ``text`` into ordered, non-overlapping, whitespace-stripped segments."""
    return _split(text, _pysbd_sentence_starts)


def _split(text: str, sentence_starts: SentenceStarts) -> list[Segment]:
    """``split_into_claims`` with a pluggable sentence segmenter (for the bench)."""
    lines = _lines(text)
    paragraph_sizes: dict[int, int] = {}
    for _, _, paragraph in lines:
        paragraph_sizes[paragraph] = paragraph_sizes.get(paragraph, 0) + 1
    # Text with no blank line at all is one-paragraph-per-line web text, where
    # a subhead is a line of its own without a blank line around it.
    one_paragraph_per_line = len(paragraph_sizes) == 1 and len(lines) > 1

    segments: list[Segment] = []
    previous_line = ""
    previous_kind = ""
    for start, end, paragraph in lines:
        line = text[start:end]
        standalone = one_paragraph_per_line or paragraph_sizes[paragraph] == 1
        kind = _line_kind(line, standalone, previous_line, previous_kind)
        if kind in (ClaimKind.BOILERPLATE, ClaimKind.HEADING):
            segments.append(Segment(start, end, line, kind, paragraph))
        else:
            block_quote = (
                kind is None
                and previous_line.endswith(":")
                and bool(_SPEECH_LEAD_IN.search(previous_line))
            )
            for piece_start, piece_end in _sentence_spans(line, sentence_starts):
                piece = line[piece_start:piece_end]
                if kind is None:
                    piece_kind = (
                        ClaimKind.QUOTE if block_quote or _is_quote(piece) else ClaimKind.STATEMENT
                    )
                else:
                    piece_kind = kind
                segments.append(
                    Segment(start + piece_start, start + piece_end, piece, piece_kind, paragraph)
                )
        previous_line, previous_kind = line, kind or ""
    return segments


def _lines(text: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph) of each non-blank line, stripped of whitespace."""
    lines = []
    paragraph = -1
    after_blank = True
    offset = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            if after_blank:
                paragraph += 1
                after_blank = False
            start = offset + (len(raw) - len(raw.lstrip()))
            lines.append((start, start + len(stripped), paragraph))
        else:
            after_blank = True
        offset += len(raw) + 1
    return lines


def _line_kind(line: str, standalone: bool, previous_line: str, previous_kind: str) -> str | None:
    """Kind shared by the whole line, or None when each sentence gets its own."""
    if _BOILERPLATE.search(line):
        return ClaimKind.BOILERPLATE
    if _CAPTION.search(line):
        return ClaimKind.CAPTION
    unpunctuated = not _ends_with_punctuation(line)
    # A video embed ("Watch: ...") is followed by its credit ("US Department
    # of State"): a few words with no full stop.
    if (
        unpunctuated
        and previous_kind == ClaimKind.BOILERPLATE
        and _WATCH_LINE.search(previous_line)
        and len(line.split()) <= CREDIT_MAX_WORDS
    ):
        return ClaimKind.CAPTION
    if unpunctuated and standalone and _looks_like_heading(line):
        return ClaimKind.HEADING
    return None


def _ends_with_punctuation(line: str) -> bool:
    core = line.rstrip(_CLOSERS + " ")
    return bool(core) and core[-1] in _FINAL_PUNCTUATION


def _looks_like_heading(line: str) -> bool:
    if len(line.split()) > HEADING_MAX_WORDS:
        return False
    first_letter = next((c for c in line if c.isalpha()), None)
    # Headlines start with a capital; a lowercase start is a broken-off fragment.
    return first_letter is not None and not first_letter.islower()


def _is_quote(sentence: str) -> bool:
    if sentence[0] in _OPENING_QUOTES:
        return True
    changes = _quote_changes(sentence)
    if not changes:
        return False
    quoted = ""
    for (position, open_count), (next_position, _) in zip(
        changes, [*changes[1:], (len(sentence), 0)], strict=True
    ):
        if open_count:  # from an opening mark through the mark that closes it
            quoted += sentence[position : next_position + 1]
    return _visible_length(quoted) >= QUOTED_SHARE_FOR_QUOTE * _visible_length(sentence)


def _visible_length(text: str) -> int:
    return len("".join(text.split()))


def _sentence_spans(line: str, sentence_starts: SentenceStarts) -> list[tuple[int, int]]:
    """Stripped (start, end) spans of the sentences of one line, covering it."""
    boundaries = {b for b in sentence_starts(line) if 0 < b < len(line)}
    boundaries |= {m.end() for m in _ACRONYM_THEN_SENTENCE.finditer(line)}
    boundaries = _drop_false_boundaries(line, sorted(boundaries))

    spans = []
    for start, end in zip([0, *boundaries], [*boundaries, len(line)], strict=True):
        piece = line[start:end]
        stripped = piece.strip()
        if stripped:
            start += len(piece) - len(piece.lstrip())
            spans.append((start, start + len(stripped)))
    return spans


def _drop_false_boundaries(line: str, boundaries: list[int]) -> list[int]:
    """Boundaries left once those inside a quotation, after a title ("Sec.")
    or after ";" or "," (which never end a sentence) are removed."""
    changes = _quote_changes(line)
    kept = []
    previous = 0
    for boundary in boundaries:
        before = line[previous:boundary].rstrip()
        if (
            _inside_quote(changes, boundary)
            or _ENDS_WITH_TITLE.search(before)
            or (before and before[-1] in ";,")
        ):
            continue
        kept.append(boundary)
        previous = boundary
    return kept


def _inside_quote(changes: list[tuple[int, int]], offset: int) -> bool:
    """Whether a quotation is open at ``offset`` and closes later on the line.

    An unclosed quote (a typo, or a quote running on into the next paragraph)
    must not swallow the rest of the line, so only quotes that close count.
    """
    open_here = 0
    later = []
    for position, open_count in changes:
        if position < offset:
            open_here = open_count
        else:
            later.append(open_count)
    return bool(later) and min(later) < open_here


_QUOTE_MARKS = re.compile('[“”"‘’]')


def _quote_changes(text: str) -> list[tuple[int, int]]:
    """(i, n) for each quotation mark text[i] that changes how many quotations
    are open (n just after it), in order."""
    changes = []
    curly = 0  # “ ... ”
    straight = 0  # " ... "
    single = 0  # ‘ ... ’
    for match in _QUOTE_MARKS.finditer(text):
        i = match.start()
        c = text[i]
        previous = text[i - 1] if i else " "
        following = text[i + 1 : i + 2] or " "
        before = (curly, straight, single)
        if c == "“":
            curly += 1
        elif c == "”":
            curly = max(curly - 1, 0)
        elif c == '"':
            # A straight quote after a space or an opening bracket opens;
            # otherwise it closes (or is an inch mark, when none is open).
            straight = 1 if previous.isspace() or previous in "([{—–-“‘" else 0
        elif c == "‘":
            if previous.isspace() or previous in '([{—–-“"':
                single += 1
        elif single and not following.isalpha():
            # ’ before a letter is an apostrophe ("it’s"), not a closing quote.
            single -= 1
        if (curly, straight, single) != before:
            changes.append((i, curly + straight + single))
    return changes


def _pysbd_sentence_starts(line: str) -> list[int]:
    starts = []
    for chunk_start, chunk, starts_sentence in _chunks(line):
        try:
            sentences = pysbd.Segmenter(language="en", clean=False).segment(chunk)
        except Exception:
            # A segmenter bug on odd input must not stop an import: the chunk
            # then stays one segment, and nothing is lost.
            sentences = []
        first = len(chunk) - len(chunk.lstrip())
        starts += [
            chunk_start + b for b in _locate(chunk, sentences) if b != first or starts_sentence
        ]
    return starts


def _chunks(line: str) -> list[tuple[int, str, bool]]:
    """(offset, chunk, whether the chunk starts a sentence) of a line cut for pysbd.

    pysbd's abbreviation pass is quadratic in the length of its input (3.5 s
    for an 80,000-character line), so a long line (an article pasted with no
    line breaks) goes to it in pieces, cut where a sentence plainly ends.
    """
    chunks = []
    start, starts_sentence = 0, True
    while len(line) - start > PYSBD_MAX_CHARS:
        window_start, window_end = start + PYSBD_MAX_CHARS // 2, start + PYSBD_MAX_CHARS
        sentence_ends = list(_PLAIN_SENTENCE_END.finditer(line, window_start, window_end))
        if sentence_ends:
            end, next_starts_sentence = sentence_ends[-1].end(), True
        else:  # no plain sentence end: cut at a space (or anywhere), not as a boundary
            end = line.rfind(" ", window_start, window_end) + 1 or window_end
            next_starts_sentence = False
        chunks.append((start, line[start:end], starts_sentence))
        start, starts_sentence = end, next_starts_sentence
    chunks.append((start, line[start:], starts_sentence))
    return chunks


def _locate(line: str, sentences: list[str]) -> list[int]:
    """Offsets in ``line`` where each sentence string starts, found left to right.

    A moving cursor (str.find from the previous end) keeps repeated sentences
    ("Good. Good.") apart. A sentence the segmenter altered is not found: it
    is skipped (it joins the previous segment) and the cursor moves past as
    many non-space characters as it had, so that later sentences are not
    matched inside it.
    """
    starts = []
    cursor = 0
    for sentence in sentences:
        sentence = sentence.strip()
        if not sentence:
            continue
        found = line.find(sentence, cursor)
        if found == -1:
            cursor = _advance(line, cursor, sum(1 for c in sentence if not c.isspace()))
            continue
        starts.append(found)
        cursor = found + len(sentence)
    return starts


def _advance(line: str, cursor: int, visible_chars: int) -> int:
    while cursor < len(line) and visible_chars > 0:
        if not line[cursor].isspace():
            visible_chars -= 1
        cursor += 1
    return cursor
