"""PATCH /api/v1/articles/<id>/ with a revised text: editors only; labels re-anchored."""

from claims.models import Annotation, ArticleRevision
from tests.factories import annotate, article

TEXT = "Blinken met Xi in Beijing.\n\nThe Foreign Minister said the talks were candid.\n"


def test_an_editor_revises_the_text_and_sees_the_anchor_counts(api_as, editor_eve, reviewer_ann):
    story = article(TEXT)
    tag = annotate(story.claims.get(order=1), reviewer_ann, "Foreign Minister")
    revised = "Updated on Tuesday.\n\n" + TEXT.replace("talks were candid", "talks were frank")

    response = api_as(editor_eve).patch(
        f"/api/v1/articles/{story.pk}/", {"text": revised}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["text"] == revised
    assert body["revision"]["annotations"] == {"exact": 0, "moved": 1, "fuzzy": 0, "orphaned": 0}
    assert body["revision"]["claims"] == {"kept": 1, "added": 2, "removed": 1}
    tag.refresh_from_db()
    assert revised[tag.start : tag.end] == "Foreign Minister"
    (annotation,) = [a for c in body["claims"] for a in c["annotations"]]
    assert annotation["anchor"] == "moved" and annotation["start"] == tag.start
    assert ArticleRevision.objects.get(article=story).text == TEXT


def test_an_orphaned_annotation_is_listed_with_its_old_quote_and_no_offsets(
    api_as, editor_eve, reviewer_ann
):
    story = article(TEXT)
    tag = annotate(story.claims.get(order=1), reviewer_ann, "Foreign Minister")
    revised = TEXT.replace("Foreign Minister", "Secretary of State")
    assert (
        api_as(editor_eve)
        .patch(f"/api/v1/articles/{story.pk}/", {"text": revised}, format="json")
        .status_code
        == 200
    )
    body = api_as(editor_eve).get(f"/api/v1/annotations/{tag.pk}/").json()
    assert (body["anchor"], body["start"], body["end"], body["quote"]) == (
        "orphaned",
        None,
        None,
        "Foreign Minister",
    )


def test_reviewers_cannot_revise_and_nothing_changes(api_as, reviewer_ann):
    story = article(TEXT)
    response = api_as(reviewer_ann).patch(
        f"/api/v1/articles/{story.pk}/", {"text": "Other text."}, format="json"
    )
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.text == TEXT and not story.revisions.exists()


def test_bad_revisions_are_refused_with_what_to_fix(api_as, editor_eve):
    story, other = article(TEXT), article("Another story entirely.\n")
    client = api_as(editor_eve)
    for text, message in [
        ("   ", "no text"),
        (TEXT, "unchanged"),
        ("Another story entirely.\n", f"already stored as article {other.pk}"),
    ]:
        response = client.patch(f"/api/v1/articles/{story.pk}/", {"text": text}, format="json")
        assert response.status_code == 400
        assert message in str(response.json())
    story.refresh_from_db()
    assert story.text == TEXT and not story.revisions.exists()
    assert Annotation.objects.count() == 0


def test_a_copy_read_before_a_revision_is_stale_after_it(api_as, editor_eve, reviewer_ann):
    story = article(TEXT)
    tag = annotate(story.claims.get(order=1), reviewer_ann, "Foreign Minister")
    ann = api_as(reviewer_ann)
    etag = ann.get(f"/api/v1/annotations/{tag.pk}/")["ETag"]
    revised = "Updated on Tuesday.\n\n" + TEXT
    assert (
        api_as(editor_eve)
        .patch(f"/api/v1/articles/{story.pk}/", {"text": revised}, format="json")
        .status_code
        == 200
    )

    response = ann.patch(
        f"/api/v1/annotations/{tag.pk}/", {"note": "checked"}, format="json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 412
    tag.refresh_from_db()
    assert tag.note == "" and revised[tag.start : tag.end] == "Foreign Minister"
