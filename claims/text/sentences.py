"""Where sentences start in one line of news text: a fast, linear splitter.

Pure Python, no Django; ``claims.text.segmentation`` calls it once per line.

How it works
------------
One regular expression scans the line for *candidates*: a word ending in
sentence-final punctuation (``.``, ``!``, ``?``, ``…``, possibly with closing
quotes or brackets, e.g. ``said.”``) followed by whitespace, or a spaced
ellipsis (``. . .``). Each candidate is judged by rules that look only at a
few words around it, so the cost is linear in the line's length:

- the word before the full stop: a title ("Sen.", "Dr.", "Mt.") never ends a
  sentence; an initial ("Jonas E. Smith") does not either, except the pronoun
  "I" after a lowercase word ("you and I. Did"); an abbreviation ("Inc.",
  "Sept.", "U.S.", "a.m.") ends one only when the next word is one that
  starts sentences ("… in the U.S. The …", "… & Co. It closed …");
- the next word: a lowercase word never starts a sentence ("Yahoo! in",
  "'This is great.' she said"); a digit does only after a plain word
  ("item. 2. The …", but not "p. 55" or "No. 10");
- decimals, times, e-mail addresses and URLs hold no whitespace after their
  inner full stops, so they are never candidates;
- ellipses: three dots ("… the thing is . . . I didn’t") do not end a
  sentence before a capital when spaced, four dots ("that.... She") do,
  and "compounds. . . . The" ends the sentence at the first dot;
- lists: a line that starts with a list marker ("1.)", "2)", "a.", "•") is
  also cut before each later marker of the same kind in sequence
  ("1) The first item 2) The second item"), and a marker is never a
  sentence of its own.

Quotations spanning several sentences are handled one level up, in
``claims.text.segmentation`` (a boundary inside a quotation that closes later on
the line is dropped), as is everything about line kinds.

Accuracy and speed are measured by ``bench/segmentation.py`` against pysbd,
syntok and blingfire; the rules are tested on pysbd's 48 English Golden Rules
and the project's news cases in ``tests/test_segmentation.py``.
"""

from __future__ import annotations

import re

# A candidate: sentence-final punctuation, possibly followed by more of it
# and by closing marks, then the whitespace before the next token. The
# pattern opens with a character set, so the regex engine skips from one
# ".", "!", "?" or "…" to the next at C speed; the word before is read from a
# bounded window, so the cost per candidate is constant.
_CANDIDATE = re.compile(r"[.!?…][.!?…”’\"')\]»]*\s+(?=\S)")
# A spaced ellipsis, ". . ." or ". . . .", judged as one unit.
_SPACED_DOTS = re.compile(r"\.(?: \.)+[”’\"')\]»]*(?=\s+\S)")
_CLOSERS = frozenset("”’\"')]»")
_OPENERS = "“\"‘'([«"
_TOKEN = re.compile(r"\S+")
# The first word of a token, without opening quotes or brackets.
_LEADING_WORD = re.compile(r"[“\"‘'(\[«]*([A-Za-z]+)")
# "U.S", "a.m", "i.e", "Ph.D": short runs of letters joined by full stops.
_ACRONYM = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")
# A list label: a number, one letter or a short lowercase roman numeral.
_LIST_LABEL = re.compile(r"\d{1,3}|[A-Za-z]|[ivx]{1,4}")
_BULLETS = "•⁃▪◦‣●■"
# A list marker: an optional bullet, then a label and its punctuation, or a
# bare bullet. ``label`` is None for a bare bullet.
_LIST_MARKER = re.compile(
    r"(?:^|(?<=\s))(?P<bullet>[•⁃▪◦‣●■])?[ ]?"
    r"(?:(?P<label>\d{1,3}|[a-z])(?P<mark>\.\)|\)|\.))?(?=\s)"
)
# Words are looked at within this many characters of a candidate, which keeps
# the cost per candidate constant (a longer "word" is no abbreviation).
_WINDOW = 40


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Titles precede a name, so they never end a sentence.
TITLES = _word_set(
    """Mr Mrs Ms Mx Messrs Mme Mlle Dr Drs Prof Sen Sens Rep Reps Gov Govs Gen Lt Col Sgt
    Capt Cmdr Cdr Adm Maj Cpl Pvt Brig Rev Hon Pres Supt Det Insp Amb Atty Fr Msgr Sec
    Mt Ft Gens Ald Sra Srta"""
)
# Abbreviations that usually sit inside a sentence but can end one ("… & Co.
# It closed"): they end one only before a word in SENTENCE_STARTERS. Words
# that are also plain English ("no", "max") are left out: "He said no. Biden
# disagreed." must split.
ABBREVIATIONS = _word_set(
    """Inc Co Corp Ltd Bros Jr Sr St No Nos Nr N° Nº Vol Fig Figs Art Ch Ex Rt Rte Hwy Ave Blvd
    Rd Dept Univ Assn Gov't Mon Tue Tues Wed Thu Thurs Fri Sat Sun
    Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass
    Mich Minn Miss Mo Mont Neb Nev Okla Ore Pa Tenn Tex Va Vt Wash Wis Wyo
    co inc corp ltd vs etc al approx est dept p pp vol fig ch nos st ft mt ca cf eds cit
    ibid esp incl govt"""
)
# A month's abbreviation is followed by a day ("Jan. 15") or ends a sentence
# ("… fell in Oct. Economists had expected …").
MONTHS = _word_set("Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec")
# What follows a time inside its sentence: a day, a month, a time zone, a
# title ("At 5 a.m. Mr. Smith went to the bank").
_AFTER_TIMES = (
    _word_set(
        """Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu
        Thurs Fri Sat Sun January February March April May June July August September
        October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec ET EST
        EDT CT CST CDT MT MST MDT PT PST PDT GMT UTC BST CET CEST IST JST AEST Local"""
    )
    | TITLES
)
# After these an abbreviation never ends a sentence ("i.e. 62%").
_NEVER_FINAL = frozenset({"i.e", "e.g", "cf", "vs", "viz", "approx"})
# Words that start sentences far more often than they follow an abbreviation
# inside one ("U.S. The", "Co. It", "a.m. He"); a name ("U.S. Senate", "a.m.
# Mr. Smith") is not among them.
SENTENCE_STARTERS = _word_set(
    """A An The This That These Those There Here He She It They We I You His Her Its Their
    Our My Your But And Or So Yet Then However Meanwhile Still Also Now Today Yesterday
    Tomorrow Instead Nevertheless Moreover Furthermore Thus Hence Indeed In On At For From
    By With Without After Before During When While If As Since Although Though Because
    Unlike Despite What Who Why How Where Which Over Under About Some Many Most All Both
    Each Every Several Few No Not None Nobody Asked Later Earlier Last Next One Two Three
    Officials Police"""
)


