"""The label files' offset arithmetic, without a database: UTF-16 units to code points,
line endings normalised, and articles rebuilt from our own export's claims."""

import pytest

from claims.importers.labels.factcheck import rebuilt_text
from claims.importers.labels.sets import ClaimSpec, SpanProblem, Utf16ToCodePoints, canonical


def test_utf16_offsets_become_code_points_after_each_astral_character():
    text = "😀ab🎉c"
    to_code_points = Utf16ToCodePoints(text)
    assert [to_code_points(o) for o in (0, 2, 3, 4, 6, 7)] == [0, 1, 2, 3, 4, 5]
    for utf16, code_points in ((2, 1), (6, 4)):
        assert text[:code_points].encode("utf-16-le") == text.encode("utf-16-le")[: utf16 * 2]


@pytest.mark.parametrize(("offset", "character"), [(1, "😀"), (5, "🎉")])
def test_a_utf16_offset_between_the_halves_of_a_character_is_refused(offset, character):
    with pytest.raises(SpanProblem, match=f"inside the character “{character}”"):
        Utf16ToCodePoints("😀ab🎉c")(offset)


def test_plain_bmp_text_maps_to_itself():
    to_code_points = Utf16ToCodePoints("Straße – “quoted” 北京")
    assert [to_code_points(o) for o in range(20)] == list(range(20))


def test_offsets_follow_line_endings_as_the_stored_text_normalises_them():
    given = "Title\r\n\r\nOne.\rTwo."
    stored, to_stored = canonical(given)
    assert stored == "Title\n\nOne.\nTwo."
    for word in ("Title", "One.", "Two."):
        at = given.index(word)
        assert stored[to_stored(at) : to_stored(at + len(word))] == word


def test_an_article_is_rebuilt_from_its_claims_with_the_same_offsets():
    original = "Headline here\n\nFirst claim.  Second claim.\n\nLast one."
    claims = []
    for order, (paragraph, part) in enumerate(
        [(0, "Headline here"), (1, "First claim."), (1, "Second claim."), (2, "Last one.")]
    ):
        start = original.index(part)
        claims.append(ClaimSpec(order, paragraph, start, start + len(part), part, "statement"))
    assert rebuilt_text(claims) == original
