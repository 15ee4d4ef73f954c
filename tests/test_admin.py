"""The admin, the reviewers' main tool, through real requests."""

import pytest
from django.urls import reverse

from claims.models import Annotation, ErrorType
from tests.factories import annotate, assign, submit


@pytest.fixture
def claim(seed_article):
    return seed_article.claims.get(text__startswith="Foreign Minister")


@pytest.fixture
def as_ann(client, reviewer_ann):
    client.force_login(reviewer_ann)
    return client


def test_admin_pages_render_for_a_reviewer(as_ann, claim, reviewer_ann):
    tag = annotate(claim, reviewer_ann, "Foreign Minister", correction="Secretary of State")
    pages = [
        reverse("admin:index"),
        reverse("admin:claims_article_changelist"),
        reverse("admin:claims_article_change", args=[claim.article_id]),
        reverse("admin:claims_claim_changelist"),
        reverse("admin:claims_claim_change", args=[claim.pk]),
        reverse("admin:claims_claim_split", args=[claim.pk]),
        reverse("admin:claims_annotation_changelist"),
        reverse("admin:claims_annotation_add") + f"?claim={claim.pk}",
        reverse("admin:claims_annotation_change", args=[tag.pk]),
        reverse("admin:claims_errortype_changelist"),
        reverse("admin:claims_source_changelist"),
        reverse("admin:claims_verdict_changelist"),
    ]
    for page in pages:
        assert as_ann.get(page).status_code == 200, page


def test_article_page_highlights_spans_and_shows_error_types(as_ann, claim, reviewer_ann):
    annotate(claim, reviewer_ann, "Foreign Minister")
    page = as_ann.get(reverse("admin:claims_article_change", args=[claim.article_id]))
    html = page.content.decode()
    assert (
        '<mark class="fc-error" title="Wrong title or role (ann)">Foreign Minister</mark>' in html
    )
    assert '<span class="fc-badge"' in html and ">Wrong title or role</span>" in html