def sentence_starts(line: str) -> list[int]:
    """Offsets in ``line`` (after the first) where a new sentence starts, in order."""
    list_starts = list_item_starts(line)
    starts: list[int] = []
    sentence_start = 0
    next_list = 0  # index into list_starts of the next item start not yet passed
    skip_to = 0  # past a spaced ellipsis already judged
    for match in _CANDIDATE.finditer(line):
        stop = match.start()
        if stop < skip_to:
            continue
        word = _word_before(line, stop)
        token_start = stop - len(word)
        while next_list < len(list_starts) and list_starts[next_list] <= token_start:
            sentence_start = max(sentence_start, list_starts[next_list])
            starts.append(list_starts[next_list])
            next_list += 1
        dots = None if word else _SPACED_DOTS.match(line, stop)
        if dots is not None:
            skip_to = dots.end()
            following = _TOKEN.search(line, skip_to)
            # ". . ." is an ellipsis inside a sentence; ". . . ." ends one.
            ends = dots.group().count(".") >= 4 and _could_start_sentence(following.group())
            boundary = following.start()
        else:
            end = match.group().rstrip()
            boundary = match.end()
            ends = _ends_sentence(line, word, end, boundary, token_start, sentence_start)
        if ends:
            starts.append(boundary)
            sentence_start = boundary
    starts += list_starts[next_list:]
    return sorted(set(starts))


def _word_before(line: str, stop: int) -> str:
    """The token that ends at ``stop`` (its last _WINDOW characters at most)."""
    window = line[max(0, stop - _WINDOW) : stop]
    if not window or window[-1].isspace():
        return ""
    return window.rsplit(None, 1)[-1]


def _ends_sentence(
    line: str, word: str, end: str, after_start: int, token_start: int, sentence_start: int
) -> bool:
    following = _TOKEN.match(line, after_start)
    assert following is not None  # the pattern's lookahead saw a token
    after = following.group()
    bare = word.lstrip(_OPENERS)
    if after == ".":
        # "compounds. . . . The": the first dot ends the sentence and the
        # spaced ellipsis opens the next one.
        return end == "." and _ellipsis_then_sentence(line, after_start)
    if word.endswith("[") or _is_list_marker(line, token_start, bare, sentence_start):
        return False  # "[...]" marks words left out of a quotation, not an end
    if "!" in end or "?" in end or "…" in end or end.count(".") >= 3:
        return _could_start_sentence(after)
    if word[-1:] in _CLOSERS:
        # "(R-Texas)." or "“candid”.": the word is closed off before the stop.
        return _could_start_sentence(after)
    return _full_stop_ends_sentence(line, token_start, bare, after)


