"""Claim text as HTML with each annotated span marked; every piece of text is escaped."""

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def highlighted(claim, annotations) -> SafeString:
    """``annotations`` have article offsets; overlapping spans split into pieces, each
    marked with the error types of every annotation that covers it. Orphaned annotations
    have no span in the text and are not marked."""
    annotations = [a for a in annotations if not a.is_orphaned]
    cuts = {claim.start, claim.end}
    for a in annotations:
        cuts.update((max(a.start, claim.start), min(a.end, claim.end)))
    cuts = sorted(cut for cut in cuts if claim.start <= cut <= claim.end)
    pieces = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        text = claim.text[left - claim.start : right - claim.start]
        covering = [a for a in annotations if a.start < right and left < a.end]
        if not covering:
            pieces.append(escape(text))
            continue
        label = "; ".join(
            f"{a.error_type.name} ({a.reviewer.get_username()})"
            + (f" → {a.correction}" if a.correction else "")
            for a in covering
        )
        pieces.append(format_html('<mark class="fc-error" title="{}">{}</mark>', label, text))
    return mark_safe("".join(str(piece) for piece in pieces))  # each piece escaped above


def error_badges(annotations) -> SafeString:
    return format_html_join(
        " ",
        '<span class="fc-badge" title="{}">{}</span>',
        ((a.error_type.definition, a.error_type.name) for a in annotations),
    )


def article_with_claims(text: str, claims) -> SafeString:
    """The whole article text, each claim wrapped in an element that says which claim it is.

    Nothing is added between or inside the pieces, so the element's ``textContent`` stays
    exactly the stored text and browser offsets map back onto it.
    """
    pieces, at = [], 0
    for claim in sorted(claims, key=lambda c: c.start):
        pieces.append(escape(text[at : claim.start]))
        pieces.append(
            format_html(
                '<span class="fc-claim" data-claim-id="{}" data-kind="{}" data-order="{}"'
                ' title="{}">{}</span>',
                claim.pk,
                claim.kind,
                claim.order,
                f"Claim #{claim.pk} ({claim.get_kind_display().lower()})",
                text[claim.start : claim.end],
            )
        )
        at = claim.end
    pieces.append(escape(text[at:]))
    return mark_safe("".join(str(piece) for piece in pieces))  # each piece escaped above
