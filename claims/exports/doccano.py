"""doccano sequence-labelling JSONL: one line per article per set of labels.

doccano imports ``{"text": …, "label": [[start, end, "LABEL"], …]}`` and keeps every other
key as the example's metadata. Its annotation screen counts offsets in UTF-16 code units
(JavaScript string indices: an emoji counts twice) unless the project counts grapheme
clusters, so the spans here are ``start_utf16``/``end_utf16``. The label is the error
type's slug, which the importer maps back exactly. What doccano has no place for rides in
``details`` (one entry per span, same offsets): correction, note, severity, sources.

Each reviewer's annotations are one line; final labels (``labels=final|all``) are one more
line, by the adjudicating editor, with ``"final": true``. An article without labels is
still one line, with ``"label": []`` and no reviewer, so the text travels.
"""

import json
from collections.abc import Iterable, Iterator

from claims.exports.articles import by_article, label_sets, source_urls

content_type = "application/x-ndjson; charset=utf-8"
extension = "jsonl"


def span(annotation: dict) -> list:
    return [annotation["start_utf16"], annotation["end_utf16"], annotation["error_type"]]


def details(annotation: dict) -> dict:
    return {
        "start": annotation["start_utf16"],
        "end": annotation["end_utf16"],
        "label": annotation["error_type"],
        "correction": annotation["correction"],
        "note": annotation["note"],
        "severity": annotation["severity"],
        "sources": source_urls(annotation),
    }


def line(article: dict, reviewer: str | None, final: bool, annotations: list[dict]) -> dict:
    annotations = sorted(annotations, key=lambda a: (a["start_utf16"], a["end_utf16"]))
    return {
        "text": article["text"],
        "label": [span(a) for a in annotations],
        "article_id": article["id"],
        "title": article["title"],
        "url": article["url"],
        "outlet": article["outlet"],
        "byline": article["byline"],
        "published_on": article["published_on"],
        "language": article["language"],
        "reviewer": reviewer,
        "final": final,
        "offsets": "utf-16",
        "details": [details(a) for a in annotations],
    }


def write(records: Iterable[dict], *, labels: str = "all") -> Iterator[str]:
    for group in by_article(records):
        sets = label_sets(group) or [(None, False, [])]
        for reviewer, final, annotations in sets:
            yield json.dumps(line(group.article, reviewer, final, annotations), ensure_ascii=False)
            yield "\n"
