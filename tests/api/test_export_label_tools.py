"""doccano and Label Studio exports: one document per article, one label set per reviewer,
offsets in each tool's unit, and blind review as in every export."""

import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import SourceFactory, UserFactory, annotate, article, assign

EMOJI_TEXT = "🎉 Launch day\n\n🚀 The Foreign Minister spoke on Monday. It rained later."


@pytest.fixture
def seeded(db):
    call_command("load_seeds", stdout=io.StringIO())


def export(client, query: str) -> str:
    response = client.get(f"/api/v1/export/claims?{query}")
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content).decode("utf-8")


def doccano_lines(client, query="") -> list[dict]:
    return [json.loads(line) for line in export(client, "format=doccano" + query).splitlines()]


def tasks(client, query="") -> list[dict]:
    return json.loads(export(client, "format=labelstudio" + query))


@pytest.fixture
def emoji_article(db, reviewer_ann):
    story = article(EMOJI_TEXT, title="🎉 Launch day")
    claim = story.claims.get(text__contains="Foreign Minister")
    tag = annotate(
        claim,
        reviewer_ann,
        "Foreign Minister",
        correction="Secretary of State",
        note="Blinken's title",
        severity="minor",
        sources=[SourceFactory(url="https://www.state.gov/")],
    )
    return story, tag


def test_doccano_has_a_line_per_reviewer_and_one_for_the_final_labels(seeded, editor_eve, api_as):
    lines = doccano_lines(api_as(editor_eve))
    assert [(line["reviewer"], line["final"]) for line in lines] == [
        ("ann", False),
        ("ben", False),
        ("eve", True),
    ]
    ann = lines[0]
    assert ann["text"].startswith("Antony Blinken fails to resume US-China military")
    assert ann["title"] == "Antony Blinken fails to resume US-China military communications"
    assert [65, 81, "wrong-title"] in ann["label"]
    assert ann["text"][65:81] == "Foreign Minister"
    title = next(d for d in ann["details"] if d["label"] == "wrong-title")
    assert (title["start"], title["end"]) == (65, 81)
    assert title["correction"] == "Secretary of State"
    assert title["sources"][0]["url"] == "https://www.state.gov/biographies/antony-j-blinken/"
    assert ann["offsets"] == "utf-16"


def test_doccano_counts_utf16_units_as_its_annotation_screen_does(
    emoji_article, editor_eve, api_as
):
    story, tag = emoji_article
    (line,) = doccano_lines(api_as(editor_eve))
    (span,) = line["label"]
    # Two emoji before the span: each is one code point and two UTF-16 units.
    assert span == [tag.start + 2, tag.end + 2, "wrong-title"]
    units = line["text"].encode("utf-16-le")
    assert units[span[0] * 2 : span[1] * 2].decode("utf-16-le") == "Foreign Minister"
    (details,) = line["details"]
    assert (details["note"], details["severity"]) == ("Blinken's title", "minor")


def test_doccano_carries_an_article_without_labels(db, editor_eve, api_as):
    story = article("Quiet day. Nothing happened.", title="Quiet", url="https://news.example/q")
    (line,) = doccano_lines(api_as(editor_eve))
    assert line["label"] == [] and line["reviewer"] is None
    assert (line["text"], line["url"], line["article_id"]) == (story.text, story.url, story.pk)


def test_label_studio_has_a_task_per_article_with_regions_per_label(seeded, editor_eve, api_as):
    (task,) = tasks(api_as(editor_eve))
    assert task["data"]["text"].startswith("Antony Blinken fails")
    sets = task["annotations"]
    assert [(s["completed_by"]["username"], s["ground_truth"]) for s in sets] == [
        ("ann", False),
        ("ben", False),
        ("eve", True),
    ]
    results = sets[0]["result"]
    label = next(r for r in results if r["type"] == "labels" and r["value"]["start"] == 65)
    assert label["value"] == {
        "start": 65,
        "end": 81,
        "text": "Foreign Minister",
        "labels": ["wrong-title"],
    }
    assert (label["from_name"], label["to_name"]) == ("label", "text")
    region = {r["from_name"]: r["value"] for r in results if r["id"] == label["id"]}
    assert region["correction"]["text"] == ["Secretary of State"]
    assert region["severity"]["choices"] == ["major"]
    assert region["sources"]["text"] == ["https://www.state.gov/biographies/antony-j-blinken/"]
    final = sets[2]
    assert final["final_labels"] is True
    assert {r["value"]["labels"][0] for r in final["result"] if r["type"] == "labels"} >= {
        "wrong-title",
        "mistranslation",
    }


def test_label_studio_counts_code_points_as_its_text_tag_does(emoji_article, editor_eve, api_as):
    story, tag = emoji_article
    (task,) = tasks(api_as(editor_eve))
    label = next(r for r in task["annotations"][0]["result"] if r["type"] == "labels")
    assert (label["value"]["start"], label["value"]["end"]) == (tag.start, tag.end)
    text = task["data"]["text"]
    assert text[label["value"]["start"] : label["value"]["end"]] == label["value"]["text"]
    assert label["value"]["text"] == "Foreign Minister"


@pytest.mark.parametrize("fmt", ["doccano", "labelstudio"])
def test_a_reviewers_export_never_holds_anothers_unsubmitted_work(
    fmt, db, reviewer_ann, reviewer_ben, api_as
):
    story = article("The Foreign Minister spoke. The Prime Minister listened.", title="Two")
    annotate(story.claims.get(order=0), reviewer_ann, "Foreign Minister", correction="ANN-FIX")
    annotate(story.claims.get(order=1), reviewer_ben, "Prime Minister", correction="BEN-FIX")
    reader = UserFactory(username="xena", groups=["reviewer"])
    reader.user_permissions.add(Permission.objects.get(codename="export_claims"))
    assign(story, reader)
    content = export(api_as(reader), f"format={fmt}")
    assert "ANN-FIX" not in content and "BEN-FIX" not in content
    assert "The Foreign Minister spoke." in content  # the article itself is not secret
    editor_sees = export(api_as(UserFactory(username="ed", groups=["editor"])), f"format={fmt}")
    assert "ANN-FIX" in editor_sees and "BEN-FIX" in editor_sees


def test_label_exports_read_article_texts_once_per_batch_of_articles(
    db, reviewer_ann, editor_eve, api_as, settings
):
    settings.FACTCHECK_EXPORT_CHUNK_SIZE = 1000
    for number in range(25):
        story = article(f"Story {number}. The Foreign Minister spoke.", title=f"S{number}")
        annotate(story.claims.get(order=1), reviewer_ann, "Foreign Minister")
    client = api_as(editor_eve)
    for fmt in ("doccano", "labelstudio"):
        response = client.get(f"/api/v1/export/claims?format={fmt}")
        with CaptureQueriesContext(connection) as queries:
            content = b"".join(response.streaming_content).decode()
        # Article texts for 20 articles and for 5; the records themselves take, on SQLite,
        # the claims' ids and one query for the chunk's records, and on PostgreSQL one
        # query (with JIT off and back).
        texts = [q for q in queries if '"claims_article"."text"' in q["sql"]]
        assert len(texts) == 2
        assert len(queries) - len(texts) == (3 if connection.vendor == "postgresql" else 2)
        assert content.count("Foreign Minister spoke") == 25
