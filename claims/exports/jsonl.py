"""JSON Lines: one claim record per line, the format most ML tooling reads directly."""

import json
from collections.abc import Iterable, Iterator

content_type = "application/x-ndjson; charset=utf-8"
extension = "jsonl"


def write(records: Iterable[dict], *, labels: str = "all") -> Iterator[str]:
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"
