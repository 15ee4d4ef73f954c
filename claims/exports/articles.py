"""Claim records regrouped by article, with each article's full text, for the writers whose
unit is a document (doccano, Label Studio) rather than a claim.

Records arrive in article order, so an article's records are consecutive. The records hold
claims, not the text between them, so the texts are read here: once per batch of
articles, in one query, never once per claim or per article.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby

from claims.models import Article

# Articles whose records are held at once while their texts are read in one query.
ARTICLES_PER_QUERY = 20


@dataclass
class ArticleRecords:
    article: dict  # id, title, url, text, outlet, byline, published_on, language
    records: list[dict]


def by_article(
    records: Iterable[dict], *, per_query: int = ARTICLES_PER_QUERY
) -> Iterator[ArticleRecords]:
    batch: list[list[dict]] = []
    for _, group in groupby(records, key=lambda record: record["article"]["id"]):
        batch.append(list(group))
        if len(batch) == per_query:
            yield from _with_texts(batch)
            batch = []
    if batch:
        yield from _with_texts(batch)


def _with_texts(batch: list[list[dict]]) -> Iterator[ArticleRecords]:
    ids = [group[0]["article"]["id"] for group in batch]
    stored = {
        row["id"]: row
        for row in Article.objects.filter(pk__in=ids).values(
            "id", "text", "outlet", "byline", "published_on", "language"
        )
    }
    for group in batch:
        article = group[0]["article"]
        row = stored[article["id"]]
        published = row["published_on"]
        yield ArticleRecords(
            article={
                **article,
                "text": row["text"],
                "outlet": row["outlet"],
                "byline": row["byline"],
                "published_on": published.isoformat() if published else None,
                "language": row["language"],
            },
            records=group,
        )


def label_sets(group: ArticleRecords) -> list[tuple[str, bool, list[dict]]]:
    """(username, is_final, annotations) for each set of labels on the article: one per
    reviewer whose annotations the records hold, then each adjudicating editor's final
    labels if the records hold any. Orphaned labels (no offsets since a revision) have no place in a
    document format and are left out."""
    by_reviewer: dict[str, list[dict]] = {}
    by_editor: dict[str, list[dict]] = {}
    for record in group.records:
        for annotation in record.get("annotations", []):
            if annotation["start"] is not None:
                by_reviewer.setdefault(annotation["reviewer"], []).append(annotation)
        if final := record.get("final"):
            placed = [a for a in final["annotations"] if a["start"] is not None]
            by_editor.setdefault(final["adjudicated_by"], []).extend(placed)
    return [(name, False, by_reviewer[name]) for name in sorted(by_reviewer)] + [
        (name, True, by_editor[name]) for name in sorted(by_editor)
    ]


def source_urls(annotation: dict) -> list[dict]:
    return [
        {"url": s["url"], "title": s["title"], "publisher": s["publisher"]}
        for s in annotation["sources"]
    ]
