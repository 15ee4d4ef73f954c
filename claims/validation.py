"""What an article's fields must be to be stored: one check, asked by the importer, the API
and ``services.article_import``, so a file line and a POST are held to the same rules.

Pure Python: the caller turns the problems into its own kind of error (an import line's
message, a 400, a ``ValidationError``).
"""

from collections.abc import Mapping
from datetime import date

from claims.text.excerpts import excerpt

# The model's column widths (claims.models.Article), checked before the database sees them.
MAX_LENGTHS = {"title": 500, "url": 1000, "outlet": 200, "byline": 300, "language": 16}
TEXT_FIELDS = ("title", "text", "url", "outlet", "byline", "language")


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None.

    NUL is refused by PostgreSQL and by the API alike. A lone surrogate (a JSON escape
    such as ``\\ud800`` without its pair) is not a character at all: it cannot be written
    as UTF-8, so it would break the database or every export later.
    """
    if (position := value.find("\x00")) != -1:
        return f"contains a NUL character (\\x00) at position {position}; remove it"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        bad = value[error.start]
        return (
            f"contains a lone surrogate (\\u{ord(bad):04x}) at position {error.start}, which is "
            "not a character; fix the \\u escape (a surrogate must come in a pair)"
        )
    return None


def article_problems(fields: Mapping[str, object]) -> dict[str, str]:
    """Each field's problem, by field name; empty when the article can be stored.

    ``published_on`` may be given as a date or as text (checked as YYYY-MM-DD); None means
    "not given" for every field but ``text``.
    """
    problems: dict[str, str] = {}
    for name, value in fields.items():
        if value is None or (name == "published_on" and isinstance(value, date)):
            continue
        if not isinstance(value, str):
            problems[name] = "must be text (a JSON string)"
        elif problem := text_problem(value):
            problems[name] = problem
        elif name in MAX_LENGTHS and len(value) > MAX_LENGTHS[name]:
            problems[name] = f"is {len(value)} characters long; at most {MAX_LENGTHS[name]}"
        elif name == "published_on" and value:
            try:
                date.fromisoformat(value[:10])
            except ValueError:
                problems[name] = f"{excerpt(repr(value))} is not a date (use YYYY-MM-DD)"
    text = fields.get("text")
    if "text" not in problems and (not isinstance(text, str) or not text.strip()):
        problems["text"] = "is missing or empty"
    return problems
