"""Grapheme-cluster boundaries: where a span may start or end without cutting a character.

A user-perceived character can be several code points: an emoji with a skin-tone modifier,
a flag (two regional indicators), a letter with combining accents. A span that starts or
ends inside one would tag half a character. The ``regex`` package's ``\\X`` follows the
Unicode extended grapheme cluster rules (UAX #29), which we do not want to re-implement.

Pure: no Django.
"""

import regex

_CLUSTER = regex.compile(r"\X", regex.DOTALL)


def _line_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The lines holding ``start``..``end``. UAX #29 always breaks before and after a line
    feed (GB4, GB5), so a line can be segmented on its own with the same result as the
    whole text, at the cost of that line only."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return left, len(text) if right == -1 else right


def cut_clusters(text: str, start: int, end: int) -> list[str]:
    """The grapheme clusters of ``text`` that the span ``start``..``end`` (code points)
    would cut in two; empty when both ends fall between whole clusters."""
    left, right = _line_around(text, start, end)
    cut = []
    position = left
    for match in _CLUSTER.finditer(text, left, right):
        cluster_end = position + len(match.group())
        for offset in (start, end):
            if position < offset < cluster_end:
                cut.append(match.group())
        if cluster_end >= end:
            break
        position = cluster_end
    return cut
