"""Searching claims by their text: full-text search on PostgreSQL, a substring elsewhere.

On PostgreSQL the words are stemmed with the English dictionary ("ministers" finds
"Minister", "talks" finds "talk") and read with the web-search syntax people type into
search boxes: words are all required, ``"a phrase"`` in quotes, ``or`` between
alternatives, ``-word`` to exclude. A GIN index over the same expression (migration
``0011_claim_text_search``) answers it without reading every claim. The expression here and
the index's must stay identical, or PostgreSQL cannot use the index; a test checks the plan.

Elsewhere (SQLite, the embedded default) the search is a case-insensitive substring of the
claim's text.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorExact
from django.db.models import Q

# One dictionary for every article: most are English, and a claim's text has no language
# of its own. (Articles in other languages are matched by their unstemmed words' stems
# as English would stem them, which still finds exact words.)
CONFIG = "english"


def claim_text_vector() -> SearchVector:
    return SearchVector("text", config=CONFIG)


def annotation_text_vector() -> SearchVector:
    """The words of an annotation's quote, correction and note: the admin's search over
    annotations (index: migration ``0012_annotation_text_search``)."""
    return SearchVector("quote", "correction", "note", config=CONFIG)


def claim_text_matches(terms: str, *, vendor: str) -> Q:
    """The condition "the claim's text matches ``terms``" on the given database vendor."""
    if vendor == "postgresql":
        query = SearchQuery(terms, config=CONFIG, search_type="websearch")
        return Q(SearchVectorExact(claim_text_vector(), query))
    return Q(text__icontains=terms)


def claim_text_contains(fragment: str, *, vendor: str) -> Q:
    """The condition "the claim's text matches ``fragment`` or contains it exactly".

    For a fragment pasted from an article into the admin's search box: its first and last
    words may be cut ("…reign Minister spoke in Beij"), which no word search finds. On
    PostgreSQL the words between them narrow the claims through the index, then the
    fragment itself is looked for in those few; a fragment of one or two words is
    searched as words only (a substring search would read every claim).
    """
    matches = claim_text_matches(fragment, vendor=vendor)
    inner = fragment.split()[1:-1]
    if vendor != "postgresql" or not inner:
        return matches
    words = SearchQuery(" ".join(inner), config=CONFIG, search_type="plain")
    return matches | (
        Q(SearchVectorExact(claim_text_vector(), words)) & Q(text__icontains=fragment)
    )
