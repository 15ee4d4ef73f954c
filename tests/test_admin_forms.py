"""Admin forms refuse bad input with a form error, never a 500 or a half-written change."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Annotation, Article, Claim, ErrorType, Source, Verdict
from tests.factories import annotate, article, assign, submit


@pytest.fixture
def claim(seed_article):
    return seed_article.claims.get(text__startswith="Foreign Minister")


@pytest.fixture
def as_eve(client, editor_eve):
    client.force_login(editor_eve)
    return client


@pytest.fixture
def as_ann(client, reviewer_ann):
    client.force_login(reviewer_ann)
    return client


def article_form(**fields) -> dict:
    return {
        "title": "Rates rise",
        "text": "Rates rise\n\nThe bank raised rates. Markets fell.",
        "url": "",
        "outlet": "Example Wire",
        "byline": "A. Writer",
        "published_on": "",
        "language": "en",
        **fields,
    }


def article_change_form(story, **fields) -> dict:
    """The change form of ``story`` with its (read-only) claims inline, as the page sends it."""
    claims = list(story.claims.all())
    data = {
        "title": story.title,
        "url": story.url or "",
        "outlet": story.outlet,
        "byline": story.byline,
        "published_on": "",
        "language": story.language,
        "claims-TOTAL_FORMS": len(claims),
        "claims-INITIAL_FORMS": len(claims),
        "claims-MIN_NUM_FORMS": 0,
        "claims-MAX_NUM_FORMS": 1000,
        **fields,
    }
    for index, one in enumerate(claims):
        data[f"claims-{index}-id"] = one.pk
        data[f"claims-{index}-article"] = story.pk
    return data


def form_errors(response) -> str:
    return " ".join(str(e) for e in response.context["adminform"].form.errors.values())


def test_editor_adds_an_article_in_the_admin_stored_unstripped_without_url(as_eve, editor_eve):
    text = "  Rates rise\r\n\r\nThe bank raised rates. Markets fell.  \r\n"
    response = as_eve.post(reverse("admin:claims_article_add"), article_form(text=text))
    assert response.status_code == 302, form_errors(response)
    story = Article.objects.get()
    assert story.url is None
    assert story.imported_by == editor_eve
    assert story.text == "  Rates rise\n\nThe bank raised rates. Markets fell.  \n"
    assert [c.text for c in story.claims.all()] == [
        "Rates rise",
        "The bank raised rates.",
        "Markets fell.",
    ]

    again = as_eve.post(reverse("admin:claims_article_add"), article_form(text=text))
    assert again.status_code == 200
    assert "already stored as article" in form_errors(again)
    assert Article.objects.count() == 1


def test_article_with_only_whitespace_is_a_form_error(as_eve):
    response = as_eve.post(
        "/admin/claims/article/add/",
        {
            "title": "Empty",
            "text": "   \n  ",
            "url": "",
            "outlet": "",
            "byline": "",
            "published_on": "",
            "language": "en",
        },
    )
    assert response.status_code == 200
    assert "The article has no text." in response.content.decode()
    assert not Article.objects.exists()


def test_clearing_an_articles_url_in_the_admin_stores_null_beside_another_without_url(as_eve):
    with_url = article("Rates rise. Markets fell.", url="https://news.example/rates")
    without_url = article("Snow came. Roads closed.")
    assert without_url.url is None

    response = as_eve.post(
        reverse("admin:claims_article_change", args=[with_url.pk]),
        article_change_form(with_url, url=""),
    )
    assert response.status_code == 302, form_errors(response)
    with_url.refresh_from_db()
    assert with_url.url is None
    # Saving the other url-less article again is no clash either.
    response = as_eve.post(
        reverse("admin:claims_article_change", args=[without_url.pk]),
        article_change_form(without_url, title="Snow came"),
    )
    assert response.status_code == 302, form_errors(response)
    assert Article.objects.filter(url__isnull=True).count() == 2


def test_only_whoever_added_a_source_or_an_editor_changes_it_in_the_admin(
    client, claim, reviewer_ann, reviewer_ben, editor_eve
):
    tag = annotate(
        claim,
        reviewer_ann,
        "Foreign Minister",
        sources=[services.NewSource(url="https://www.state.gov/a", title="State")],
    )
    source = tag.sources.get()
    assert source.added_by == reviewer_ann
    url = reverse("admin:claims_source_change", args=[source.pk])
    data = {"url": "https://evil.example/", "title": "changed by ben"}

    client.force_login(reviewer_ben)
    assert client.get(url).status_code == 302  # blind review: not there for Ben yet
    assign(claim.article, reviewer_ben)
    submit(claim.article, reviewer_ben)
    response = client.post(url, data)
    assert response.status_code == 403
    source.refresh_from_db()
    assert (source.url, source.title) == ("https://www.state.gov/a", "State")
    assert 'name="url"' not in client.get(url).content.decode()  # read-only for ben

    client.force_login(editor_eve)
    assert client.post(url, {**data, "title": "fixed by eve"}).status_code == 302
    source.refresh_from_db()
    assert source.title == "fixed by eve"


def test_verdict_claim_is_read_only_and_a_second_verdict_is_a_form_error(
    as_ann, claim, reviewer_ann
):
    assign(claim.article, reviewer_ann)
    add = reverse("admin:claims_verdict_add")
    first = as_ann.post(add, {"claim": claim.pk, "label": "inaccurate", "note": "title"})
    assert first.status_code == 302, form_errors(first)
    verdict = Verdict.objects.get()

    page = as_ann.get(reverse("admin:claims_verdict_change", args=[verdict.pk]))
    assert page.status_code == 200
    assert 'name="claim"' not in page.content.decode()

    second = as_ann.post(add, {"claim": claim.pk, "label": "accurate", "note": ""})
    assert second.status_code == 200
    assert "already gave a verdict" in form_errors(second)
    assert Verdict.objects.get() == verdict
    verdict.refresh_from_db()
    assert verdict.label == "inaccurate"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"before": "zzz", "at": ""}, "does not occur"),
        ({"before": "he", "at": ""}, "more than once"),
        ({"before": "", "at": "99999999"}, "Split inside the claim"),
    ],
)
def test_split_with_an_absent_ambiguous_or_outside_point_is_a_form_error(
    as_eve, claim, data, message
):
    before = list(claim.article.claims.values_list("pk", "start", "end", "text"))
    response = as_eve.post(reverse("admin:claims_claim_split", args=[claim.pk]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].non_field_errors())
    assert list(claim.article.claims.values_list("pk", "start", "end", "text")) == before


def test_split_of_a_claim_with_a_verdict_is_refused(as_eve, claim, reviewer_ann):
    assign(claim.article, reviewer_ann)
    services.verdict_set(claim=claim, reviewer=reviewer_ann, label="inaccurate")
    count = Claim.objects.count()
    response = as_eve.post(
        reverse("admin:claims_claim_split", args=[claim.pk]), {"before": "he had failed", "at": ""}
    )
    assert response.status_code == 200
    assert "verdicts" in " ".join(response.context["form"].non_field_errors())
    assert Claim.objects.count() == count
    assert claim.verdicts.count() == 1


def test_new_source_title_longer_than_the_column_is_a_form_error(as_ann, claim, reviewer_ann):
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
            "correction": "",
            "note": "",
            "new_source_url": "https://www.state.gov/a",
            "new_source_title": "t" * 600,
            "new_source_publisher": "",
            "new_source_passage": "",
        },
    )
    assert response.status_code == 200
    assert "new_source_title" in response.context["adminform"].form.errors
    assert not Annotation.objects.exists()
    assert not Source.objects.exists()


def test_merge_is_refused_when_either_claim_has_a_verdict(as_eve, reviewer_ann):
    story = article("Rates rise. Markets fell. Banks closed.")
    first, second, third = story.claims.all()
    assign(story, reviewer_ann)
    services.verdict_set(claim=second, reviewer=reviewer_ann, label="accurate")
    for selected in (first, second):  # the verdict is on the next claim, then on this one
        response = as_eve.post(
            reverse("admin:claims_claim_changelist"),
            {"action": "merge_with_next", "_selected_action": [selected.pk]},
            follow=True,
        )
        shown = [str(m) for m in response.context["messages"]]
        assert any("verdicts" in m for m in shown), shown
    assert [c.text for c in story.claims.all()] == [first.text, second.text, third.text]


@pytest.mark.parametrize("judged", ["older", "newer"])
def test_merge_action_over_two_articles_is_all_or_nothing(as_eve, reviewer_ann, judged):
    # Whichever article the action reaches second, its failure undoes the first's merge.
    older = article("Rates rise. Markets fell.")
    newer = article("Snow came. Roads closed.")
    stories = {"older": older, "newer": newer}
    assign(stories[judged], reviewer_ann)
    services.verdict_set(
        claim=stories[judged].claims.last(), reviewer=reviewer_ann, label="accurate"
    )
    before = {s.pk: [c.text for c in s.claims.all()] for s in (older, newer)}
    response = as_eve.post(
        reverse("admin:claims_claim_changelist"),
        {
            "action": "merge_with_next",
            "_selected_action": [older.claims.first().pk, newer.claims.first().pk],
        },
        follow=True,
    )
    assert response.status_code == 200
    messages = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert [level for level, _ in messages] == ["error"], messages
    assert "verdicts" in messages[0][1]
    assert {s.pk: [c.text for c in s.claims.all()] for s in (older, newer)} == before
