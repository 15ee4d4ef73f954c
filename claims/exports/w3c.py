"""W3C Web Annotation Data Model (JSON-LD): one annotation per tagged error.

Each annotation ``assesses`` a span of the article (motivation ``assessing``: the W3C
vocabulary has no "correcting"), with bodies by purpose: ``classifying`` (the error type),
``editing`` (the correction), ``commenting`` (the note) and ``linking`` (one per source).
Its target is the article with a TextQuoteSelector (exact, and the 32 characters kept on
either side when it was tagged) and a TextPositionSelector. Positions count Unicode code
points, as the model requires (§4.2.4, "in terms of unicode code points ..., not in terms
of code units"): our own ``start``/``end``, not the UTF-16 offsets.

A reviewer's annotation has the URL of its API page as ``id``; that page answers
``Accept: application/ld+json`` with the same document. A final label (editor's
adjudication) has no page of its own: its ``id`` is its claim's URL with a fragment, its
creator is the editor, and ``via`` names the reviewer annotations it came from.

The whole export is one JSON-LD document: a ``@graph`` of AnnotationPages (``partOf``,
``startIndex``, ``items``, ``next``) and, last, the AnnotationCollection (``total``,
``first``, ``last``), which can only be written once every page is out. Records are read
in chunks; what a record lacks (times, context, display names) is fetched once per chunk.
"""

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice

from django.conf import settings
from django.contrib.auth import get_user_model

from claims.exports import links
from claims.models import Adjudication, Annotation, Article, FinalAnnotation