def test_article_and_note_text_are_escaped(client, editor_eve, reviewer_ann):
    from tests.factories import article

    story = article(
        "<script>alert(1)</script> is bad. <b>Bold</b> claim here.",
        title="<img src=x onerror=alert(2)>",
    )
    first = story.claims.first()
    annotate(
        first,
        reviewer_ann,
        "<script>",
        note="<i>note</i>",
        correction='"><script>alert(3)</script>',
    )
    client.force_login(editor_eve)
    html = client.get(reverse("admin:claims_article_change", args=[story.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "<script>alert(3)</script>" not in html


def test_reviewer_tags_an_error_by_typing_the_quote(as_ann, claim, reviewer_ann):
    assign(claim.article, reviewer_ann)
    response = as_ann.post(
        reverse("admin:claims_annotation_add"),
        {
            "claim": claim.pk,
            "quote": "Foreign Minister",
            "start": "",
            "end": "",
            "error_type": ErrorType.objects.get(slug="wrong-title").pk,
            "severity": "major",
            "correction": "Secretary of State",
            "note": "",
            "new_source_url": "https://www.state.gov/biographies/antony-j-blinken/",
            "new_source_title": "Antony J. Blinken",
            "new_source_publisher": "",
            "new_source_passage": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    tag = Annotation.objects.get()
    assert (tag.start, tag.end, tag.reviewer) == (65, 81, reviewer_ann)
    assert tag.sources.get().title == "Antony J. Blinken"


@pytest.mark.parametrize(
    ("quote", "message"),
    [("Secretary of State", "does not occur in this claim"), ("he", "occurs more than once")],
)
def test_absent_or_ambiguous_quote_is_refused_in_the_form(
    as_ann, claim, reviewer_ann, quote, message
):
    assign(claim.article, reviewer_ann)
    response = as_ann.post(
        reverse("admin:claims_annotation_add"),
        {
            "claim": claim.pk,
            "quote": quote,
            "start": "",
            "end": "",
            "error_type": ErrorType.objects.get(slug="wrong-title").pk,
            "severity": "major",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Annotation.objects.exists()


def test_reviewer_cannot_change_another_reviewers_annotation(
    as_ann, claim, reviewer_ann, reviewer_ben
):
    annotate(claim, reviewer_ann, "Antony Blinken", slug="wrong-name")
    bens = annotate(claim, reviewer_ben, "Foreign Minister", note="ben's")
    submit(claim.article, reviewer_ann)  # now Ann may see Ben's work, not change it
    url = reverse("admin:claims_annotation_change", args=[bens.pk])
    page = as_ann.get(url)
    assert page.status_code == 200
    assert 'name="note"' not in page.content.decode()  # shown read-only
    as_ann.post(
        url,
        {
            "note": "overwritten",
            "error_type": bens.error_type_id,
            "severity": "major",
            "start": 65,
            "end": 81,
        },
    )
    bens.refresh_from_db()
    assert bens.note == "ben's"
    delete = as_ann.post(reverse("admin:claims_annotation_delete", args=[bens.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert Annotation.objects.filter(pk=bens.pk).exists()


def test_reviewer_does_not_see_others_work_in_the_admin_before_submitting(
    as_ann, claim, reviewer_ann, reviewer_ben
):
    annotate(claim, reviewer_ann, "Antony Blinken", slug="wrong-name")
    bens = annotate(
        claim,
        reviewer_ben,
        "Foreign Minister",
        note="ben's secret note",
        correction="Secretary of State (ben's fix)",
    )
    pages = {
        "annotation list": reverse("admin:claims_annotation_changelist"),
        "article": reverse("admin:claims_article_change", args=[claim.article_id]),
        "claim": reverse("admin:claims_claim_change", args=[claim.pk]),
        "claim list": reverse("admin:claims_claim_changelist") + "?reviewer=ben",
    }
    for name, url in pages.items():
        html = as_ann.get(url).content.decode()
        assert "secret note" not in html and "ben&#x27;s fix" not in html, name
        assert "Wrong title or role (ben)" not in html, name
    assert "Antony Blinken</mark>" in as_ann.get(pages["article"]).content.decode()
    assert (
        as_ann.get(reverse("admin:claims_annotation_change", args=[bens.pk])).status_code == 302
    )  # "doesn't exist" for Ann
    submit(claim.article, reviewer_ann)
    assert "Wrong title or role (ben)" in as_ann.get(pages["article"]).content.decode()


def test_submitted_review_is_read_only_to_its_reviewer(as_ann, claim, reviewer_ann):
    mine = annotate(claim, reviewer_ann, "Foreign Minister")
    submit(claim.article, reviewer_ann)
    page = as_ann.get(reverse("admin:claims_annotation_change", args=[mine.pk]))
    assert 'name="note"' not in page.content.decode()
    response = as_ann.post(
        reverse("admin:claims_annotation_add"),
        {
            "claim": claim.pk,
            "quote": "Antony Blinken",
            "start": "",
            "end": "",
            "error_type": ErrorType.objects.get(slug="wrong-name").pk,
            "severity": "major",
        },
    )
    assert "read-only until an editor reopens it" in response.content.decode()
    assert Annotation.objects.count() == 1


def test_editor_can_change_any_annotation(client, editor_eve, claim, reviewer_ben):
    bens = annotate(claim, reviewer_ben, "Foreign Minister")
    client.force_login(editor_eve)
    response = client.post(
        reverse("admin:claims_annotation_change", args=[bens.pk]),
        {
            "quote": "Foreign Minister",
            "start": 65,
            "end": 81,
            "error_type": bens.error_type_id,
            "severity": "minor",
            "note": "edited by eve",
            "correction": "",
        },
    )
    assert response.status_code == 302
    bens.refresh_from_db()
    assert (bens.note, bens.reviewer) == ("edited by eve", reviewer_ben)


def test_split_from_the_admin_keeps_the_annotation(as_ann, claim, reviewer_ann):
    tag = annotate(claim, reviewer_ann, "Foreign Minister")
    response = as_ann.post(
        reverse("admin:claims_claim_split", args=[claim.pk]), {"before": "he had failed", "at": ""}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.text.endswith("Beijing,")
    tag.refresh_from_db()
    assert tag.claim == claim
    follower = claim.article.claims.get(order=claim.order + 1)
    assert follower.text.startswith("he had failed")


def test_merge_action_from_the_changelist(as_ann, seed_article, reviewer_ann):
    assign(seed_article, reviewer_ann)  # her review is the article's only one
    first = seed_article.claims.filter(kind="statement").first()
    second = seed_article.claims.get(order=first.order + 1)
    response = as_ann.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "merge_with_next", "_selected_action": [first.pk]},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.text.endswith(second.text)


def test_an_account_without_a_role_sees_no_claims(client, outsider, seed_article):
    outsider.is_staff = True
    outsider.save()
    client.force_login(outsider)
    assert client.get(reverse("admin:claims_claim_changelist")).status_code == 403
    assert (
        client.get(
            reverse("admin:claims_claim_split", args=[seed_article.claims.first().pk])
        ).status_code
        == 403
    )


def test_anonymous_is_sent_to_the_login_page(client, seed_article):
    response = client.get(reverse("admin:claims_article_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_changelists_query_count_does_not_grow_with_rows(
    as_ann, seed_article, reviewer_ann, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert as_ann.get(url).status_code == 200
        return len(captured)

    url = reverse("admin:claims_annotation_changelist")
    claims = list(seed_article.claims.filter(kind="statement"))
    annotate(claims[0], reviewer_ann, start=claims[0].start, end=claims[0].start + 3)
    few = count(url)
    for c in claims[1:]:
        annotate(c, reviewer_ann, start=c.start, end=c.start + 3)
    assert count(url) == few
    article_page = reverse("admin:claims_article_change", args=[seed_article.pk])
    count(article_page)  # the first render fills the process's ContentType cache
    before = count(article_page)
    annotate(claims[0], reviewer_ann, start=claims[0].start + 4, end=claims[0].start + 6)
    assert count(article_page) == before


def test_add_annotation_page_shows_the_claim_to_copy_the_quote_from(as_ann, claim, reviewer_ann):
    assign(claim.article, reviewer_ann)
    page = as_ann.get(reverse("admin:claims_annotation_add") + f"?claim={claim.pk}")
    assert "Foreign Minister Antony Blinken admitted on Monday" in page.content.decode()
    assert "article offsets 65–306" in page.content.decode()


def test_a_reviewer_cannot_split_or_merge_claims_of_an_article_others_review(
    as_ann, claim, reviewer_ann, reviewer_ben
):
    assign(claim.article, reviewer_ann, reviewer_ben)
    split = reverse("admin:claims_claim_split", args=[claim.pk])
    assert as_ann.post(split, {"before": "he had failed", "at": ""}).status_code == 403
    merged = as_ann.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "merge_with_next", "_selected_action": [claim.pk]},
        follow=True,
    )
    assert "split and merged by an editor" in merged.content.decode()
    claim.refresh_from_db()
    assert claim.text.endswith("communications .")


def test_agreement_panel_is_for_editors_only(client, claim, reviewer_ann, editor_eve):
    assign(claim.article, reviewer_ann)
    page = reverse("admin:claims_article_change", args=[claim.article_id])
    client.force_login(reviewer_ann)
    assert "Agreement between reviewers" not in client.get(page).content.decode()
    client.force_login(editor_eve)
    assert "Agreement between reviewers" in client.get(page).content.decode()
