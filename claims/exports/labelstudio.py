"""Label Studio JSON tasks: one JSON array, one task per article, one annotation per set
of labels (each reviewer's; the final labels as one more, by the adjudicating editor,
with ``"ground_truth": true`` and ``"final_labels": true``).

Each tagged span is a region: a ``labels`` result (``value.start``/``end``/``text``/
``labels``), and under the same region ``id`` the per-region results Label Studio keeps
for it: ``textarea`` results for the correction, the note and the sources' URLs, and a
``choices`` result for the severity. The labelling config in docs/formats.md declares them.

Label Studio counts ``<Text>`` offsets in code points (its own tests: "Should calculate
offsets by code points in text"), the unit we store: ``value.start``/``end`` are our
``start``/``end``, and ``value.text`` is exactly ``text[start:end]`` in Python.
"""

import json
from collections.abc import Iterable, Iterator

from claims.exports.articles import by_article, label_sets

content_type = "application/json; charset=utf-8"
extension = "json"

FROM = {"from_name": "label", "to_name": "text"}


def _per_region(region: str, name: str, kind: str, annotation: dict, value: dict) -> dict:
    place = {"start": annotation["start"], "end": annotation["end"]}
    return {
        "id": region,
        "type": kind,
        "from_name": name,
        "to_name": "text",
        "value": {**place, **value},
    }


def regions(region: str, annotation: dict) -> list[dict]:
    results = [
        {
            "id": region,
            "type": "labels",
            **FROM,
            "value": {
                "start": annotation["start"],
                "end": annotation["end"],
                "text": annotation["quote"],
                "labels": [annotation["error_type"]],
            },
        },
        _per_region(
            region, "severity", "choices", annotation, {"choices": [annotation["severity"]]}
        ),
    ]
    for name in ("correction", "note"):
        if annotation[name]:
            results.append(
                _per_region(region, name, "textarea", annotation, {"text": [annotation[name]]})
            )
    if annotation["sources"]:
        urls = [source["url"] for source in annotation["sources"]]
        results.append(_per_region(region, "sources", "textarea", annotation, {"text": urls}))
    return results


def annotation_set(username: str, final: bool, annotations: list[dict]) -> dict:
    annotations = sorted(annotations, key=lambda a: (a["start"], a["end"]))
    result = []
    for number, annotation in enumerate(annotations, start=1):
        # A raw annotation's region is named after its row; a final label has no row id.
        region = f"final-{number}" if final else f"annotation-{annotation['id']}"
        result += regions(region, annotation)
    return {
        "completed_by": {"username": username},
        "ground_truth": final,
        "final_labels": final,
        "was_cancelled": False,
        "result": result,
    }


def task(article: dict, sets: list) -> dict:
    return {
        "id": article["id"],
        "data": {
            "text": article["text"],
            "title": article["title"],
            "url": article["url"],
            "article_id": article["id"],
            "outlet": article["outlet"],
            "byline": article["byline"],
            "published_on": article["published_on"],
            "language": article["language"],
        },
        "annotations": [annotation_set(*labels) for labels in sets],
    }


def write(records: Iterable[dict], *, labels: str = "all") -> Iterator[str]:
    yield "["
    for index, group in enumerate(by_article(records)):
        tagged = task(group.article, label_sets(group))
        yield ("," if index else "") + "\n" + json.dumps(tagged, ensure_ascii=False)
    yield "\n]\n"