content_type = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"; charset=utf-8'
extension = "jsonld"

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def timestamp(moment: datetime) -> str:
    """xsd:dateTime in UTC with a Z, as the model asks of created and modified (§3.3.1)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def creator(username: str, full_name: str) -> dict:
    return {"type": "Person", "nickname": username, "name": full_name or username}


def bodies(label: dict) -> list[dict]:
    found = [{"type": "TextualBody", "purpose": "classifying", "value": label["error_type_name"]}]
    if label["correction"]:
        found.append({"type": "TextualBody", "purpose": "editing", "value": label["correction"]})
    if label["note"]:
        found.append({"type": "TextualBody", "purpose": "commenting", "value": label["note"]})
    found += [
        {"type": "SpecificResource", "purpose": "linking", "source": source["url"]}
        for source in label["sources"]
    ]
    return found


def target(label: dict, *, source: str, prefix: str, suffix: str) -> dict:
    selectors = [{"type": "TextQuoteSelector", "exact": label["quote"]}]
    if prefix:
        selectors[0]["prefix"] = prefix
    if suffix:
        selectors[0]["suffix"] = suffix
    if label["start"] is not None:  # an orphaned label has lost its place, kept its quote
        selectors.append(
            {"type": "TextPositionSelector", "start": label["start"], "end": label["end"]}
        )
    return {"source": source, "selector": selectors}


def annotation_document(
    label: dict,
    *,
    id: str,
    article: dict,
    creator: dict,
    created: str,
    modified: str,
    prefix: str,
    suffix: str,
    via: list[str] | None = None,
    context: bool = True,
) -> dict:
    """One W3C annotation from an exported label (a record's annotation or final label)."""
    document = {"@context": CONTEXT} if context else {}
    document |= {
        "id": id,
        "type": "Annotation",
        "motivation": "assessing",
        "creator": creator,
        "created": created,
        "modified": modified,
        "body": bodies(label),
        "target": target(
            label,
            source=article["url"] or links.article_url(article["id"]),
            prefix=prefix,
            suffix=suffix,
        ),
    }
    if via:
        document["via"] = via
    return document


def for_annotation(annotation: Annotation) -> dict:
    """The document of one stored annotation, exactly as the export writes it (its page
    answers with it): built from the model, with the fields a record's annotation has."""
    claim, reviewer = annotation.claim, annotation.reviewer
    article_url = Article.objects.filter(pk=claim.article_id).values_list("url", flat=True).get()
    label = {
        "start": annotation.start,
        "end": annotation.end,
        "quote": annotation.quote,
        "error_type_name": annotation.error_type.name,
        "correction": annotation.correction,
        "note": annotation.note,
        "sources": [{"url": source.url} for source in annotation.sources.all()],
    }
    return annotation_document(
        label,
        id=links.annotation_url(annotation.pk),
        # Only the url: an article's text (and saved page) can run to megabytes.
        article={"id": claim.article_id, "url": article_url},
        creator=creator(reviewer.get_username(), reviewer.get_full_name()),
        created=timestamp(annotation.created_at),
        modified=timestamp(annotation.updated_at),
        prefix=annotation.prefix,
        suffix=annotation.suffix,
    )


class ChunkContext:
    """What the records of one chunk lack, fetched in one query per kind of row."""

    def __init__(self, chunk: list[dict]):
        annotation_ids = [a["id"] for r in chunk for a in r.get("annotations", [])]
        self.annotations = {
            row["id"]: row
            for row in Annotation.objects.filter(pk__in=annotation_ids).values(
                "id", "created_at", "updated_at", "prefix", "suffix"
            )
        }
        adjudicated = [r["claim"]["id"] for r in chunk if r.get("final")]
        self.adjudications, self.finals = {}, {}
        if adjudicated:
            self.adjudications = dict(
                Adjudication.objects.filter(claim_id__in=adjudicated).values_list(
                    "claim_id", "created_at"
                )
            )
            for row in FinalAnnotation.objects.filter(
                adjudication__claim_id__in=adjudicated
            ).values("adjudication__claim_id", "start", "end", "quote", "prefix", "suffix"):
                key = (row["adjudication__claim_id"], row["start"], row["end"], row["quote"])
                self.finals[key] = row
        usernames = {a["reviewer"] for r in chunk for a in r.get("annotations", [])}
        usernames |= {r["final"]["adjudicated_by"] for r in chunk if r.get("final")}
        User = get_user_model()
        self.names = {
            user.get_username(): user.get_full_name()
            for user in User.objects.filter(**{f"{User.USERNAME_FIELD}__in": usernames}).only(
                User.USERNAME_FIELD, "first_name", "last_name"
            )
        }

    def person(self, username: str) -> dict:
        return creator(username, self.names.get(username, ""))


def annotations_of(record: dict, context: ChunkContext) -> Iterator[dict]:
    """The W3C annotations of one record: its reviewer annotations, then its final labels."""
    article = record["article"]
    for label in record.get("annotations", []):
        row = context.annotations.get(label["id"])
        if row is None:  # deleted since its chunk was read: the export goes on without it
            continue
        yield annotation_document(
            label,
            id=links.annotation_url(label["id"]),
            article=article,
            creator=context.person(label["reviewer"]),
            created=timestamp(row["created_at"]),
            modified=timestamp(row["updated_at"]),
            prefix=row["prefix"],
            suffix=row["suffix"],
            context=False,
        )
    final = record.get("final")
    if not final:
        return
    claim_id = record["claim"]["id"]
    adjudicated_at = datetime.fromisoformat(final["adjudicated_at"])
    for index, label in enumerate(final["annotations"], start=1):
        row = context.finals.get((claim_id, label["start"], label["end"], label["quote"]), {})
        yield annotation_document(
            label,
            id=f"{links.claim_url(claim_id)}#final-{index}",
            article=article,
            creator=context.person(final["adjudicated_by"]),
            created=timestamp(context.adjudications.get(claim_id, adjudicated_at)),
            modified=timestamp(adjudicated_at),
            prefix=row.get("prefix", ""),
            suffix=row.get("suffix", ""),
            via=[links.annotation_url(pk) for pk in label["from_annotations"]],
            context=False,
        )


def chunks(records: Iterable[dict], size: int) -> Iterator[list[dict]]:
    records = iter(records)
    while chunk := list(islice(records, size)):
        yield chunk


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def write(records: Iterable[dict], *, labels: str = "all") -> Iterator[str]:
    size = settings.FACTCHECK_EXPORT_CHUNK_SIZE
    collection = links.export_url("w3c", labels)
    page_id = f"{collection}#page-{{}}".format
    yield '{"@context": "http://www.w3.org/ns/anno.jsonld", "@graph": ['
    total = pages = 0
    for chunk in chunks(records, size):
        context = ChunkContext(chunk)
        for record in chunk:
            for annotation in annotations_of(record, context):
                if total % size == 0:  # a new page: close the one before, naming this one
                    if pages:
                        yield f'\n], "next": {_dump(page_id(pages + 1))}}},'
                    pages += 1
                    page = {
                        "id": page_id(pages),
                        "type": "AnnotationPage",
                        "partOf": collection,
                        "startIndex": total,
                    }
                    yield "\n" + _dump(page)[:-1] + ', "items": [\n'
                else:
                    yield ",\n"
                yield _dump(annotation)
                total += 1
    if pages:
        yield "\n]},"
    summary = {
        "id": collection,
        "type": "AnnotationCollection",
        "label": f"factcheck annotations ({labels} labels)",
        "total": total,
    }
    if pages:
        summary |= {"first": page_id(1), "last": page_id(pages)}
    yield "\n" + _dump(summary) + "\n]}\n"
