"""One JSON array of claim records, written element by element so it can stream.

``[``, then each record on its own line, commas between, then ``]``: the JSONL lines
joined, so the fast path re-frames the JSONL bytes without decoding them.
"""

from collections.abc import Iterable, Iterator

import orjson

content_type = "application/json; charset=utf-8"
extension = "json"


def write(records: Iterable[dict], *, labels: str = "all") -> Iterator[str]:
    yield "["
    for index, record in enumerate(records):
        yield ("," if index else "") + "\n" + orjson.dumps(record).decode()
    yield "\n]\n"


def write_jsonl(chunks: Iterable[bytes], *, labels: str = "all") -> Iterator[bytes]:
    """The same bytes as ``write``, from JSONL chunks of whole lines."""
    yield b"["
    separator = b"\n"
    for chunk in chunks:
        # A line break inside JSON text is always escaped: each one here ends a record.
        yield separator + chunk[:-1].replace(b"\n", b",\n")
        separator = b",\n"
    yield b"\n]\n"
