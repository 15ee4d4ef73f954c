"""doccano sequence-labelling JSONL in: one line is one article and one reviewer's spans.

``{"text": …, "label": [[start, end, "LABEL"], …]}`` (or ``labels``; a span may also be
``{"start_offset", "end_offset", "label"}``). Offsets count UTF-16 code units, as
doccano's annotation screen does; a line that says ``"offsets": "code-points"`` counts
code points. Our own export's metadata (title, url, reviewer, ``details`` with the
correction, note, severity and sources of each span) comes back; other keys are ignored.
A line without a reviewer is imported under the account ``doccano``.
"""

from claims.importers.articles import ImportProblem
from claims.importers.labels.sets import (
    LabelSet,
    Span,
    SpanProblem,
    Utf16ToCodePoints,
    canonical,
    check_inside,
    checked_span,
)
from claims.text.offsets import utf16_length

ARTICLE_FIELDS = ("title", "url", "outlet", "byline", "published_on", "language")
DEFAULT_REVIEWER = "doccano"


def looks_like(item) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("text"), str)
        and isinstance(item.get("label", item.get("labels")), list)
    )


def label_set(where: str, item) -> LabelSet | ImportProblem:
    if not looks_like(item):
        return ImportProblem(where, "expected a doccano line: “text” and a “label” list")
    raw = item["text"]
    _, to_stored = canonical(raw)
    article = {"text": raw} | {
        name: item[name] for name in ARTICLE_FIELDS if item.get(name) is not None
    }
    found = LabelSet(where, article)
    spans = item.get("label", item.get("labels"))
    if not spans:
        return found
    if item.get("final"):
        found.notes.append(f"{where}: final labels are not imported (adjudicate again)")
        return found
    reviewer = next(
        (item[key] for key in ("reviewer", "username", "user") if isinstance(item.get(key), str)),
        DEFAULT_REVIEWER,
    )
    found.reviewer = reviewer
    code_points = item.get("offsets") == "code-points"
    to_code_points = (lambda offset: offset) if code_points else Utf16ToCodePoints(raw)
    length = len(raw) if code_points else utf16_length(raw)
    details = {
        (d.get("start"), d.get("end"), d.get("label")): d
        for d in item.get("details") or []
        if isinstance(d, dict)
    }
    problems = []
    for number, given in enumerate(spans, start=1):
        what = f"label {number}"
        try:
            start, end, label = _parts(given, what)
            start, end = checked_span(start, end, what)
            check_inside(start, end, what, length)
            extra = details.get((start, end, label), {})
            found.spans.append(
                Span(
                    start=to_stored(to_code_points(start)),
                    end=to_stored(to_code_points(end)),
                    label=label,
                    where=what,
                    correction=_text(extra.get("correction")),
                    note=_text(extra.get("note")),
                    severity=_text(extra.get("severity")),
                    sources=[s for s in extra.get("sources") or [] if isinstance(s, dict)],
                )
            )
        except SpanProblem as problem:
            problems.append(str(problem))
    if problems:
        return ImportProblem(where, "; ".join(problems))
    return found


def _parts(given, what: str) -> tuple:
    if isinstance(given, list | tuple) and len(given) == 3:
        start, end, label = given
    elif isinstance(given, dict):
        start, end, label = (given.get(k) for k in ("start_offset", "end_offset", "label"))
    else:
        raise SpanProblem(f'{what}: expected [start, end, "LABEL"]')
    if not isinstance(label, str) or not label.strip():
        raise SpanProblem(f"{what}: the label must be text")
    return start, end, label


def _text(value) -> str:
    return value if isinstance(value, str) else ""
