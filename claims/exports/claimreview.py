"""schema.org ClaimReview (JSON-LD): one review per adjudicated claim with a final verdict.

What search engines read (Google's fact-check markup): ``claimReviewed`` (the claim, kept
under 75 characters so it does not wrap on a phone, never the rating), ``reviewRating``
(the textual rating in ``alternateName``, the number on a documented scale), ``url``,
``author`` (the fact-checking organisation), ``datePublished`` and ``itemReviewed`` (the
``Claim``, where it appeared and when, and who said it when the article names them).
The verdict -> rating mapping is FACTCHECK_CLAIMREVIEW_RATINGS (``check_ratings`` says what
is wrong with one); a verdict mapped to nothing is not published.

``url`` is the claim's address in this app's API: the one stable page there is for the
claim and its adjudication (this app publishes no fact-check articles of its own). A
newsroom embedding the markup on its own article page should point ``url`` there, since
Google wants it on the page's domain.

The export is one JSON array of ClaimReview objects, each with its own ``@context``, so
any one of them can be lifted out; ``script`` wraps the same array for embedding in a page.
"""

import json
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.conf import settings

from claims.exports import links
from claims.exports.w3c import chunks
from claims.models import Article, Verdict

content_type = "application/ld+json; charset=utf-8"
extension = "jsonld"
# Reviews publish final verdicts: an export of raw labels only would hold none.
labels = ("final", "all")

# Google: "Try to keep this less than 75 characters to minimize wrapping when displayed on
# a mobile device."
CLAIM_REVIEWED_CHARS = 74  # "less than 75"
ELLIPSIS = "…"


def shortened(text: str, limit: int = CLAIM_REVIEWED_CHARS) -> str:
    """``text`` in at most ``limit`` characters, cut at a word boundary with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    if " " in cut and not text[len(cut)].isspace():
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–—") + ELLIPSIS


def check_ratings(config) -> list[str]:
    """What is wrong with a FACTCHECK_CLAIMREVIEW_RATINGS value, each as a sentence."""
    if not isinstance(config, dict) or not isinstance(config.get("verdicts"), dict):
        return ['It must be an object with "worstRating", "bestRating" and "verdicts".']
    problems = []
    worst, best = config.get("worstRating"), config.get("bestRating")
    numbers = isinstance(worst, int | float) and isinstance(best, int | float)
    if not numbers or not 1 <= worst < best:
        # Google: worstRating at least 1, bestRating greater than it.
        problems.append("worstRating and bestRating: numbers with 1 <= worstRating < bestRating.")
    for verdict, rating in config["verdicts"].items():
        if verdict not in Verdict.Label.values:
            problems.append(f"{verdict!r} is not a verdict; use {', '.join(Verdict.Label.values)}.")
        elif rating is not None:
            if not isinstance(rating, dict) or not isinstance(rating.get("alternateName"), str):
                problems.append(f'{verdict}: give {{"alternateName": "…"}} or null.')
            elif "ratingValue" in rating and not (
                numbers
                and isinstance(rating["ratingValue"], int | float)
                and worst <= rating["ratingValue"] <= best
            ):
                problems.append(f"{verdict}: ratingValue must lie in worstRating..bestRating.")
    return problems


def rating(verdict: str | None, config: dict) -> dict | None:
    """The schema.org Rating of a final verdict, or None when it is not published."""
    chosen = config["verdicts"].get(verdict) if verdict else None
    if chosen is None:
        return None
    found = {"@type": "Rating", "alternateName": chosen["alternateName"]}
    if "ratingValue" in chosen:
        found |= {
            "ratingValue": chosen["ratingValue"],
            "bestRating": config["bestRating"],
            "worstRating": config["worstRating"],
        }
    return found


def item_reviewed(article: dict, details: dict) -> dict:
    """The claim as it appeared: in the article, when it was published, by whom."""
    appearance = {"@type": "CreativeWork", "headline": article["title"]}
    if article["url"]:
        appearance["url"] = article["url"]
    claim = {"@type": "Claim", "appearance": appearance}
    if details.get("published_on"):
        claim["datePublished"] = details["published_on"].isoformat()
    if details.get("byline"):
        claim["author"] = {"@type": "Person", "name": details["byline"]}
    elif details.get("outlet"):
        claim["author"] = {"@type": "Organization", "name": details["outlet"]}
    return claim


def organisation() -> dict:
    return {
        "@type": "Organization",
        "name": settings.FACTCHECK_ORGANIZATION_NAME,
        "url": settings.FACTCHECK_ORGANIZATION_URL or links.site_url(),
    }


def claim_review(record: dict, details: dict, config: dict) -> dict | None:
    """The ClaimReview of one record, or None (no final verdict, or one not published)."""
    final = record.get("final")
    review_rating = rating(final and final["verdict"], config)
    if review_rating is None:
        return None
    claim = record["claim"]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": links.claim_url(claim["id"]),
        "claimReviewed": shortened(claim["text"]),
        "reviewRating": review_rating,
        "itemReviewed": item_reviewed(record["article"], details),
        "author": organisation(),
        "datePublished": datetime.fromisoformat(final["adjudicated_at"])
        .replace(microsecond=0)
        .isoformat(),
    }


def claim_reviews(records: Iterable[dict]) -> Iterator[dict]:
    """ClaimReviews in record order; the articles' dates and authors, which records do not
    carry, are read once per chunk of records."""
    config = settings.FACTCHECK_CLAIMREVIEW_RATINGS
    for chunk in chunks(records, settings.FACTCHECK_EXPORT_CHUNK_SIZE):
        judged = {r["article"]["id"] for r in chunk if r.get("final")}
        details = {
            row["id"]: row
            for row in Article.objects.filter(pk__in=judged).values(
                "id", "published_on", "byline", "outlet"
            )
        }
        for record in chunk:
            review = claim_review(record, details.get(record["article"]["id"], {}), config)
            if review is not None:
                yield review


# Inside <script>, "</script>" or "<!--" in a claim would end or confuse the element. JSON
# may spell any character as \\uXXXX, so these are written that way: the data is unchanged.
SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def write(records: Iterable[dict], *, labels: str = "all") -> Iterator[str]:
    yield "["
    for index, review in enumerate(claim_reviews(records)):
        yield ("," if index else "") + "\n" + _dump(review)
    yield "\n]\n"


def script(records: Iterable[dict]) -> Iterator[str]:
    """The same array as an embeddable ``<script type="application/ld+json">`` element."""
    yield '<script type="application/ld+json">\n'
    for chunk in write(records):
        yield chunk.translate(SCRIPT_ESCAPES)
    yield "</script>\n"
