"""Adjudication through the editor's admin page: ann and ben review, eve adjudicates."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims import services
from claims.models import Adjudication, FinalAnnotation, Verdict
from tests.factories import annotate, article, submit


@pytest.fixture
def title_claim(seed_article):
    return seed_article.claims.get(text__startswith="Foreign Minister")


@pytest.fixture
def biden_claim(seed_article):
    return seed_article.claims.get(text__startswith="The Joe Biden administration")


@pytest.fixture
def taiwan_claim(seed_article):
    return seed_article.claims.get(text__startswith="China views Taiwan")


@pytest.fixture
def reviews(title_claim, biden_claim, taiwan_claim, reviewer_ann, reviewer_ben):
    """Both reviewers submitted. They agree on the title claim's error (in different words)
    and on the Taiwan claim's verdict; on the Biden claim each tagged something else."""
    tags = SimpleNamespace(
        ann_title=annotate(
            title_claim, reviewer_ann, "Foreign Minister", correction="Secretary of State"
        ),
        ben_title=annotate(
            title_claim, reviewer_ben, "Foreign Minister", correction="US Secretary of State"
        ),
        ann_speaker=annotate(
            biden_claim, reviewer_ann, "then-House Speaker", correction="former House Speaker"
        ),
        ben_march=annotate(
            biden_claim, reviewer_ben, "in March", slug="wrong-date", correction="in April"
        ),
    )
    for reviewer, biden_label in ((reviewer_ann, "misleading"), (reviewer_ben, "accurate")):
        services.verdict_set(claim=title_claim, reviewer=reviewer, label="inaccurate")
        services.verdict_set(claim=biden_claim, reviewer=reviewer, label=biden_label)
        services.verdict_set(claim=taiwan_claim, reviewer=reviewer, label="accurate")
        submit(title_claim.article, reviewer)
    return tags


@pytest.fixture
def as_eve(client, editor_eve):
    client.force_login(editor_eve)
    return client


def page_url(article) -> str:
    return reverse("admin:claims_article_adjudicate", args=[article.pk])


def review_of(page, claim):
    return next(r for r in page.context["form"].reviews if r.claim == claim)


def prefilled(page) -> dict:
    """What the editor's browser sends when they save the page without touching it."""
    data = {}
    for review in page.context["form"].reviews:
        for form in (review.form, *review.form.candidate_forms):
            for field in form:
                if field.value() is not None:
                    data[field.html_name] = field.value()
    return data


def decide(data, claim, n, decision, **fields) -> None:
    data[f"claim-{claim.pk}-{n}-decision"] = decision
    for name, value in fields.items():
        data[f"claim-{claim.pk}-{n}-{name}"] = value


def origins(final) -> set:
    return set(final.from_annotations.all())


def test_editor_sees_both_reviews_side_by_side_with_disagreements_marked(
    as_eve, reviews, title_claim, biden_claim, taiwan_claim
):
    page = as_eve.get(page_url(title_claim.article))

    assert page.status_code == 200
    html = page.content.decode()
    assert "<th>ann</th>" in html and "<th>ben</th>" in html
    for words in (
        "Secretary of State",
        "US Secretary of State",
        "former House Speaker",
        "in April",
        "Misleading",
        "Accurate",
    ):
        assert words in html
    assert f'id="claim-{biden_claim.pk}" class="fc-review fc-disagreement"' in html
    assert f'id="claim-{title_claim.pk}" class="fc-review"' in html
    assert f'id="claim-{taiwan_claim.pk}" class="fc-review"' in html
    assert '<span class="fc-marker">disagreement</span>' in html
    assert "27 claims nobody tagged are treated as having no error" in html


def test_identical_annotations_are_one_candidate_accepted_by_default(
    as_eve, reviews, title_claim, biden_claim, taiwan_claim
):
    page = as_eve.get(page_url(title_claim.article))

    [shared] = review_of(page, title_claim).form.candidate_forms
    assert shared.candidate.annotations == [reviews.ann_title, reviews.ben_title]
    assert shared["decision"].value() == "accept"
    assert shared["correction"].value() == "Secretary of State"  # the first reviewer's words
    assert review_of(page, title_claim).form["verdict"].value() == "inaccurate"
    speaker, march = review_of(page, biden_claim).form.candidate_forms
    assert speaker.candidate.annotations == [reviews.ann_speaker]
    assert march.candidate.annotations == [reviews.ben_march]
    assert speaker["decision"].value() is None and march["decision"].value() is None
    assert review_of(page, biden_claim).form["verdict"].value() == ""
    assert review_of(page, taiwan_claim).form.candidate_forms == []
    assert review_of(page, taiwan_claim).form["verdict"].value() == "accurate"


def test_reviewer_cannot_open_the_adjudication_page(client, reviews, reviewer_ann, title_claim):
    client.force_login(reviewer_ann)

    assert client.get(page_url(title_claim.article)).status_code == 403
    assert client.post(page_url(title_claim.article), {}).status_code == 403
    assert not Adjudication.objects.exists()


