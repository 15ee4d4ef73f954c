"""Re-anchoring spans after a revision: pure functions, no database."""

from claims.text.anchoring import Anchor, Anchored, Span, anchor, context, pair_claims

TEXT = "Blinken met Xi in Beijing. The Foreign Minister said the talks were candid.\n"


def span_of(quote: str, text: str = TEXT) -> Span:
    start = text.index(quote)
    end = start + len(quote)
    return Span(start, end, quote, *context(text, start, end))


def test_unchanged_offsets_anchor_exactly():
    span = span_of("Foreign Minister")
    assert anchor(span, TEXT + "More.\n") == Anchored(Anchor.EXACT, span.start, span.end)


def test_an_insertion_before_the_span_moves_it():
    revised = "Updated at noon.\n" + TEXT
    found = anchor(span_of("Foreign Minister"), revised)
    assert found.anchor == Anchor.MOVED
    assert found.quote_in(revised) == "Foreign Minister"
    assert found.start == TEXT.index("Foreign Minister") + len("Updated at noon.\n")


def test_the_same_quote_at_the_old_offsets_by_coincidence_is_not_exact():
    text = "Blinken met Xi. He said the talks were candid."
    span = span_of("the", text)
    revised = "Blinken met Xi Jinping, the leader. He said the talks were candid."
    assert revised[span.start : span.end] == "the"  # a different "the" now sits there
    found = anchor(span, revised)
    assert found.anchor == Anchor.MOVED
    assert found.start == revised.index("the talks")


def test_among_repeated_quotes_the_context_picks_the_right_one():
    text = "He said no. Later, she said no again."
    second = text.index("said no", 5)
    span = Span(second, second + 7, "said no", *context(text, second, second + 7))
    revised = "He said no. Much later, she said no again."
    found = anchor(span, revised)
    assert found.start == revised.index("said no", 5)


def test_an_edit_inside_the_span_anchors_it_fuzzily_within_the_bound():
    span = span_of("The Foreign Minister said")
    revised = TEXT.replace("Foreign Minister", "Foreign Ministre")
    found = anchor(span, revised)
    assert found.anchor == Anchor.FUZZY
    assert found.quote_in(revised) == "The Foreign Ministre said"


def test_quote_style_and_whitespace_changes_anchor_fuzzily():
    text = 'He called it "a candid  talk" in Beijing.'
    span = span_of('"a candid  talk"', text)
    revised = "He called it “a candid talk” in Beijing."
    found = anchor(span, revised)
    assert found.anchor == Anchor.FUZZY
    assert found.quote_in(revised) == "“a candid talk”"


def test_a_rewritten_span_beyond_the_bound_is_orphaned():
    span = span_of("Foreign Minister")
    revised = TEXT.replace("Foreign Minister", "Secretary of State")
    assert anchor(span, revised) == Anchored(Anchor.ORPHANED)


def test_short_quotes_are_never_matched_loosely():
    text = "The US said so."
    span = span_of("US", text)
    assert anchor(span, "The UN said so.").anchor == Anchor.ORPHANED


def test_a_deleted_paragraph_orphans_its_spans_only():
    first, second = "Blinken met Xi.\n", "The talks were candid and long.\n"
    span_a, span_b = span_of("met Xi", first + second), span_of("candid and long", first + second)
    revised = second
    assert anchor(span_a, revised).anchor == Anchor.ORPHANED
    assert anchor(span_b, revised).quote_in(revised) == "candid and long"


def test_an_orphaned_span_is_found_again_by_its_quote():
    orphan = Span(None, None, "met Xi", "Blinken ", ".")
    assert anchor(orphan, "Blinken met Xi.").quote_in("Blinken met Xi.") == "met Xi"


def test_spans_stored_without_context_still_anchor_exactly():
    span = Span(0, 7, "Blinken")
    assert anchor(span, TEXT).anchor == Anchor.EXACT


def test_claims_pair_by_identical_text_even_when_reordered():
    old = ["A.", "B.", "C.", "D."]
    new = ["New.", "A.", "D.", "B changed.", "C."]
    pairing = pair_claims(old, new)
    assert pairing.same == {1: 0, 2: 3, 4: 2}
    assert [new[j] for j in pairing.nearest] == ["A.", "B changed.", "C.", "D."]


def test_a_deleted_claim_goes_to_the_claim_after_the_gap_or_the_last():
    pairing = pair_claims(["A.", "B.", "C."], ["A.", "C."])
    assert pairing.nearest == [0, 1, 1]
    assert pair_claims(["A.", "B."], ["A."]).nearest == [0, 0]
