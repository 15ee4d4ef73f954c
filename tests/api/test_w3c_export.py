"""The w3c export and an annotation's JSON-LD page, against the W3C Web Annotation Data
Model (https://www.w3.org/TR/annotation-model/): its MUST rules through the W3C's own JSON
schemas, and each field we fill checked for the value a consumer relies on."""

import copy
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from claims import exports, permissions, services
from claims.exports import w3c
from claims.models import Adjudication, Annotation, Claim, Verdict
from tests import factories
from tests.factories import SourceFactory
from tests.w3c_schemas import W3C, must_failures

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
SITE = "https://factcheck.example"


@pytest.fixture(autouse=True)
def site(settings):
    settings.FACTCHECK_SITE_URL = SITE


@pytest.fixture
def seeded(db):
    call_command("load_seeds", stdout=io.StringIO())


def body(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def export(client, query: str = "") -> dict:
    response = client.get(f"/api/v1/export/claims?format=w3c&{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/ld+json")
    return json.loads(body(response))


def items(document: dict) -> list[dict]:
    """Every annotation of an export, with the document's @context, as it stands alone."""
    pages = [node for node in document["@graph"] if node["type"] == "AnnotationPage"]
    return [{"@context": CONTEXT, **item} for page in pages for item in page["items"]]


def collection(document: dict) -> dict:
    [found] = [node for node in document["@graph"] if node["type"] == "AnnotationCollection"]
    return found


def test_every_seed_annotation_passes_the_w3c_must_schemas(seeded, editor_eve, api_as):
    annotations = items(export(api_as(editor_eve)))
    assert len(annotations) == Annotation.objects.count() + 8  # and the 8 final labels
    for annotation in annotations:
        assert must_failures(annotation) == [], annotation["id"]


def test_motivation_and_purposes_come_from_the_w3c_vocabulary(seeded, editor_eve, api_as):
    """§3.3.5 (a SHOULD in W3C's schemas, so checked here against their list)."""
    definitions = json.loads((W3C / "definitions" / "annotations.json").read_text())
    vocabulary = set(definitions["definitions"]["motivationList"]["enum"])
    annotations = items(export(api_as(editor_eve)))
    assert {a["motivation"] for a in annotations} == {"assessing"}
    purposes = {body["purpose"] for a in annotations for body in a["body"]}
    assert purposes == {"classifying", "editing", "commenting", "linking"} <= vocabulary


EMOJI_TEXT = "Visit 😀 report\n\nThe 🇺🇸 Foreign Minister 👋 met Wang Yi in Beijing."


@pytest.fixture
def tagged(reviewer_ann):
    """One annotation after characters beyond U+FFFF, every field set."""
    reviewer_ann.first_name, reviewer_ann.last_name = "Ann", "Reviewer"
    reviewer_ann.save()
    story = factories.article(EMOJI_TEXT, title="Visit", url="https://news.example/visit")
    claim = story.claims.get(text__startswith="The")
    evidence = SourceFactory(url="https://example.org/minutes")
    extra = SourceFactory(url="https://example.org/wire")
    annotation = factories.annotate(
        claim,
        reviewer_ann,
        "Wang Yi",
        slug="wrong-name",
        correction="Qin Gang",
        note="He met the foreign minister, Qin Gang.",
        sources=[evidence, extra],
    )
    return story, annotation


BREAKAGES = [
    (lambda a: a.pop("target"), "3.1-targetKeyFound.json"),
    (lambda a: a.update(id="not a uri"), "3.1-annotationIdValidated.json"),
    (lambda a: a.update({"@context": "https://schema.org"}), "3.1-annotationContext"),
    (lambda a: a.update(type="Note"), "3.1-annotationTypeValidated.json"),
    (lambda a: a.update(created="Monday"), "3.3.1-annotationCreatedValidated.json"),
    (lambda a: a.update(modified="2026-13-40"), "3.3.1-annotationModifiedValidated.json"),
    (lambda a: a["body"][0].pop("value"), "3.2-bodyObjectsRecognized.json"),
    (lambda a: a.update(bodyValue="x"), "3.2.5-notBodyBodyValue.json"),
    (lambda a: a["target"].pop("source"), "3.2-targetObjectsRecognized.json"),
]


def test_the_w3c_schemas_catch_a_broken_annotation(tagged, editor_eve, api_as):
    """The validator really checks (formats included): each breakage fails its assertion."""
    [annotation] = items(export(api_as(editor_eve)))
    assert must_failures(annotation) == []
    for breakage, assertion in BREAKAGES:
        broken = copy.deepcopy(annotation)
        breakage(broken)
        assert any(failure.startswith(assertion) for failure in must_failures(broken)), assertion


def test_an_annotation_field_by_field(tagged, editor_eve, api_as):
    story, annotation = tagged
    [exported] = items(export(api_as(editor_eve), f"article={story.pk}"))
    start = EMOJI_TEXT.index("Wang Yi")
    assert (
        exported
        == {
            "@context": CONTEXT,  # §3.1: MUST
            "id": f"{SITE}/api/v1/annotations/{annotation.pk}/",  # §3.1: an IRI, dereferenceable
            "type": "Annotation",
            "motivation": "assessing",  # §3.3.5; the vocabulary has no "correcting"
            "creator": {"type": "Person", "nickname": "ann", "name": "Ann Reviewer"},
            "created": annotation.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),  # §3.3.1: UTC, Z
            "modified": annotation.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "body": [
                {"type": "TextualBody", "purpose": "classifying", "value": "Wrong name"},
                {"type": "TextualBody", "purpose": "editing", "value": "Qin Gang"},
                {
                    "type": "TextualBody",
                    "purpose": "commenting",
                    "value": "He met the foreign minister, Qin Gang.",
                },
                {
                    "type": "SpecificResource",
                    "purpose": "linking",
                    "source": "https://example.org/minutes",
                },
                {
                    "type": "SpecificResource",
                    "purpose": "linking",
                    "source": "https://example.org/wire",
                },
            ],
            "target": {
                "source": "https://news.example/visit",
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": "Wang Yi",
                        "prefix": EMOJI_TEXT[start - 32 : start],
                        "suffix": " in Beijing.",
                    },
                    {"type": "TextPositionSelector", "start": start, "end": start + len("Wang Yi")},
                ],
            },
        }
    )
    assert must_failures(exported) == []