def test_too_few_submitted_reviews_shows_why_and_saves_nothing(
    as_eve, reviewer_ann, reviewer_ben, title_claim
):
    annotate(title_claim, reviewer_ann, "Foreign Minister")
    annotate(title_claim, reviewer_ben, "Foreign Minister")
    submit(title_claim.article, reviewer_ann)  # ben's review is still open

    page = as_eve.get(page_url(title_claim.article))
    html = page.content.decode()
    assert "has 1 submitted review; adjudication needs 2" in html
    assert "Save final labels" not in html

    answer = as_eve.post(
        page_url(title_claim.article), {f"claim-{title_claim.pk}-0-decision": "accept"}
    )
    assert answer.status_code == 200
    assert not Adjudication.objects.exists() and not FinalAnnotation.objects.exists()


def test_accept_edit_and_reject_make_the_final_labels(
    as_eve, reviews, editor_eve, title_claim, biden_claim, taiwan_claim
):
    data = prefilled(as_eve.get(page_url(title_claim.article)))
    decide(data, biden_claim, 0, "accept", correction="the former Speaker", severity="minor")
    decide(data, biden_claim, 1, "reject")
    data[f"claim-{biden_claim.pk}-verdict"] = "misleading"
    data[f"claim-{biden_claim.pk}-note"] = "Pelosi had left the post by then."

    answer = as_eve.post(page_url(title_claim.article), data, follow=True)

    assert answer.redirect_chain == [
        (reverse("admin:claims_article_change", args=[title_claim.article_id]), 302)
    ]
    assert "Saved the final labels" in answer.content.decode()
    [title_label] = FinalAnnotation.objects.filter(adjudication__claim=title_claim)
    assert origins(title_label) == {reviews.ann_title, reviews.ben_title}
    assert (title_label.quote, title_label.correction) == ("Foreign Minister", "Secretary of State")
    [speaker] = FinalAnnotation.objects.filter(adjudication__claim=biden_claim)
    assert origins(speaker) == {reviews.ann_speaker}
    assert (speaker.quote, speaker.correction, speaker.severity) == (
        "then-House Speaker",
        "the former Speaker",
        "minor",
    )
    biden = Adjudication.objects.get(claim=biden_claim)
    assert (biden.verdict, biden.note, biden.editor) == (
        Verdict.Label.MISLEADING,
        "Pelosi had left the post by then.",
        editor_eve,
    )
    assert Adjudication.objects.get(claim=title_claim).verdict == Verdict.Label.INACCURATE
    assert Adjudication.objects.get(claim=taiwan_claim).verdict == Verdict.Label.ACCURATE
    # Every claim is settled; the ones nobody tagged have no error.
    assert Adjudication.objects.filter(editor=editor_eve).count() == 30
    assert FinalAnnotation.objects.count() == 2


def test_an_undecided_disagreement_is_a_form_error_and_saves_nothing(
    as_eve, reviews, title_claim, biden_claim
):
    data = prefilled(as_eve.get(page_url(title_claim.article)))
    decide(data, biden_claim, 0, "accept")  # ben's "in March" left undecided

    answer = as_eve.post(page_url(title_claim.article), data)

    assert answer.status_code == 200
    html = answer.content.decode()
    assert "The final labels were not saved." in html
    assert "Accept or reject every candidate; missing: “in March” (Wrong date or time)." in html
    assert not review_of(answer, biden_claim).form.is_valid()
    assert not Adjudication.objects.exists() and not FinalAnnotation.objects.exists()


def test_adjudicating_again_replaces_the_final_labels(as_eve, reviews, title_claim, biden_claim):
    data = prefilled(as_eve.get(page_url(title_claim.article)))
    decide(data, biden_claim, 0, "accept", correction="the former Speaker")
    decide(data, biden_claim, 1, "accept")
    as_eve.post(page_url(title_claim.article), data)
    first = set(FinalAnnotation.objects.values_list("pk", flat=True))
    assert len(first) == 3

    again = as_eve.get(page_url(title_claim.article))
    speaker, march = review_of(again, biden_claim).form.candidate_forms
    assert speaker["decision"].value() == march["decision"].value() == "accept"
    assert speaker["correction"].value() == "the former Speaker"
    data = prefilled(again)
    decide(data, biden_claim, 0, "reject")
    decide(data, title_claim, 0, "accept", correction="Secretary of State of the US")
    as_eve.post(page_url(title_claim.article), data)

    assert first.isdisjoint(FinalAnnotation.objects.values_list("pk", flat=True))
    [title_label] = FinalAnnotation.objects.filter(adjudication__claim=title_claim)
    assert title_label.correction == "Secretary of State of the US"
    [march_label] = FinalAnnotation.objects.filter(adjudication__claim=biden_claim)
    assert origins(march_label) == {reviews.ben_march}
    assert Adjudication.objects.filter(claim=biden_claim).count() == 1
    third = as_eve.get(page_url(title_claim.article))
    speaker, march = review_of(third, biden_claim).form.candidate_forms
    assert (speaker["decision"].value(), march["decision"].value()) == ("reject", "accept")


