"""The admin's search boxes over a million claims, on PostgreSQL.

Django's admin search joins the related tables and ORs a substring test per field: the
claim list's "text or article title" became a hash join of every claim with every article,
the claim's text turned into a tsvector row by row (23 s for words that match nothing).
Here each part is answered by its own index and the parts are ORed as row sets, which the
planner merges (a BitmapOr) when they are small and walks in the list's order when they
are large.

SQLite keeps Django's own search for the claim list (each word, or "quoted phrase", a
substring of the text or of the article's title), with the text's substring narrowed first
by the trigram index where SQLite has one (``claims.search``): it read every claim's text,
a second at a million claims.
"""

from django.contrib.postgres.search import SearchQuery, SearchVectorExact
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, Subquery
from django.db.models.lookups import In
from django.utils.text import smart_split, unescape_string_literal

from claims.admin.paging import estimated_count
from claims.models import Article, Claim
from claims.search import (
    CONFIG,
    Unindexed,
    annotation_text_vector,
    claim_text_contains,
    claim_text_matches,
)

# A search matching more claims than this finds annotations claim by claim (see
# ``annotations_matching``).
CLAIMS_LISTED_UP_TO = 5_000


class EqualsAnyOf(Func):
    """``column = ANY(ARRAY(subquery))``: the subquery runs once, and its rows are looked up
    in the column's index. (``column IN (subquery)`` inside an OR becomes a hashed subplan
    tested on every row of the table instead.)"""

    arg_joiner = " = ANY(ARRAY"
    template = "%(expressions)s)"
    output_field = BooleanField()


def claims_matching(search_term: str, *, vendor: str = "postgresql", indexed: bool = True) -> Q:
    """Claims whose text matches ``search_term`` (full-text search, or a fragment pasted from
    the article: ``claims.search.claim_text_contains``), or whose article's title contains
    it. On SQLite, each of its words does, as Django's admin search reads them, and
    ``indexed=False`` writes it for a page walked in the list's order (``Unindexed``)."""
    if vendor != "postgresql":
        return _each_word_in_text_or_title(search_term, vendor, indexed)
    titled = Article.objects.filter(title__icontains=search_term).order_by().values("pk")
    by_title = EqualsAnyOf(F("article_id"), Subquery(titled))
    return claim_text_contains(search_term, vendor="postgresql") | Q(by_title)


def _each_word_in_text_or_title(search_term: str, vendor: str, indexed: bool) -> Q:
    # As ModelAdmin.get_search_results splits and reads a search (Django 5.2), for
    # search_fields = ["text", "article__title"].
    condition = Q()
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        titled = Article.objects.filter(title__icontains=bit).order_by().values("pk")
        article_id = F("article_id") if indexed else Unindexed("article_id")
        condition &= claim_text_matches(bit, vendor=vendor, indexed=indexed) | Q(
            In(article_id, titled)
        )
    return condition


def annotations_matching(search_term: str) -> Q:
    """Annotations whose quote, correction or note has the words of ``search_term``, or whose
    claim's text matches it (as the claim list's search does).

    The claims are looked up first when they are few. When they are many (a common word:
    50,000 claims, 25,000 annotations on them), listing them all costs more than walking
    the newest annotations and testing each one's claim until a page is full."""
    words = SearchQuery(search_term, config=CONFIG, search_type="websearch")
    claims = Claim.objects.filter(claim_text_contains(search_term, vendor="postgresql"))
    claims = claims.order_by().values("pk")
    if estimated_count(claims) > CLAIMS_LISTED_UP_TO:
        on_claims = Exists(claims.filter(pk=OuterRef("claim_id")))
    else:
        on_claims = EqualsAnyOf(F("claim_id"), Subquery(claims))
    return Q(SearchVectorExact(annotation_text_vector(), words)) | Q(on_claims)
