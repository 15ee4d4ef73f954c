"""Reading article files for ``import_articles``: .txt, .json and .jsonl.

Each reader yields ``ArticleRecord``s with the place they came from, so an error can name
the file and line; a record that cannot be read becomes an ``ImportProblem``, not a crash.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from claims.excerpts import excerpt
from claims.validation import article_problems

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
        data = path.read_bytes()
    except OSError as error:
        yield ImportProblem(str(path), f"cannot read the file: {error.strerror or error}")
        return
    if data.startswith(BOM):  # a byte-order mark is not part of the text
        data = data[len(BOM) :]
    if suffix == ".jsonl":
        # Each line is decoded on its own: a bad byte spoils its line, not the file.
        # Split on \n only: str.splitlines() would also cut at U+2028 and friends, which
        # JSON leaves unescaped inside strings.
        for number, line in enumerate(data.split(b"\n"), start=1):
            if line.strip():
                yield _from_json_line(f"{path}:{number}", line)
    elif suffix in (".txt", ".json"):
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
            yield ImportProblem(f"{path}:{line}", _not_utf8(column))
            return
        yield from (_from_txt if suffix == ".txt" else _from_json_document)(path, raw)
    else:
        yield ImportProblem(
            str(path), f"unknown file type “{excerpt(suffix)}”; use .txt, .json or .jsonl"
        )


BOM = "\ufeff".encode()


def _not_utf8(byte: int) -> str:
    return f"not valid UTF-8 at byte {byte} of the line; save the file as UTF-8"


def _from_txt(path: Path, raw: str) -> Iterator[ArticleRecord | ImportProblem]:
    # The first line is the title and stays part of the text: it is the headline claim.
    title = raw.lstrip().split("\n", 1)[0].strip()
    if not title:
        yield ImportProblem(f"{path}:1", "the file is empty")
        return
    yield _record(str(path), {"title": title, "text": raw})


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


def _from_json_line(where: str, line: bytes) -> ArticleRecord | ImportProblem:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        return ImportProblem(where, _not_utf8(error.start + 1))
    try:
        return _record(where, json.loads(text))
    except json.JSONDecodeError as error:
        return ImportProblem(where, f"invalid JSON: {error.msg} (column {error.colno})")
    except RecursionError:
        return ImportProblem(where, "invalid JSON: nested too deeply")


def _record(where: str, item) -> ArticleRecord | ImportProblem:
    if not isinstance(item, dict):
        return ImportProblem(where, "expected an object with at least “text”")
    fields = {ALIASES.get(key, key): value for key, value in item.items()}
    unknown = set(fields) - FIELDS - {"id", "metadata"}
    if unknown:
        return ImportProblem(
            where, f"unknown fields {excerpt(sorted(unknown))}; known: {sorted(FIELDS)}"
        )
    # null means "not given"; the rest is checked as the API checks it.
    fields = {key: value for key, value in fields.items() if key in FIELDS and value is not None}
    if problems := article_problems(fields):
        return ImportProblem(
            where, "; ".join(f"{name} {problem}" for name, problem in problems.items())
        )
    if published := fields.get("published_on"):
        fields["published_on"] = date.fromisoformat(published[:10])
    return ArticleRecord(where, fields)
