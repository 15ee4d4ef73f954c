"""Export to doccano, Label Studio or our own JSONL, import into an empty database: the same
articles, claims, offsets and labels (an emoji before a span included)."""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from claims import services
from claims.models import (
    Adjudication,
    Annotation,
    Article,
    ArticleRevision,
    Assignment,
    Source,
    Verdict,
)
from tests.factories import SourceFactory, annotate, article, submit

EMOJI_TEXT = "🎉 Launch day\n\n🚀 The Foreign Minister spoke on Monday.  It rained later."


@pytest.fixture
def labelled(db, reviewer_ann, reviewer_ben):
    call_command("load_seeds", stdout=io.StringIO())
    story = article(EMOJI_TEXT, title="🎉 Launch day", url="https://news.example/launch")
    claim = story.claims.get(text__contains="Foreign Minister")
    annotate(
        claim,
        reviewer_ann,
        "Foreign Minister",
        correction="Secretary of State",
        note="Blinken's title",
        severity="minor",
        sources=[SourceFactory(url="https://www.state.gov/")],
    )
    annotate(claim, reviewer_ben, "Monday", slug="wrong-date", correction="Sunday")
    services.verdict_set(claim=claim, reviewer=reviewer_ben, label="inaccurate", note="Sunday")
    submit(story, reviewer_ann)
    submit(story, reviewer_ben)


def fingerprint(*, verdicts: bool) -> dict:
    """What a round trip must keep, in terms a user relies on (no database ids)."""
    found = {}
    for story in Article.objects.order_by("text"):
        tags = Annotation.objects.filter(claim__article=story)
        found[story.text] = {
            "title": story.title,
            "url": story.url,
            "claims": list(story.claims.order_by("order").values_list("start", "end", "text")),
            "annotations": sorted(
                (
                    t.reviewer.username,
                    t.start,
                    t.end,
                    t.quote,
                    t.error_type.slug,
                    t.correction,
                    t.note,
                    t.severity,
                    tuple(sorted(s.url for s in t.sources.all())),
                )
                for t in tags
            ),
        }
        if verdicts:
            found[story.text]["verdicts"] = sorted(
                Verdict.objects.filter(claim__article=story).values_list(
                    "reviewer__username", "claim__order", "label", "note"
                )
            )
    return found


def empty_the_database():
    Adjudication.objects.all().delete()
    Annotation.objects.all().delete()
    Verdict.objects.all().delete()
    Assignment.objects.all().delete()
    ArticleRevision.objects.all().delete()
    Article.objects.all().delete()
    Source.objects.all().delete()
    get_user_model().objects.all().delete()
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("fmt", "name", "verdicts"),
    [
        ("doccano", "work.jsonl", False),
        ("labelstudio", "work.json", False),
        ("jsonl", "work.jsonl", True),
        ("json", "work.json", True),
    ],
)
def test_round_trip_keeps_articles_offsets_and_labels(
    labelled, editor_eve, api_as, tmp_path, fmt, name, verdicts
):
    before = fingerprint(verdicts=verdicts)
    assert any(len(story["annotations"]) >= 2 for story in before.values())
    response = api_as(editor_eve).get(f"/api/v1/export/claims?format={fmt}")
    assert response.status_code == 200
    path = Path(tmp_path / name)
    path.write_bytes(b"".join(response.streaming_content))
    empty_the_database()
    out = io.StringIO()
    call_command("import_articles", str(path), stdout=out, stderr=io.StringIO())
    assert fingerprint(verdicts=verdicts) == before
    assert "final labels are not imported" in out.getvalue()  # the seed's are left out, said so
    for reviewer in get_user_model().objects.filter(username__in=["ann", "ben"]):
        assert not reviewer.has_usable_password()


def test_our_jsonl_keeps_claims_as_an_editor_cut_them(db, reviewer_ann, tmp_path):
    story = article("One claim. Another claim here.", title="Cut")
    first = story.claims.get(order=0)
    services.claim_merge_with_next(first)
    annotate(story.claims.get(), reviewer_ann, "Another")
    claims_before = list(story.claims.values_list("order", "start", "end", "kind"))
    assert len(claims_before) == 1  # the splitter alone would cut two
    path = tmp_path / "cut.jsonl"
    call_command("export_claims", "--output", str(path), stderr=io.StringIO())
    empty_the_database()
    call_command("import_articles", str(path), stdout=io.StringIO())
    (stored,) = Article.objects.all()
    assert list(stored.claims.values_list("order", "start", "end", "kind")) == claims_before
    assert Annotation.objects.get().quote == "Another"


def test_our_jsonl_filtered_by_claim_is_refused_with_what_to_do(labelled, tmp_path):
    path = tmp_path / "some.jsonl"
    call_command(
        "export_claims", "--has-errors", "true", "--output", str(path), stderr=io.StringIO()
    )
    empty_the_database()
    err = io.StringIO()
    with pytest.raises(Exception, match="failed"):
        call_command("import_articles", str(path), stdout=io.StringIO(), stderr=err)
    assert "export without claim filters" in err.getvalue()
    assert not Article.objects.exists()
