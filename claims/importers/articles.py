"""Reading articles for ``import_articles``: .txt, .json and .jsonl files, saved web pages
(.html, .htm) and the addresses of pages (``file://``, ``http://``, ``https://``).

Each reader yields ``ArticleRecord``s with the place they came from, so an error can name
the file and line; a record that cannot be read becomes an ``ImportProblem``, not a crash.
"""

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from claims.importers.web_pages import UnreadablePage, article_from_page, decode_page
from claims.text.excerpts import excerpt
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
    if suffix in PAGE_SUFFIXES:
        yield _from_page_file(path, str(path))
        return
    if suffix == ".jsonl":
        yield from _from_jsonl(path)
        return
    try:
        data = path.read_bytes()
    except OSError as error:
        yield ImportProblem(str(path), f"cannot read the file: {error.strerror or error}")
        return
    if data.startswith(BOM):  # a byte-order mark is not part of the text
        data = data[len(BOM) :]
    if suffix in (".txt", ".json"):
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
            str(path),
            f"unknown file type “{excerpt(suffix)}”; use .txt, .json, .jsonl, .html or .htm",
        )


def count_records(path: Path) -> int:
    """How many records ``read_articles(path)`` yields, read without building them (a
    progress bar's total): one per non-blank line of JSON Lines, per item of a JSON list."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            return sum(1 for _ in json_lines(path))
        if suffix == ".json":
            data = json.loads(path.read_bytes())
            return len(data) if isinstance(data, list) else 1
    except (OSError, ValueError, RecursionError):
        pass  # read_articles reports it, as one problem
    return 1


def json_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(number, line) for each non-blank line of a JSON Lines file, undecoded, read a line
    at a time so that a file of any size is read in bounded memory. Raises ``OSError``.

    Each line is decoded by its reader on its own: a bad byte spoils its line, not the
    file. Lines end at \n only: str.splitlines() would also cut at U+2028 and friends,
    which JSON leaves unescaped inside strings.
    """
    with path.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            if number == 1 and line.startswith(BOM):  # not part of the text
                line = line[len(BOM) :]
            if line.endswith(b"\n"):
                line = line[:-1]
            if line.strip():
                yield number, line


def cannot_read(path: Path, error: OSError) -> ImportProblem:
    return ImportProblem(str(path), f"cannot read the file: {error.strerror or error}")


def _from_jsonl(path: Path) -> Iterator[ArticleRecord | ImportProblem]:
    try:
        for number, line in json_lines(path):
            yield _from_json_line(f"{path}:{number}", line)
    except OSError as error:
        yield cannot_read(path, error)


BOM = "\ufeff".encode()
PAGE_SUFFIXES = (".html", ".htm")
# Schemes of the addresses import_articles fetches a page from.
PAGE_SCHEMES = ("file", "http", "https")
FETCH_TIMEOUT_SECONDS = 30


def is_address(argument: str) -> bool:
    """Whether a command-line argument is an address (``scheme://…``) rather than a path."""
    scheme, found, _ = argument.partition("://")
    return bool(found) and scheme.isalpha()


def read_address(address: str) -> ImportProblem | ArticleRecord:
    """The article on the page at ``address``: a ``file://`` URL is read as a saved page
    whatever its name; an http(s) one is fetched, the bytes bounded as an API body is."""
    parts = urlsplit(address)
    scheme = parts.scheme.lower()
    if scheme not in PAGE_SCHEMES:
        return ImportProblem(
            excerpt(address), f"cannot fetch “{scheme}” addresses; use file://, http:// or https://"
        )
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            return ImportProblem(address, "a file:// address must name a file on this machine")
        return _from_page_file(Path(urllib.request.url2pathname(parts.path)), address)
    request = urllib.request.Request(
        address, headers={"User-Agent": "factcheck import_articles", "Accept": "text/html"}
    )
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:
            media_type = response.headers.get_content_type()
            if media_type not in ("text/html", "application/xhtml+xml"):
                return ImportProblem(
                    address, f"the address answered with {media_type}, not an HTML page"
                )
            data = response.read(_page_limit() + 1)
            charset = response.headers.get_content_charset()
            fetched_from = response.geturl()
    except urllib.error.HTTPError as error:
        return ImportProblem(address, f"the server answered {error.code} {error.reason}")
    except urllib.error.URLError as error:
        return ImportProblem(address, f"cannot fetch it: {error.reason}")
    except TimeoutError:
        return ImportProblem(address, f"no answer within {FETCH_TIMEOUT_SECONDS} seconds")
    except (OSError, ValueError) as error:  # a malformed address, a connection reset
        return ImportProblem(address, f"cannot fetch it: {error}")
    return _from_page(address, data, charset=charset, url=fetched_from)


def _page_limit() -> int:
    # One limit for a page however it arrives: the API's body limit, so a page imported
    # here could also have been posted.
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2**62


def _too_large() -> str:
    return (
        f"the page is over {_page_limit():,} bytes (DATA_UPLOAD_MAX_MEMORY_SIZE); save a "
        "smaller page, or ask the administrator to raise the limit"
    )


def _from_page_file(path: Path, where: str) -> ArticleRecord | ImportProblem:
    try:
        if path.stat().st_size > _page_limit():
            return ImportProblem(where, _too_large())
        data = path.read_bytes()
    except OSError as error:
        return ImportProblem(where, f"cannot read the file: {error.strerror or error}")
    return _from_page(where, data)


def _from_page(
    where: str, data: bytes, *, charset: str | None = None, url: str | None = None
) -> ArticleRecord | ImportProblem:
    if len(data) > _page_limit():
        return ImportProblem(where, _too_large())
    try:
        html = decode_page(data, charset)
        page = article_from_page(html, url=url)
    except UnreadablePage as error:
        return ImportProblem(where, str(error))
    fields = page.fields()
    if problems := article_problems(fields):
        return ImportProblem(
            where, "; ".join(f"{name} {problem}" for name, problem in problems.items())
        )
    return ArticleRecord(where, {**fields, "source_html": html})


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
