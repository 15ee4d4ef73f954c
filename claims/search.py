"""Searching claims by their text: full-text search on PostgreSQL, a substring elsewhere.

On PostgreSQL the words are stemmed with the English dictionary ("ministers" finds
"Minister", "talks" finds "talk") and read with the web-search syntax people type into
search boxes: words are all required, ``"a phrase"`` in quotes, ``or`` between
alternatives, ``-word`` to exclude. A GIN index over the same expression (migration
``0011_claim_text_search``) answers it without reading every claim. The expression here and
the index's must stay identical, or PostgreSQL cannot use the index; a test checks the plan.

Elsewhere (SQLite, the embedded default) the search is a case-insensitive substring of the
claim's text (``icontains``). Where SQLite has FTS5's trigram tokenizer and the database
holds the trigram index (migration ``0013_claim_text_trigrams``), the index first narrows
the claims to those holding every three letters of the substring, so a search does not
read every claim; the substring test then runs on those only, so the results are
``icontains``' exactly.
"""

import functools
import sqlite3

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorExact
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F, Func, IntegerField, Q
from django.db.models.expressions import RawSQL
from django.db.models.lookups import In

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


def claim_text_matches(terms: str, *, vendor: str, indexed: bool = True) -> Q:
    """The condition "the claim's text matches ``terms``" on the given database vendor.

    On SQLite, ``indexed=False`` keeps the claims' own index out of it (``Unindexed``): for a
    list in order, which should walk the claims in that order and stop at a page."""
    if vendor == "postgresql":
        query = SearchQuery(terms, config=CONFIG, search_type="websearch")
        return Q(SearchVectorExact(claim_text_vector(), query))
    substring = Q(text__icontains=terms)
    if vendor != "sqlite" or not _trigrams_narrow(terms):
        return substring
    # The index's LIKE takes no ESCAPE clause: terms with LIKE's wildcards (% and _) were
    # left to the substring test above.
    candidates = RawSQL(f"SELECT rowid FROM {TRIGRAM_TABLE} WHERE text LIKE %s", [f"%{terms}%"])
    claim_id = F("pk") if indexed else Unindexed("pk")
    return Q(In(claim_id, candidates)) & substring


class Unindexed(Func):
    """SQLite's unary ``+``: a column's value, which no index may answer.

    A search's ids looked up by index (from the trigrams, or from the articles' titles)
    fetch every match, which suits a count; a page in the list's order then sorted them
    all first: 0.5–0.8 s for a common word at a million claims. Unindexed, the page walks
    the claims in its order, tests each against the sets of ids, and stops when full:
    0.2 s, common word or none (the benchmark corpus, ``bench/api_load.py``)."""

    template = "+%(expressions)s"
    output_field = IntegerField()


TRIGRAM_TABLE = "claims_claim_trigrams"  # migration 0013_claim_text_trigrams


def _trigrams_narrow(terms: str) -> bool:
    # Fewer than three characters hold no trigram; LIKE's wildcards would be read as such.
    return len(terms) >= 3 and "%" not in terms and "_" not in terms and trigram_index_here()


def trigram_index_here(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether this database holds the trigram index and this SQLite can read it.

    Migration 0013 makes the index only where SQLite has the trigram tokenizer. A database
    migrated under an older SQLite has none, even once Python's SQLite gains it: a search
    through it would fail ("no such table") instead of reading every claim. Asked once per
    connection (``forget_trigram_index`` when one opens or a migration runs), of the
    DB-API connection itself: a look at the schema, not one of a request's queries."""
    wrapper = connections[using]
    known = getattr(wrapper, _KNOWN, None)
    if known is None:
        wrapper.ensure_connection()
        found = wrapper.connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [TRIGRAM_TABLE]
        ).fetchone()
        known = found is not None and sqlite_has_trigrams()
        setattr(wrapper, _KNOWN, known)
    return known


_KNOWN = "claims_trigram_index"  # trigram_index_here's answer, on the connection wrapper


def forget_trigram_index(sender=None, connection=None, **kwargs) -> None:
    """A new connection, or a migration, may find the index otherwise: ask again. Connected
    to ``connection_created`` and ``post_migrate`` (``ClaimsConfig.ready``)."""
    for wrapper in [connection] if connection is not None else connections.all():
        if hasattr(wrapper, _KNOWN):
            delattr(wrapper, _KNOWN)


@functools.cache
def sqlite_has_trigrams() -> bool:
    """Whether this Python's SQLite has FTS5 and its trigram tokenizer (3.34 and later), as
    migration 0013 asks before making the index: the same library, asked without a query."""
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize=trigram)")
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()
    return True


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
