"""A corpus of revisions of the seed article, the kinds newsrooms make after publication.

Each case turns the seed text into a revised text and names the quotes whose labels must be
orphaned (their text is gone); every other label must be found again.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RevisionCase:
    name: str
    revise: Callable[[str], str]
    orphaned: frozenset[str] = field(default_factory=frozenset)


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the corpus expects “{old}” once in the seed"
    return text.replace(old, new)


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def _swap_paragraphs(text: str, first: str, second: str) -> str:
    paragraphs = _paragraphs(text)
    i = next(n for n, p in enumerate(paragraphs) if p.startswith(first))
    j = next(n for n, p in enumerate(paragraphs) if p.startswith(second))
    paragraphs[i], paragraphs[j] = paragraphs[j], paragraphs[i]
    return "\n\n".join(paragraphs)


def _drop_paragraph(text: str, starting: str) -> str:
    return "\n\n".join(p for p in _paragraphs(text) if not p.startswith(starting))


CASES = [
    RevisionCase(
        "paragraph added at the top",
        lambda text: "Updated June 20, 2023: adds the State Department's account.\n\n" + text,
    ),
    RevisionCase(
        "insertion before the spans",
        lambda text: _replace_once(
            text,
            "China views Taiwan",
            "A State Department readout of the meeting followed on Tuesday.\n\nChina views Taiwan",
        ),
    ),
    RevisionCase(
        "edits inside the spans",
        lambda text: _replace_once(
            _replace_once(text, "a Chinese one Fighter jet", "a Chinese J-16 fighter jet"),
            "the government’s long-awaited trip",
            "the governments long awaited trip",
        ),
    ),
    RevisionCase(
        "a span's text rewritten",
        lambda text: _replace_once(text, "Foreign Minister", "Secretary of State"),
        orphaned=frozenset({"Foreign Minister"}),
    ),
    RevisionCase(
        "a paragraph deleted",
        lambda text: _drop_paragraph(text, "Adding to the excitement"),
        orphaned=frozenset({"Adding to the excitement"}),
    ),
    RevisionCase(
        "paragraphs reordered",
        lambda text: _swap_paragraphs(text, "The Joe Biden administration", "“As of this writing"),
    ),
    RevisionCase(
        "whitespace changed",
        lambda text: _replace_once(
            _replace_once(text, "communications .", "communications."),
            "Adding to the excitement",
            "Adding to  the excitement",
        ).replace("\n\n", "\n\n\n"),
    ),
    RevisionCase(
        "quote style changed",
        lambda text: text.replace("’", "'").replace("“", '"').replace("”", '"'),
    ),
]
