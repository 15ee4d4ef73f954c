"""Label Studio JSON tasks in: one task is one article, each annotation one reviewer's spans.

A task's ``data.text`` is the article (``data.title``, ``url``… come back too). Each
``labels`` result is a span in code points (Label Studio's unit for ``<Text>``), one per
label it carries; ``value.text``, when given, must be the text between the offsets. Results
sharing the region's ``id`` carry the rest: ``textarea`` ``correction``, ``note`` and
``sources`` (URLs), ``choices`` ``severity``. The reviewer is ``completed_by``: a name,
or an object's ``username`` or ``email``; Label Studio's own user numbers become accounts
``labelstudio-<n>``, and no ``completed_by`` the account ``labelstudio``. Cancelled
annotations and our final labels (``final_labels``) are left out, with a note.
"""

from claims.importers.articles import ImportProblem
from claims.importers.labels.sets import (
    LabelSet,
    Span,
    SpanProblem,
    canonical,
    check_inside,
    check_quote,
    checked_span,
)

ARTICLE_FIELDS = ("title", "url", "outlet", "byline", "published_on", "language")
DEFAULT_REVIEWER = "labelstudio"
PER_REGION = {"correction", "note", "sources", "severity"}


def looks_like(item) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("data"), dict)
        and isinstance(item["data"].get("text"), str)
    )


def label_sets(where: str, task) -> list[LabelSet | ImportProblem]:
    if not looks_like(task):
        return [ImportProblem(where, "expected a Label Studio task with “data”: {“text”: …}")]
    data = task["data"]
    raw = data["text"]
    article = {"text": raw} | {
        name: data[name] for name in ARTICLE_FIELDS if data.get(name) is not None
    }
    annotations = task.get("annotations", task.get("completions")) or []
    if not isinstance(annotations, list):
        return [ImportProblem(where, "“annotations” must be a list")]
    found: list[LabelSet | ImportProblem] = [LabelSet(where, article)]
    for number, annotation in enumerate(annotations, start=1):
        here = f"{where} annotation {number}"
        if not isinstance(annotation, dict):
            found.append(ImportProblem(here, "expected an object with a “result” list"))
        elif annotation.get("was_cancelled"):
            found[0].notes.append(f"{here}: cancelled in Label Studio, not imported")
        elif annotation.get("final_labels"):
            found[0].notes.append(f"{here}: final labels are not imported (adjudicate again)")
        else:
            found.append(_annotation(here, raw, article, annotation))
    return found


def reviewer(completed_by) -> str:
    if isinstance(completed_by, str) and completed_by.strip():
        return completed_by.strip()
    if isinstance(completed_by, dict):
        for key in ("username", "email"):
            if isinstance(completed_by.get(key), str) and completed_by[key].strip():
                return completed_by[key].strip()
        completed_by = completed_by.get("id")
    if isinstance(completed_by, int) and not isinstance(completed_by, bool):
        return f"{DEFAULT_REVIEWER}-{completed_by}"
    return DEFAULT_REVIEWER


def _annotation(where: str, raw: str, article: dict, annotation: dict) -> LabelSet | ImportProblem:
    results = annotation.get("result") or []
    if not isinstance(results, list):
        return ImportProblem(where, "“result” must be a list")
    _, to_stored = canonical(raw)
    found = LabelSet(where, article, reviewer=reviewer(annotation.get("completed_by")))
    extras: dict[str, dict] = {}
    for result in results:
        if isinstance(result, dict) and result.get("from_name") in PER_REGION:
            value = result.get("value") or {}
            words = value.get("text", value.get("choices")) or []
            words = [w for w in words if isinstance(w, str)] if isinstance(words, list) else []
            extras.setdefault(str(result.get("id")), {})[result["from_name"]] = words
    problems = []
    for number, result in enumerate(results, start=1):
        what = f"result {number}"
        if not isinstance(result, dict):
            problems.append(f"{what}: expected an object")
            continue
        if result.get("from_name") in PER_REGION:
            continue
        value = result.get("value")
        if result.get("type") != "labels" or not isinstance(value, dict):
            found.notes.append(f"{where} {what}: a “{result.get('type')}” result is not imported")
            continue
        try:
            start, end = checked_span(value.get("start"), value.get("end"), what)
            check_inside(start, end, what, len(raw))
            check_quote(raw, start, end, value.get("text"), what)
            labels = value.get("labels")
            if not isinstance(labels, list) or not labels:
                raise SpanProblem(f"{what}: “labels” must list at least one label")
            extra = extras.get(str(result.get("id")), {})
            for label in labels:
                if not isinstance(label, str) or not label.strip():
                    raise SpanProblem(f"{what}: each label must be text")
                found.spans.append(
                    Span(
                        start=to_stored(start),
                        end=to_stored(end),
                        label=label,
                        where=f"{what} (region {result.get('id')})",
                        correction="\n".join(extra.get("correction", [])),
                        note="\n".join(extra.get("note", [])),
                        severity=next(iter(extra.get("severity", [])), ""),
                        sources=[{"url": url} for url in extra.get("sources", [])],
                    )
                )
        except SpanProblem as problem:
            problems.append(str(problem))
    if problems:
        return ImportProblem(where, "; ".join(problems))
    return found
