"""Reading JSON and JSON Lines files for the label importers, problems by file:line."""

import json
from collections.abc import Iterator
from pathlib import Path

from claims.importers import articles
from claims.importers.articles import BOM, ImportProblem


def _bytes(path: Path) -> bytes | ImportProblem:
    try:
        data = path.read_bytes()
    except OSError as error:
        return articles.cannot_read(path, error)
    return data[len(BOM) :] if data.startswith(BOM) else data


def json_lines(path: Path) -> Iterator[tuple[str, object]]:
    """(where, parsed line or ImportProblem) for each non-blank line, a line at a time:
    sniffing a file's first line reads that line, not the file."""
    try:
        for number, line in articles.json_lines(path):
            where = f"{path}:{number}"
            yield where, _parse(where, line)
    except OSError as error:
        yield str(path), articles.cannot_read(path, error)


def json_document(path: Path) -> object:
    data = _bytes(path)
    if isinstance(data, ImportProblem):
        return data
    return _parse(str(path), data)


def _parse(where: str, raw: bytes) -> object:
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        return ImportProblem(where, f"not valid UTF-8 at byte {error.start + 1}; save it as UTF-8")
    except json.JSONDecodeError as error:
        return ImportProblem(where, f"invalid JSON: {error.msg} (line {error.lineno})")
    except RecursionError:
        return ImportProblem(where, "invalid JSON: nested too deeply")


def first_line(path: Path) -> object:
    """The first non-blank line of a JSON Lines file, parsed (or None)."""
    for _, value in json_lines(path):
        return value
    return None
