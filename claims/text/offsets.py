"""Offsets in UTF-16 code units beside our code points.

Every offset we store counts code points (Python's ``str`` indices). JavaScript tools
(the browser's selections, doccano's annotator) count UTF-16 code units, in which a
character beyond U+FFFF (most emoji, some CJK) counts twice; Label Studio and the W3C
model count code points, like us. The two agree until the first
such character; after it they drift by one per astral character.
"""

import re
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def utf16_length(text: str) -> int:
    """How many UTF-16 code units ``text`` takes."""
    if text.isascii():
        return len(text)
    return len(text) + len(_ASTRAL.findall(text))


class Utf16Offsets:
    """Maps code-point offsets of one text to UTF-16 offsets in O(log astral) each."""

    def __init__(self, text: str):
        self.astral = [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]

    def __call__(self, offset: int) -> int:
        # Each astral character strictly before ``offset`` adds one code unit.
        return offset + bisect_left(self.astral, offset) if self.astral else offset
