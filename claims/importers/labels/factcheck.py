"""Our own export (JSON Lines or a JSON array of claim records) in, for round trips.

A record holds a claim, not the text between claims, so the article is rebuilt from its
claims: each gap between two claims is filled with as many whitespace characters as it
had (line breaks where the paragraph changes, spaces inside one). Every claim keeps its
text, offsets, order, paragraph and kind, recreated as exported rather than re-split (an
editor's splits and merges survive), and every annotation its offsets. What is not kept:
the exact shape of whitespace runs (a tab comes back as a space) and anything after the
last claim. An export filtered by claim (``has_errors``, ``kind``…) misses claims, so its
articles cannot be rebuilt and are refused: export without claim filters to move work.
"""

from collections.abc import Iterable, Iterator
from itertools import groupby

from claims.importers.articles import ImportProblem
from claims.importers.labels.sets import (
    ClaimSpec,
    LabelSet,
    Span,
    SpanProblem,
    VerdictSpec,
    checked_span,
)


def looks_like(item) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("article"), dict)
        and isinstance(item.get("claim"), dict)
    )


def label_sets(lines: Iterable[tuple[str, object]]) -> Iterator[LabelSet | ImportProblem]:
    """``lines`` are (where, record) in file order; records of one article are consecutive."""
    readable = []
    for where, record in lines:
        if isinstance(record, ImportProblem):
            yield record
        elif not looks_like(record):
            yield ImportProblem(where, "expected a claim record with “article” and “claim”")
        else:
            readable.append((where, record))
    for _, group in groupby(readable, key=lambda line: line[1]["article"].get("id")):
        yield from _article(list(group))


def rebuilt_text(claims: list[ClaimSpec]) -> str:
    parts, end, paragraph = [], 0, None
    for claim in claims:
        gap = claim.start - end
        parts.append(("\n" if paragraph not in (None, claim.paragraph) else " ") * gap)
        parts.append(claim.text)
        end, paragraph = claim.end, claim.paragraph
    return "".join(parts)


def _claims(records: list[dict]) -> list[ClaimSpec] | str:
    try:
        claims = sorted(
            (
                ClaimSpec(
                    **{k: r["claim"][k] for k in ("order", "paragraph", "start", "end")},
                    text=r["claim"]["text"],
                    kind=r["claim"]["kind"],
                )
                for r in records
            ),
            key=lambda claim: claim.order,
        )
    except (KeyError, TypeError):
        return "a claim lacks order, paragraph, start, end, text or kind"
    if [c.order for c in claims] != list(range(len(claims))):
        return (
            "the export holds only some of the article's claims (it was filtered by claim); "
            "export without claim filters to import it"
        )
    end = 0
    for claim in claims:
        if not (
            isinstance(claim.text, str)
            and isinstance(claim.start, int)
            and end <= claim.start < claim.end
            and claim.end - claim.start == len(claim.text)
        ):
            return f"claim #{claim.order}'s offsets do not fit its text or the claims before it"
        end = claim.end
    return claims


def _article(lines: list[tuple[str, dict]]) -> Iterator[LabelSet | ImportProblem]:
    where = lines[0][0]
    records = [record for _, record in lines]
    claims = _claims(records)
    if isinstance(claims, str):
        yield ImportProblem(where, claims)
        return
    given = records[0]["article"]
    article = {"text": rebuilt_text(claims), "title": given.get("title") or ""}
    if given.get("url"):
        article["url"] = given["url"]
    alone = LabelSet(where, article, claims=claims)
    if any(record.get("final") for record in records):
        alone.notes.append(f"{where}: final labels are not imported (adjudicate again)")
    try:
        sets = _label_sets(where, records, alone)
    except (KeyError, TypeError, AttributeError):
        problem = "an annotation or verdict lacks reviewer, start, end, error_type or label"
        sets = [ImportProblem(where, f"{problem}; export the file again")]
    except SpanProblem as error:
        sets = [ImportProblem(where, str(error))]
    yield alone
    yield from sets


def _label_sets(where: str, records: list[dict], alone: LabelSet) -> list[LabelSet]:
    sets: dict[str, LabelSet] = {}

    def set_of(reviewer: str) -> LabelSet:
        if not isinstance(reviewer, str):
            raise TypeError("a reviewer is a name")
        if reviewer not in sets:
            sets[reviewer] = LabelSet(where, alone.article, reviewer=reviewer, claims=alone.claims)
        return sets[reviewer]

    for record in records:
        order = record["claim"]["order"]
        for tag in record.get("annotations") or []:
            if tag.get("start") is None:
                alone.notes.append(f"{where}: an orphaned label (no offsets) is not imported")
                continue
            what = f"annotation {tag.get('id')} on claim #{order}"
            start, end = checked_span(tag["start"], tag["end"], what)
            set_of(tag["reviewer"]).spans.append(
                Span(
                    start=start,
                    end=end,
                    label=str(tag["error_type"]),
                    where=what,
                    correction=tag.get("correction") or "",
                    note=tag.get("note") or "",
                    severity=tag.get("severity") or "",
                    sources=[s for s in tag.get("sources") or [] if isinstance(s, dict)],
                )
            )
        for verdict in record.get("verdicts") or []:
            set_of(verdict["reviewer"]).verdicts.append(
                VerdictSpec(order, str(verdict["label"]), verdict.get("note") or "")
            )
    return list(sets.values())
