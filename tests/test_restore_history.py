"""History you can use: sources have history, editors restore annotations from theirs."""

from claims import services
from claims.models import Annotation, Source
from tests.factories import SourceFactory, annotate, article

TEXT = "Blinken met Xi in Beijing.\n\nThe Foreign Minister said the talks were candid.\n"


def _tag(reviewer, **fields):
    story = article(TEXT)
    return annotate(story.claims.get(order=1), reviewer, "Foreign Minister", **fields)


def test_an_editor_restores_a_deleted_annotation_with_its_deleted_source(
    client, reviewer_ann, editor_eve
):
    kept, dropped = SourceFactory(), SourceFactory(title="State Department biography")
    tag = _tag(reviewer_ann, note="wrong title", sources=[kept, dropped])
    pk = tag.pk
    services.annotation_delete(tag, by=reviewer_ann)
    dropped.delete()
    deleted = Annotation.history.get(id=pk, history_type="-")

    client.force_login(editor_eve)
    story = Annotation.history.get(history_id=deleted.history_id).claim.article
    listed = client.get(f"/admin/claims/article/{story.pk}/revisions/").content.decode()
    assert f"/admin/claims/annotation/{pk}/history/" in listed  # under "Deleted annotations"
    page = client.get(f"/admin/claims/annotation/{pk}/history/").content.decode()
    assert f"/admin/claims/annotation/history/{deleted.history_id}/restore/" in page
    response = client.post(f"/admin/claims/annotation/history/{deleted.history_id}/restore/")

    assert response.status_code == 302
    restored = Annotation.objects.get(pk=pk)
    assert (restored.quote, restored.note, restored.reviewer) == (
        "Foreign Minister",
        "wrong title",
        reviewer_ann,
    )
    assert set(restored.sources.values_list("title", flat=True)) == {
        kept.title,
        "State Department biography",
    }
    last = Annotation.history.filter(id=pk).latest("history_date")
    assert (last.history_user, last.history_change_reason) == (editor_eve, "restored from history")


def test_an_editor_restores_an_earlier_version(reviewer_ann, editor_eve):
    tag = _tag(reviewer_ann, note="first", severity="minor")
    first = Annotation.history.get(id=tag.pk, history_type="+")
    services.annotation_update(tag, by=reviewer_ann, note="second", severity="critical")
    services.annotation_restore(history_id=first.history_id, by=editor_eve)
    tag.refresh_from_db()
    assert (tag.note, tag.severity) == ("first", "minor")


def test_a_version_that_no_longer_fits_the_revised_text_is_refused(
    client, reviewer_ann, editor_eve
):
    tag = _tag(reviewer_ann)
    first = Annotation.history.get(id=tag.pk, history_type="+")
    story = tag.claim.article
    services.article_revise(article=story, text="Updated.\n\n" + TEXT, by=editor_eve)
    tag.refresh_from_db()
    moved = (tag.start, tag.end)
    client.force_login(editor_eve)
    response = client.post(
        f"/admin/claims/annotation/history/{first.history_id}/restore/", follow=True
    )
    body = response.content.decode()
    assert "no longer" in body and "Tag the error again" in body
    tag.refresh_from_db()
    assert (tag.start, tag.end) == moved


def test_reviewers_cannot_restore(client, reviewer_ann):
    tag = _tag(reviewer_ann, note="first")
    first = Annotation.history.get(id=tag.pk)
    services.annotation_update(tag, by=reviewer_ann, note="second")
    client.force_login(reviewer_ann)
    page = client.get(f"/admin/claims/annotation/{tag.pk}/history/").content.decode()
    assert "Restore this version" not in page
    response = client.post(f"/admin/claims/annotation/history/{first.history_id}/restore/")
    assert response.status_code == 403
    tag.refresh_from_db()
    assert tag.note == "second"


def test_deleting_a_cited_source_lists_the_citing_annotations_and_is_recorded(
    client, reviewer_ann, editor_eve
):
    source = SourceFactory(title="Evidence <b>bold</b>")
    tag = _tag(reviewer_ann, sources=[source])
    client.force_login(editor_eve)
    page = client.get(f"/admin/claims/source/{source.pk}/delete/").content.decode()
    assert "cited by 1 annotation" in page
    assert f"/admin/claims/annotation/{tag.pk}/change/" in page
    assert "<b>bold</b>" not in page
    assert "delete_selected" not in client.get("/admin/claims/source/").content.decode()

    client.post(f"/admin/claims/source/{source.pk}/delete/", {"post": "yes"})

    assert not Source.objects.filter(pk=source.pk).exists()
    assert not tag.sources.exists()
    deletion = Source.history.get(id=source.pk, history_type="-")
    assert (deletion.history_user, deletion.title) == (editor_eve, "Evidence <b>bold</b>")


def test_a_deleted_source_stored_again_since_is_cited_by_the_restored_annotation(
    reviewer_ann, editor_eve
):
    dropped = SourceFactory(url="https://www.state.gov/bio/", title="State Department biography")
    tag = _tag(reviewer_ann, sources=[dropped])
    services.annotation_delete(tag, by=reviewer_ann)
    dropped.delete()
    again = SourceFactory(url="https://WWW.state.gov/bio/#top", title="typed again")
    deleted = Annotation.history.get(id=tag.pk, history_type="-")

    services.annotation_restore(history_id=deleted.history_id, by=editor_eve)

    assert list(Annotation.objects.get(pk=tag.pk).sources.all()) == [again]
    assert Source.objects.count() == 1


def test_a_restored_source_is_its_adders_though_another_reviewer_typed_its_address(
    reviewer_ann, reviewer_ben, editor_eve
):
    """Ben's source of the same address is his work: Ann's annotation, restored, cites
    her own source again, not his (which would show her his words under blind review)."""
    dropped = SourceFactory(url="https://www.state.gov/bio/", title="Ann's", added_by=reviewer_ann)
    tag, dropped_pk = _tag(reviewer_ann, sources=[dropped]), dropped.pk
    services.annotation_delete(tag, by=reviewer_ann)
    dropped.delete()
    SourceFactory(url="https://WWW.state.gov/bio/#top", title="Ben's", added_by=reviewer_ben)
    deleted = Annotation.history.get(id=tag.pk, history_type="-")

    services.annotation_restore(history_id=deleted.history_id, by=editor_eve)

    [cited] = Annotation.objects.get(pk=tag.pk).sources.all()
    assert (cited.pk, cited.title, cited.added_by) == (dropped_pk, "Ann's", reviewer_ann)
    assert Source.objects.count() == 2
