"""Revising an article in the admin; its revisions as diffs; the orphans it left."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.models import Annotation
from tests.factories import annotate, article

TEXT = "Blinken met Xi in Beijing.\n\nThe Foreign Minister said the talks were candid.\n"


def test_an_editor_revises_the_text_in_the_admin(client, editor_eve, reviewer_ann):
    story = article(TEXT)
    tag = annotate(story.claims.get(order=1), reviewer_ann, "Foreign Minister")
    client.force_login(editor_eve)
    page = client.get(f"/admin/claims/article/{story.pk}/change/")
    assert f"/admin/claims/article/{story.pk}/revise/" in page.content.decode()
    revised = TEXT.replace("Foreign Minister", "Secretary of State")
    response = client.post(
        f"/admin/claims/article/{story.pk}/revise/",
        {"title": story.title, "text": revised},
        follow=True,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 orphaned" in body
    assert "Orphaned annotations" in body and "Foreign Minister" in body
    story.refresh_from_db()
    tag.refresh_from_db()
    assert story.text == revised and tag.anchor == "orphaned"


def test_a_refused_revision_shows_why_and_changes_nothing(client, editor_eve):
    story = article(TEXT)
    client.force_login(editor_eve)
    response = client.post(f"/admin/claims/article/{story.pk}/revise/", {"title": "", "text": TEXT})
    assert response.status_code == 200
    assert "The text is unchanged." in response.content.decode()
    assert not story.revisions.exists()


def test_reviewers_cannot_revise_or_read_revisions(client, reviewer_ann):
    story = article(TEXT)
    client.force_login(reviewer_ann)
    for page in ("revise", "revisions"):
        assert client.get(f"/admin/claims/article/{story.pk}/{page}/").status_code == 403
    response = client.post(f"/admin/claims/article/{story.pk}/revise/", {"text": "New.\n"})
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.text == TEXT


def test_the_revision_diff_shows_both_texts_escaped(client, editor_eve):
    story = article(TEXT)
    services.article_revise(
        article=story, text=TEXT + "\n<script>alert(1)</script> & more.\n", by=editor_eve
    )
    revision = story.revisions.get()
    client.force_login(editor_eve)
    body = client.get(f"/admin/claims/article/{story.pk}/revisions/{revision.pk}/").content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert 'class="diff_add"' in body


def test_an_editor_gives_an_orphan_a_home_by_tagging_it_again(client, editor_eve, reviewer_ann):
    story = article(TEXT)
    tag = annotate(story.claims.get(order=1), reviewer_ann, "Foreign Minister")
    services.article_revise(
        article=story, text=TEXT.replace("Foreign Minister", "Secretary of State"), by=editor_eve
    )
    tag.refresh_from_db()
    assert tag.anchor == "orphaned"
    client.force_login(editor_eve)
    listed = client.get("/admin/claims/annotation/?anchor__exact=orphaned").content.decode()
    assert f"/admin/claims/annotation/{tag.pk}/change/" in listed
    services.annotation_update(tag, by=editor_eve, quote="Secretary of State")
    tag = Annotation.objects.get(pk=tag.pk)
    assert (tag.anchor, tag.quote) == ("exact", "Secretary of State")


def _revisions_page_queries(client, story) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/admin/claims/article/{story.pk}/revisions/")
    assert response.status_code == 200
    return len(captured)


def test_the_revisions_page_runs_as_many_queries_for_many_orphans_as_for_one(
    client, editor_eve, reviewer_ann, reviewer_ben
):
    text = "Blinken met Xi.\n\nThe Foreign Minister and the Defense Minister spoke.\n"
    story = article(text)
    claim = story.claims.get(order=1)
    annotate(claim, reviewer_ann, "Foreign Minister")
    services.article_revise(
        article=story, text=text.replace("Foreign Minister", "Secretary"), by=editor_eve
    )
    client.force_login(editor_eve)
    one = _revisions_page_queries(client, story)
    story.refresh_from_db()  # the revised text
    claim = story.claims.get(order=1)
    for reviewer in (reviewer_ann, reviewer_ben):
        annotate(claim, reviewer, "Defense Minister", note=reviewer.username)
    annotate(claim, reviewer_ben, "Secretary")
    services.article_revise(article=story, text="Blinken met Xi.\n\nThey spoke.\n", by=editor_eve)
    assert Annotation.objects.filter(anchor="orphaned").count() == 4
    assert _revisions_page_queries(client, story) == one
