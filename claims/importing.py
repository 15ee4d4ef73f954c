"""Reading article files for ``import_articles``: .txt, .json and .jsonl.

Each reader yields ``ArticleRecord``s with the place they came from, so an error can name
the file and line; a record that cannot be read becomes an ``ImportProblem``, not a crash.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

FIELDS = {"title", "text", "url", "outlet", "byline", "published_on", "language"}
ALIASES = {
    "author": "byline",
    "published": "published_on",
    "date": "published_on",
    "body": "text",
    "content": "text",
    "headline": "title",
}


@dataclass
class ArticleRecord:
    where: str
    fields: dict = field(default_factory=dict)


@dataclass
class ImportProblem:
    where: str
    message: str


def read_articles(path: Path) -> Iterator[ArticleRecord | ImportProblem]:
    suffix = path.suffix.lower()
    try:
        raw = path.read_bytes().decode("utf-8-sig")  # a byte-order mark is not part of the text
    except (OSError, UnicodeDecodeError) as error:
        yield ImportProblem(str(path), f"cannot read the file: {error}")
        return
    if suffix == ".txt":
        yield from _from_txt(path, raw)
    elif suffix == ".jsonl":
        # Split on \n only: str.splitlines() would also cut at U+2028 and friends, which
        # JSON leaves unescaped inside strings.
        for number, line in enumerate(raw.split("\n"), start=1):
            if line.strip():
                yield _from_json_text(f"{path}:{number}", line)
    elif suffix == ".json":
        yield from _from_json_document(path, raw)
    else:
        yield ImportProblem(str(path), f"unknown file type “{suffix}”; use .txt, .json or .jsonl")


def _from_txt(path: Path, raw: str) -> Iterator[ArticleRecord | ImportProblem]:
    # The first line is the title and stays part of the text: it is the headline claim.
    title = raw.lstrip().split("\n", 1)[0].strip()
    if not title:
        yield ImportProblem(f"{path}:1", "the file is empty")
        return
    yield ArticleRecord(str(path), {"title": title, "text": raw})


def _from_json_document(path: Path, raw: str) -> Iterator[ArticleRecord | ImportProblem]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        yield ImportProblem(f"{path}:{error.lineno}", f"invalid JSON: {error.msg}")
        return
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items):
        where = f"{path}[{index}]" if isinstance(data, list) else str(path)
        yield _record(where, item)


def _from_json_text(where: str, line: str) -> ArticleRecord | ImportProblem:
    try:
        return _record(where, json.loads(line))
    except json.JSONDecodeError as error:
        return ImportProblem(where, f"invalid JSON: {error.msg} (column {error.colno})")


def _record(where: str, item) -> ArticleRecord | ImportProblem:
    if not isinstance(item, dict):
        return ImportProblem(where, "expected an object with at least “text”")
    fields = {ALIASES.get(key, key): value for key, value in item.items()}
    unknown = set(fields) - FIELDS - {"id", "metadata"}
    if unknown:
        return ImportProblem(where, f"unknown fields {sorted(unknown)}; known: {sorted(FIELDS)}")
    if not isinstance(fields.get("text"), str) or not fields["text"].strip():
        return ImportProblem(where, "“text” is missing or empty")
    # null means "not given"; every field given must be a JSON string.
    fields = {key: value for key, value in fields.items() if key in FIELDS and value is not None}
    wrong = sorted(key for key, value in fields.items() if not isinstance(value, str))
    if wrong:
        return ImportProblem(where, f"{', '.join(wrong)} must be text (a JSON string)")
    published = fields.get("published_on")
    if published:
        try:
            fields["published_on"] = date.fromisoformat(str(published)[:10])
        except ValueError:
            return ImportProblem(
                where, f"“published_on” {published!r} is not a date (use YYYY-MM-DD)"
            )
    return ArticleRecord(where, fields)