def test_decisions_on_a_stale_page_are_refused(
    as_eve, reviews, editor_eve, title_claim, biden_claim
):
    data = prefilled(as_eve.get(page_url(title_claim.article)))
    decide(data, biden_claim, 0, "accept")
    decide(data, biden_claim, 1, "reject")
    # Meanwhile ben's title annotation goes: the page's shared candidate no longer exists.
    services.annotation_delete(reviews.ben_title, by=editor_eve)

    answer = as_eve.post(page_url(title_claim.article), data)

    assert answer.status_code == 200
    assert "The reviews changed since this page was opened; reload it." in answer.content.decode()
    assert not Adjudication.objects.exists()


def test_history_records_who_adjudicated(as_eve, reviews, editor_eve, title_claim, biden_claim):
    data = prefilled(as_eve.get(page_url(title_claim.article)))
    decide(data, biden_claim, 0, "accept")
    decide(data, biden_claim, 1, "reject")
    as_eve.post(page_url(title_claim.article), data)
    data = prefilled(as_eve.get(page_url(title_claim.article)))  # a page opened after the save
    decide(data, biden_claim, 0, "reject")
    as_eve.post(page_url(title_claim.article), data)

    biden = Adjudication.objects.get(claim=biden_claim)
    assert biden.history.count() == 2
    assert {h.history_user for h in Adjudication.history.all()} == {editor_eve}
    created = FinalAnnotation.history.filter(history_type="+")
    assert created.count() == 3  # title claim twice, the speaker once
    assert {h.history_user for h in created} == {editor_eve}
    [removed] = FinalAnnotation.history.filter(history_type="-", quote="then-House Speaker")
    assert removed.history_user == editor_eve


def test_reviewer_text_is_escaped_on_the_page(client, editor_eve, reviewer_ann, reviewer_ben):
    story = article("<b>Bold</b> claim here. Another claim there.", title="<i>t</i>")
    claim = story.claims.first()
    for reviewer in (reviewer_ann, reviewer_ben):
        annotate(claim, reviewer, "<b>", correction="<script>alert(1)</script>", note="<img src=x>")
        submit(story, reviewer)
    client.force_login(editor_eve)

    html = client.get(page_url(story)).content.decode()

    assert "<script>alert(1)" not in html and "<img src=x>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<i>t</i>" not in html


def test_service_refuses_a_claim_of_another_article(editor_eve, reviews, title_claim):
    elsewhere = article("Some other story. With claims.").claims.first()

    with pytest.raises(ValidationError) as refusal:
        services.article_adjudicate(
            article=title_claim.article, editor=editor_eve, decisions={elsewhere: ([], "", "")}
        )

    assert refusal.value.code == "foreign_claim"
    assert not Adjudication.objects.exists()


def test_two_editors_adjudicating_from_the_same_page_cannot_both_save(
    as_eve, reviews, title_claim, biden_claim, taiwan_claim
):
    page = as_eve.get(page_url(title_claim.article))
    assert review_of(page, biden_claim).form["seen_version"].value() == 0
    first = prefilled(page)
    decide(first, biden_claim, 0, "accept", correction="the former Speaker")
    decide(first, biden_claim, 1, "accept")
    second = dict(first)
    decide(second, biden_claim, 0, "reject")
    assert as_eve.post(page_url(title_claim.article), first).status_code == 302
    saved = set(FinalAnnotation.objects.values_list("pk", "correction"))

    # The second editor's page was opened before the first save: refused, not replacing it.
    answer = as_eve.post(page_url(title_claim.article), second)

    assert answer.status_code == 200
    [(_, problems)] = answer.context["form"].errors
    assert problems[0].startswith(
        "Another editor saved the final labels of claim "
        f"#{title_claim.pk}, #{biden_claim.pk}, #{taiwan_claim.pk} "
        "after you opened this page, so nothing was saved."
    )
    assert problems[0] in answer.content.decode()
    assert set(FinalAnnotation.objects.values_list("pk", "correction")) == saved
    assert set(Adjudication.objects.values_list("version", flat=True)) == {1}
    # The page keeps the second editor's decision, now marked with the current version.
    kept = review_of(answer, biden_claim).form
    assert kept.candidate_forms[0]["decision"].value() == "reject"
    assert str(kept["seen_version"].value()) == "1"
    assert as_eve.post(page_url(title_claim.article), prefilled(answer)).status_code == 302
    assert not FinalAnnotation.objects.filter(correction="the former Speaker").exists()
