"""JSON Lines: one claim record per line, the format most ML tooling reads directly.

Each line is the record in compact JSON (``{"a":1}``), keys in the shape's order.
"""

from collections.abc import Iterable, Iterator

import orjson

content_type = "application/x-ndjson; charset=utf-8"
extension = "jsonl"


def write(records: Iterable[dict], *, labels: str = "all") -> Iterator[str]:
    for record in records:
        yield orjson.dumps(record).decode() + "\n"


def write_jsonl(chunks: Iterable[bytes], *, labels: str = "all") -> Iterator[bytes]:
    """The fast path: the JSONL bytes are already this format."""
    return iter(chunks)