def test_text_position_counts_code_points_with_emoji_before_the_span(tagged, editor_eve, api_as):
    """§4.2.4: "in terms of unicode code points ..., not in terms of code units"."""
    story, _ = tagged
    [exported] = items(export(api_as(editor_eve), f"article={story.pk}"))
    quote, position = exported["target"]["selector"]
    assert EMOJI_TEXT[position["start"] : position["end"]] == quote["exact"] == "Wang Yi"
    # 😀 and 👋 are one code point each, 🇺🇸 two; in UTF-16 each of those counts twice.
    utf16 = EMOJI_TEXT.encode("utf-16-le")
    assert utf16[2 * position["start"] : 2 * position["end"]].decode("utf-16-le") != "Wang Yi"


def test_the_annotation_id_answers_the_same_json_ld(tagged, editor_eve, api_as):
    story, annotation = tagged
    [exported] = items(export(api_as(editor_eve), f"article={story.pk}"))
    client = api_as(editor_eve)
    path = exported["id"].removeprefix(SITE)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 200
    # The article's text (and saved page) can be megabytes: only its url is read.
    assert not any('"claims_article"."text"' in q["sql"] for q in queries.captured_queries)
    assert response["Content-Type"].startswith("application/ld+json")
    assert "Accept" in response["Vary"]
    assert response.json() == exported
    # Plain JSON is unchanged: the API's own representation, with its ETag.
    plain = client.get(path)
    assert plain["Content-Type"].startswith("application/json")
    assert plain.json()["quote"] == "Wang Yi" and plain.json()["id"] == annotation.pk
    assert plain["ETag"]


def test_blind_review_holds_on_the_json_ld_page(tagged, reviewer_ben, outsider, api_as):
    _, annotation = tagged
    path = f"/api/v1/annotations/{annotation.pk}/"
    factories.assign(annotation.claim.article, reviewer_ben)  # has not submitted
    assert api_as(reviewer_ben).get(path, HTTP_ACCEPT="application/ld+json").status_code == 404
    assert api_as(outsider).get(path, HTTP_ACCEPT="application/ld+json").status_code == 403
    assert api_as().get(path, HTTP_ACCEPT="application/ld+json").status_code == 401
    factories.submit(annotation.claim.article, reviewer_ben)
    response = api_as(reviewer_ben).get(path, HTTP_ACCEPT="application/ld+json")
    assert response.json()["id"].endswith(path)


def test_only_editors_export(seeded, reviewer_ann, outsider, api_as):
    for user in (reviewer_ann, outsider):
        assert api_as(user).get("/api/v1/export/claims?format=w3c").status_code == 403
    assert api_as().get("/api/v1/export/claims?format=w3c").status_code == 401


def test_the_writer_shows_only_what_the_reader_may_see(seeded):
    """Blind review is the records' job; the writer adds no row of its own. A reviewer who
    has not submitted sees their own annotation, nobody else's, and no final label."""
    cara = factories.UserFactory(username="cara", groups=["reviewer"])
    claim = Claim.objects.get(text__startswith="Foreign Minister")
    factories.annotate(claim, cara, "Antony Blinken", slug="wrong-name")
    cara_sees = exports.records(
        Claim.objects.all(),
        annotations=permissions.visible_work(cara, Annotation.objects.all()),
        verdicts=permissions.visible_work(cara, Verdict.objects.all()),
        adjudications=permissions.visible_adjudications(cara, Adjudication.objects.all()),
    )
    annotations = items(json.loads("".join(w3c.write(cara_sees))))
    seen = [(a["creator"]["nickname"], a["target"]["selector"][0]["exact"]) for a in annotations]
    assert seen == [("cara", "Antony Blinken")]


