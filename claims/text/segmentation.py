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
3. Other lines are cut into sentences by ``claims.text.sentences`` (a regex scan
   for sentence-final punctuation plus news-aware rules, linear in the
   line's length), then corrected: a sentence boundary inside a quotation
   that closes later on the line is removed, so a multi-sentence quote stays
   one claim with its attribution.
4. Segments are built from boundary offsets, never from a segmenter's
   strings, so ``text[s.start:s.end] == s.text`` holds and no character can
   be lost.

Why our own splitter
--------------------
It was pysbd with corrections. pysbd is accurate (47 of its 48 English
Golden Rules) but slow (~0.3 MB/s) and quadratic in a paragraph's length;
syntok and blingfire are fast but split inside quotations and after titles
and miss "U.S." before a new sentence (see ``bench/segmentation.py`` for the
figures, measured side by side). ``claims.text.sentences`` scores as pysbd does
on the Golden Rules and better on our news cases, at more than ten times
its speed, with a cost linear in the document's length. ``_split`` keeps the
sentence splitter pluggable so that the bench can run the same pipeline on
another one.

Every step is linear in the text's length: one pass over the lines, and
for each line one regex scan per rule, with lookbehinds bounded to a few
dozen characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from claims.text.sentences import list_item_starts, sentence_starts


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
# How far back a boundary looks for a title ("Sec.") before it.
_TITLE_WINDOW = 12

# Page furniture: links to other stories, video embeds, social and legal
# lines. The whole line is one segment, as cutting it into sentences would
# only make more non-claims for reviewers to skip.
_BOILERPLATE_START = re.compile(
    r"""(?:
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
      | our\ (?:editorial\ )?standards\s*:       # a wire's trust line
      | (?-i:Advertisement|ADVERTISEMENT)\b(?!\s+[a-z])   # not "Advertisement spending rose"
      | (?-i:Copyright|COPYRIGHT)\b(?!\s+[a-z])           # not "Copyright holders sued"
      | ©
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
_ALL_RIGHTS_RESERVED = "all rights reserved"

# A wire story's sign-off: "Reporting by A in Berlin; Additional reporting by B; Editing by C",
# often in brackets. Each ";" part is a credit whose "by" is followed by names only, so a
# sentence that begins "Reporting by the Guardian showed..." stays a statement.
_CREDIT = re.compile(
    r"""(?:additional\ )?
        (?:reporting|writing|editing|compiled|research|graphics|production|fact-checking)
        (?:\ (?:and|&)\ (?:reporting|writing|editing|research|graphics|production))?
        \ by\ (.+)""",
    re.IGNORECASE | re.VERBOSE,
)
# Words other than names that a credit's list of people holds.
# (name particles such as "de", "van", "bin"; "Compiled by Reuters staff").
_CREDIT_WORDS = frozenset(
    "and in staff the de da del der di du la le van von al el bin ibn".split()  # noqa: SIM905
)
_WATCH_LINE = re.compile(r"^watch\s*[:\-–—]", re.IGNORECASE)

# Every caption pattern below holds one of these words: a line with none of
# them (most lines) is not searched, which is many times faster than trying
# each pattern at each position.
_CAPTION_WORDS = ("photo", "getty", "afp", "reuters", "image", "picture", "credit", "topshot")

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

# Titles that precede a name and so never end a sentence; other segmenters
# (pysbd, run in the bench) split after a sentence-initial "Sec.".
# "Jr.", "Sr.", "St." and "No." are left out: they can end a sentence.
_ENDS_WITH_TITLE = re.compile(
    r"(?:^|[\s(“\"‘])(?:Sec|Sen|Sens|Rep|Reps|Gov|Gen|Lt|Col|Sgt|Capt|Cmdr|Adm|Maj|Cpl"
    r"|Dr|Mr|Mrs|Ms|Mx|Prof|Rev|Hon|Pres|Supt|Det|Insp|Amb|Atty|Fr|Msgr)\.$"
)


def split_into_claims(text: str) -> list[Segment]:
    """Cut ``text`` into ordered, non-overlapping, whitespace-stripped segments."""
    return _split(text, sentence_starts)


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
    lowered = line.lower()
    if _BOILERPLATE_START.match(line) or _ALL_RIGHTS_RESERVED in lowered or _is_credit(line):
        return ClaimKind.BOILERPLATE
    if any(word in lowered for word in _CAPTION_WORDS) and _CAPTION.search(line):
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
    # "1) The first item 2) The second item" is a list, not a headline.
    if unpunctuated and standalone and _looks_like_heading(line) and not list_item_starts(line):
        return ClaimKind.HEADING
    return None


def _is_credit(line: str) -> bool:
    """Whether the line is a wire story's credits and nothing else."""
    if not _CREDIT.match(line.lstrip("([")):
        return False  # most lines: one failed match at the start
    for part in line.strip("()[] .").split(";"):
        credit = _CREDIT.fullmatch(part.strip())
        if credit is None:
            return False
        words = credit.group(1).replace(",", " ").split()
        if not all(_is_name_word(word) for word in words):
            return False
    return True


def _is_name_word(word: str) -> bool:
    first_letter = next((c for c in word if c.isalpha()), None)
    return first_letter is None or first_letter.isupper() or word.lower() in _CREDIT_WORDS


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
    boundaries = sorted({b for b in sentence_starts(line) if 0 < b < len(line)})
    boundaries = _drop_false_boundaries(line, boundaries)

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
    or after ";" or "," (which never end a sentence) are removed.

    Our splitter never proposes the last two; segmenters compared in the
    bench do. Each check looks at a bounded window, and the quotation check
    walks the line's quotation marks once, so the cost stays linear.
    """
    if not boundaries:
        return boundaries
    inside = _inside_quote(_quote_changes(line), boundaries)
    kept = []
    previous = 0
    for boundary, in_quote in zip(boundaries, inside, strict=True):
        before = line[max(previous, boundary - _TITLE_WINDOW) : boundary].rstrip()
        if in_quote or _ENDS_WITH_TITLE.search(before) or (before and before[-1] in ";,"):
            continue
        kept.append(boundary)
        previous = boundary
    return kept


def _inside_quote(changes: list[tuple[int, int]], offsets: list[int]) -> list[bool]:
    """For each of the sorted ``offsets``, whether a quotation is open there
    and closes later on the line.

    An unclosed quote (a typo, or a quote running on into the next paragraph)
    must not swallow the rest of the line, so only quotes that close count:
    an offset is inside when fewer quotations are open at some later mark
    than at the offset.
    """
    # fewest_after[i]: the fewest quotations open just after changes[i:].
    fewest_after = [0] * len(changes)
    fewest = None
    for i in range(len(changes) - 1, -1, -1):
        open_count = changes[i][1]
        fewest = open_count if fewest is None else min(fewest, open_count)
        fewest_after[i] = fewest
    inside = []
    i = 0
    open_here = 0
    for offset in offsets:
        while i < len(changes) and changes[i][0] < offset:
            open_here = changes[i][1]
            i += 1
        inside.append(i < len(changes) and fewest_after[i] < open_here)
    return inside


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