def _full_stop_ends_sentence(line: str, token_start: int, word: str, after: str) -> bool:
    if not word:
        return _could_start_sentence(after)
    if word in TITLES:
        return False
    if len(word) == 1 and word.isupper():
        # An initial ("Jonas E. Smith"), unless it is the pronoun after a
        # lowercase word ("you and I. Did").
        return (
            word == "I"
            and _previous_word_is_lowercase(line, token_start)
            and _could_start_sentence(after)
        )
    if word in _NEVER_FINAL or word.lower() in _NEVER_FINAL:
        return False
    if word in MONTHS:
        return not after[:1].isdigit() and _could_start_sentence(after)
    if word.lower() in ("a.m", "p.m"):
        # "at 9 a.m. Supporters cheered", but "9 a.m. Monday", "9 a.m. ET".
        return _could_start_sentence(after) and _leading_word(after) not in _AFTER_TIMES
    if word in ABBREVIATIONS or _ACRONYM.fullmatch(word) or (len(word) == 1 and word.isalpha()):
        return _starter(after)
    if after[:1].isdigit() and not word[-1:].isalpha():
        # A digit opens a sentence after a word ("item. 2. The …"), hardly
        # ever after a number or a symbol ("N°5. 12").
        return False
    return _could_start_sentence(after)


def _could_start_sentence(token: str) -> bool:
    """Whether ``token`` may begin a sentence: not a lowercase word (except
    "iPhone"-style names) and not punctuation that continues one."""
    core = token.lstrip(_OPENERS) or token
    first = core[0]
    if first.islower():
        return core[1:2].isupper()
    # A capital, a digit, a letter of a script without case, a currency; or
    # anything after an opening quote or bracket.
    return first.isalnum() or first in "$€£¥#@" or core != token


def _starter(token: str) -> bool:
    return _leading_word(token) in SENTENCE_STARTERS


def _leading_word(token: str) -> str:
    word = _LEADING_WORD.match(token)
    return "" if word is None else word.group(1)


def _previous_word_is_lowercase(line: str, token_start: int) -> bool:
    words = line[max(0, token_start - _WINDOW) : token_start].split()
    return bool(words) and words[-1][:1].islower()


def _ellipsis_then_sentence(line: str, dots_start: int) -> bool:
    """Whether exactly three spaced dots at ``dots_start`` precede a sentence."""
    if not line.startswith(". . . ", dots_start) or line.startswith(". . . .", dots_start):
        return False
    following = _TOKEN.match(line, dots_start + len(". . . "))
    return following is not None and _could_start_sentence(following.group())


def _is_list_marker(line: str, token_start: int, word: str, sentence_start: int) -> bool:
    """Whether the token is a list label ("1.)", "a.", "• 9.") opening its sentence."""
    if len(word) > 4 or not _LIST_LABEL.fullmatch(word.lstrip(_BULLETS)):
        return False
    if token_start - sentence_start > 2:  # room for a bullet and a space at most
        return False
    return line[sentence_start:token_start].strip(_BULLETS + " ") == ""


def list_item_starts(line: str) -> list[int]:
    """Starts of the second and later items of a list written on one line.

    Only a line that opens with a marker is a list, and only markers that
    continue its sequence (same bullet and punctuation, next number or
    letter) start items, so "1. The first item 2. The second item" is cut
    but a stray "2." in prose is not.
    """
    first = _LIST_MARKER.match(line)
    if first is None or (first.group("bullet") is None and first.group("label") is None):
        return []
    bullet, label, mark = first.group("bullet", "label", "mark")
    expected = _next_label(label)
    starts = []
    for marker in _LIST_MARKER.finditer(line, first.end()):
        if marker.group("bullet", "mark") != (bullet, mark):
            continue
        if label is None and marker.group("label") is None and bullet:
            starts.append(marker.start())
        elif label is not None and marker.group("label") == expected:
            starts.append(marker.start())
            expected = _next_label(expected)
    return starts


def _next_label(label: str | None) -> str | None:
    if label is None:
        return None
    if label.isdigit():
        return str(int(label) + 1)
    return chr(ord(label) + 1)