def test_final_labels_name_the_editor_and_come_via_the_reviewer_annotations(
    seeded, editor_eve, api_as
):
    annotations = items(export(api_as(editor_eve), "labels=final"))
    assert len(annotations) == 8 and all("#final-" in a["id"] for a in annotations)
    title = next(a for a in annotations if a["body"][0]["value"] == "Wrong title or role")
    assert title["creator"]["nickname"] == "eve"
    sources = Annotation.objects.filter(quote="Foreign Minister").order_by("pk")
    assert title["via"] == [f"{SITE}/api/v1/annotations/{a.pk}/" for a in sources]
    quote, position = title["target"]["selector"]
    assert quote["exact"] == "Foreign Minister" and quote["prefix"] and quote["suffix"]
    assert (position["start"], position["end"]) == (65, 81)
    adjudication = Adjudication.objects.get(claim__annotations__in=sources[:1])
    assert title["modified"] == adjudication.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_collection_is_paged_with_links_and_a_total(seeded, editor_eve, api_as, settings):
    settings.FACTCHECK_EXPORT_CHUNK_SIZE = 4
    document = export(api_as(editor_eve), "labels=raw")
    assert document["@context"] == CONTEXT
    whole = collection(document)
    pages = [node for node in document["@graph"] if node["type"] == "AnnotationPage"]
    total = Annotation.objects.count()
    assert whole["total"] == total == sum(len(page["items"]) for page in pages)
    assert len(pages) == -(-total // 4)
    assert whole["first"] == pages[0]["id"] and whole["last"] == pages[-1]["id"]
    for number, page in enumerate(pages):
        assert page["partOf"] == whole["id"]
        assert page["startIndex"] == 4 * number
        if number + 1 < len(pages):
            assert page["next"] == pages[number + 1]["id"]
        else:
            assert "next" not in page


def test_an_empty_export_is_a_valid_empty_collection(db, editor_eve, api_as):
    document = export(api_as(editor_eve))
    assert document["@graph"] == [
        {
            "id": f"{SITE}/api/v1/export/claims?format=w3c&labels=all",
            "type": "AnnotationCollection",
            "label": "factcheck annotations (all labels)",
            "total": 0,
        }
    ]


def test_queries_are_per_chunk_not_per_annotation(
    seeded, editor_eve, api_as, django_assert_max_num_queries, settings
):
    settings.FACTCHECK_EXPORT_CHUNK_SIZE = 10
    chunks = -(-Claim.objects.count() // 10)
    response = api_as(editor_eve).get("/api/v1/export/claims?format=w3c")
    # Per chunk: the records' 7 (claims; annotations, their sources; verdicts; final labels,
    # their sources and origins), then this writer's 4 (annotation times and context,
    # adjudication times, final labels' context, people's names); auth once. One query per
    # annotation would add 22.
    with django_assert_max_num_queries(11 * chunks + 2):
        annotations = items(json.loads(body(response)))
    assert len(annotations) == 22


def test_the_writer_streams_reading_records_a_chunk_at_a_time(seeded, settings):
    settings.FACTCHECK_EXPORT_CHUNK_SIZE = 5
    pulled = []

    def counted():
        for record in exports.records(Claim.objects.all()):
            pulled.append(record)
            yield record

    output = w3c.write(counted())
    first_items = next(output) + next(output)
    assert "AnnotationPage" in first_items
    assert len(pulled) == 5  # the first chunk only, not the whole export


def test_the_command_writes_the_same_document(seeded, editor_eve, api_as, tmp_path):
    path = tmp_path / "claims.jsonld"
    call_command("export_claims", "--format", "w3c", "--output", str(path), stderr=io.StringIO())
    assert json.loads(path.read_text()) == export(api_as(editor_eve))


def test_an_orphaned_annotation_keeps_its_quote_and_loses_its_position(tagged, editor_eve, api_as):
    story, annotation = tagged
    services.article_revise(
        article=story, by=editor_eve, text=EMOJI_TEXT.replace("Wang Yi in Beijing", "ministers")
    )
    annotation.refresh_from_db()
    assert annotation.anchor == "orphaned"
    [exported] = items(export(api_as(editor_eve), f"article={story.pk}"))
    assert [s["type"] for s in exported["target"]["selector"]] == ["TextQuoteSelector"]
    assert exported["target"]["selector"][0]["exact"] == "Wang Yi"
    assert must_failures(exported) == []


def test_an_annotation_deleted_while_exporting_is_left_out(tagged, editor_eve):
    """Records are read a chunk ahead of the writer's own reads: a deletion in between
    leaves the annotation out instead of ending the download half-way."""
    story, annotation = tagged
    records = list(exports.records(Claim.objects.filter(article=story)))
    services.annotation_delete(annotation, by=editor_eve)
    document = json.loads("".join(w3c.write(records)))
    assert items(document) == [] and collection(document)["total"] == 0
