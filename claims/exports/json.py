"""One JSON array of claim records, written element by element so it can stream."""

import json
from collections.abc import Iterable, Iterator

content_type = "application/json; charset=utf-8"
extension = "json"


def write(records: Iterable[dict], *, labels: str = "all") -> Iterator[str]:
    yield "["
    for index, record in enumerate(records):
        yield ("," if index else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]\n"
