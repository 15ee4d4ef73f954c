"""UTF-16 offsets: what JavaScript's String.length and slice() count."""

from hypothesis import given
from hypothesis import strategies as st

from claims import services
from claims.text.offsets import Utf16Offsets, utf16_length
from tests import factories


def js_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_an_emoji_counts_twice_and_shifts_what_follows():
    text = "🇺🇸 Blinken, the Foreign Minister"
    offsets = Utf16Offsets(text)
    start = text.index("Foreign")
    assert start == 16
    assert offsets(start) == 18  # two flags' halves: two astral characters before it
    assert offsets(0) == 0
    assert utf16_length(text[:start]) == 18


def test_characters_inside_the_bmp_count_once():
    text = "café — “quoted” 北京"
    assert utf16_length(text) == len(text)
    assert Utf16Offsets(text)(len(text)) == len(text)


@given(st.text())
def test_agrees_with_utf16_encoding_at_every_offset(text):
    offsets = Utf16Offsets(text)
    for offset in range(len(text) + 1):
        assert offsets(offset) == js_length(text[:offset])
    assert utf16_length(text) == js_length(text)


def stored_offsets_are_true(article) -> bool:
    article.refresh_from_db()
    return all(
        (claim.start_utf16, claim.end_utf16)
        == (js_length(article.text[: claim.start]), js_length(article.text[: claim.end]))
        for claim in article.claims.all()
    )


def test_claims_keep_true_utf16_offsets_through_import_split_merge_and_revision(editor_eve):
    story = factories.article(
        "Talks 🤝 in Beijing\n\nBlinken 🇺🇸 met Wang Yi. They spoke 😀 for hours. Both smiled.",
        title="Talks 🤝 in Beijing",
    )
    assert stored_offsets_are_true(story)
    spoke = story.claims.get(text__startswith="They spoke")
    services.claim_split(spoke, at=story.text.index("for hours"))
    assert stored_offsets_are_true(story)
    services.claim_merge_with_next(story.claims.get(text__startswith="Blinken"))
    assert stored_offsets_are_true(story)
    services.article_revise(
        article=story,
        text="Talks 🤝🤝 in Beijing\n\n👋 Blinken 🇺🇸 met Wang Yi. They spoke 😀 for hours.",
        by=editor_eve,
    )
    assert stored_offsets_are_true(story)
