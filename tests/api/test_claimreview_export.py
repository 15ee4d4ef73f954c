"""The claimreview export and an article's embeddable markup, against schema.org's
ClaimReview and Google's fact-check markup requirements
(https://developers.google.com/search/docs/appearance/structured-data/factcheck):
required claimReviewed, reviewRating.alternateName and url; claimReviewed under 75
characters and without the rating; a numeric rating between worstRating (at least 1) and
bestRating, nearer bestRating the truer."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.http import StreamingHttpResponse

from claims import services
from claims.exports.claimreview import check_ratings, shortened
from claims.models import Adjudication, Claim
from tests import factories

SITE = "https://factcheck.example"


@pytest.fixture(autouse=True)
def organisation(settings):
    settings.FACTCHECK_SITE_URL = SITE
    settings.FACTCHECK_ORGANIZATION_NAME = "Example Checks"
    settings.FACTCHECK_ORGANIZATION_URL = "https://checks.example"


@pytest.fixture
def seeded(db):
    call_command("load_seeds", stdout=io.StringIO())


def body(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def export(client, query: str = "") -> list[dict]:
    response = client.get(f"/api/v1/export/claims?format=claimreview&{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/ld+json")
    return json.loads(body(response))


def test_one_review_per_adjudicated_claim_with_a_published_verdict(seeded, editor_eve, api_as):
    reviews = export(api_as(editor_eve))
    published = Adjudication.objects.filter(
        verdict__in=["accurate", "inaccurate", "misleading", "unverifiable"]
    )
    assert len(reviews) == published.count() > 0
    assert [r["url"] for r in reviews] == [
        f"{SITE}/api/v1/claims/{a.claim_id}/"
        for a in published.order_by("claim__article_id", "claim__order")
    ]


def test_googles_required_and_recommended_properties(seeded, editor_eve, api_as):
    for review in export(api_as(editor_eve)):
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        # Required: claimReviewed, reviewRating (with alternateName), url.
        assert 0 < len(review["claimReviewed"]) < 75
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and rating["alternateName"]
        assert rating["alternateName"].lower() not in review["claimReviewed"].lower()
        assert review["url"].startswith(SITE + "/")
        if "ratingValue" in rating:
            assert 1 <= rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
            assert rating["worstRating"] < rating["bestRating"]
        # Recommended: author, datePublished, itemReviewed (a Claim with its appearance).
        assert review["author"] == {
            "@type": "Organization",
            "name": "Example Checks",
            "url": "https://checks.example",
        }
        assert review["itemReviewed"]["@type"] == "Claim"
        assert review["itemReviewed"]["appearance"]["@type"] == "CreativeWork"


@pytest.fixture
def judged(reviewer_ann, reviewer_ben, editor_eve):
    """One article with every field a review reads, its claim judged inaccurate."""
    story = factories.article(
        "Minister visits\n\nThe minister arrived in Paris on Monday for talks that lasted "
        "three hours, officials said after the meeting ended.",
        title="Minister visits",
        url="https://news.example/visit",
        byline="Jo Writer",
        outlet="News Example",
        published_on=date(2023, 6, 19),
    )
    claim = story.claims.get(order=1)
    factories.annotate(claim, reviewer_ann, "three hours", slug="wrong-number")
    factories.submit(story, reviewer_ann)
    factories.submit(story, reviewer_ben)
    adjudication = services.claim_adjudicate(
        claim=claim, editor=editor_eve, verdict="inaccurate", note="internal", labels=[]
    )
    return story, claim, adjudication


def test_a_review_field_by_field(judged, editor_eve, api_as):
    story, claim, adjudication = judged
    [review] = export(api_as(editor_eve), f"article={story.pk}")
    assert review == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{SITE}/api/v1/claims/{claim.pk}/",
        "claimReviewed": "The minister arrived in Paris on Monday for talks that lasted three…",
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "Inaccurate",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
        },
        "itemReviewed": {
            "@type": "Claim",
            "appearance": {
                "@type": "CreativeWork",
                "headline": "Minister visits",
                "url": "https://news.example/visit",
            },
            "datePublished": "2023-06-19",
            "author": {"@type": "Person", "name": "Jo Writer"},
        },
        "author": {
            "@type": "Organization",
            "name": "Example Checks",
            "url": "https://checks.example",
        },
        "datePublished": adjudication.updated_at.replace(microsecond=0).isoformat(),
    }


def test_the_rating_scale_is_the_setting(judged, editor_eve, api_as, settings):
    story, claim, _ = judged
    settings.FACTCHECK_CLAIMREVIEW_RATINGS = {
        "worstRating": 1,
        "bestRating": 6,
        "verdicts": {"inaccurate": {"alternateName": "Pants on Fire", "ratingValue": 2}},
    }
    [review] = export(api_as(editor_eve), f"article={story.pk}")
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Pants on Fire",
        "ratingValue": 2,
        "bestRating": 6,
        "worstRating": 1,
    }
    settings.FACTCHECK_CLAIMREVIEW_RATINGS["verdicts"]["inaccurate"] = None
    assert export(api_as(editor_eve), f"article={story.pk}") == []  # not published
    settings.FACTCHECK_CLAIMREVIEW_RATINGS["verdicts"]["inaccurate"] = {"alternateName": "Odd"}
    [review] = export(api_as(editor_eve), f"article={story.pk}")
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Odd"}


@pytest.mark.parametrize(
    "config, problem",
    [
        ([], "must be an object"),
        ({"worstRating": 0, "bestRating": 5, "verdicts": {}}, "1 <= worstRating < bestRating"),
        ({"worstRating": 5, "bestRating": 5, "verdicts": {}}, "1 <= worstRating < bestRating"),
        (
            {"worstRating": 1, "bestRating": 5, "verdicts": {"true": None}},
            "'true' is not a verdict",
        ),
        (
            {"worstRating": 1, "bestRating": 5, "verdicts": {"accurate": {"ratingValue": 5}}},
            "accurate: give",
        ),
        (
            {
                "worstRating": 1,
                "bestRating": 5,
                "verdicts": {"accurate": {"alternateName": "True", "ratingValue": 9}},
            },
            "accurate: ratingValue must lie in worstRating..bestRating",
        ),
    ],
)
def test_a_bad_rating_setting_is_named_at_start_up(db, settings, config, problem):
    assert any(problem in found for found in check_ratings(config))
    settings.FACTCHECK_CLAIMREVIEW_RATINGS = config
    with pytest.raises(SystemCheckError, match="FACTCHECK_CLAIMREVIEW_RATINGS"):
        call_command("check")


def test_the_default_rating_setting_is_sound(settings):
    assert check_ratings(settings.FACTCHECK_CLAIMREVIEW_RATINGS) == []


def test_claim_reviewed_is_shortened_at_a_word():
    assert shortened("Short and sweet.") == "Short and sweet."
    long = "Foreign Minister Antony Blinken admitted on Monday that when he met Chinese leaders"
    assert shortened(long) == "Foreign Minister Antony Blinken admitted on Monday that when he met…"
    assert len(shortened("x" * 200)) == 74
    assert shortened("  spaced\n\nout  ") == "spaced out"


def test_raw_labels_alone_hold_no_verdict_to_publish(db, editor_eve, api_as, tmp_path):
    response = api_as(editor_eve).get("/api/v1/export/claims?format=claimreview&labels=raw")
    assert response.status_code == 400
    assert "needs labels final or all" in response.json()["labels"]
    with pytest.raises(CommandError, match="--labels final or all"):
        call_command("export_claims", "--format", "claimreview", "--labels", "raw")


def test_the_command_writes_the_same_reviews(seeded, editor_eve, api_as, tmp_path):
    path = tmp_path / "reviews.jsonld"
    call_command(
        "export_claims", "--format", "claimreview", "--output", str(path), stderr=io.StringIO()
    )
    assert json.loads(path.read_text()) == export(api_as(editor_eve))


def script(client, article_id: int):
    return client.get(f"/api/v1/articles/{article_id}/claimreview.html")


def test_the_script_embeds_the_same_reviews_for_one_article(seeded, editor_eve, api_as):
    client = api_as(editor_eve)
    article_id = Claim.objects.values_list("article_id", flat=True).first()
    response = script(client, article_id)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = body(response)
    opening = '<script type="application/ld+json">\n'
    assert html.startswith(opening) and html.endswith("</script>\n")
    inner = html.removeprefix(opening).removesuffix("</script>\n")
    assert json.loads(inner) == export(client, f"article={article_id}")


def test_text_cannot_break_out_of_the_script(judged, editor_eve, api_as):
    story, _, _ = judged
    story.title = "</script><script>alert(1)</script> & <!-- more"
    story.save()
    html = body(script(api_as(editor_eve), story.pk))
    inner = html.removeprefix('<script type="application/ld+json">\n').removesuffix("</script>\n")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert html.count("</script>") == 1
    [review] = json.loads(inner)  # the data itself is unchanged
    assert review["itemReviewed"]["appearance"]["headline"] == story.title


def test_only_editors_get_the_script(judged, reviewer_ann, outsider, api_as):
    story, _, _ = judged
    assert script(api_as(reviewer_ann), story.pk).status_code == 403
    assert script(api_as(outsider), story.pk).status_code == 403
    assert script(api_as(), story.pk).status_code == 401


def test_an_unknown_article_is_a_json_404(db, editor_eve, api_as):
    response = script(api_as(editor_eve), 999999)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_queries_are_per_chunk_not_per_claim(
    seeded, editor_eve, api_as, django_assert_max_num_queries, settings
):
    settings.FACTCHECK_EXPORT_CHUNK_SIZE = 10
    chunks = -(-Claim.objects.count() // 10)
    response = api_as(editor_eve).get("/api/v1/export/claims?format=claimreview&labels=final")
    # Per chunk: the records' 7 (claims; annotations, their sources; verdicts; final labels,
    # their sources and origins), and the articles' dates and authors; auth once.
    with django_assert_max_num_queries(8 * chunks + 2):
        reviews = json.loads(body(response))
    assert len(reviews) == 3


def test_reviews_stream_reading_records_a_chunk_at_a_time(seeded, settings):
    from claims import exports
    from claims.exports import claimreview

    settings.FACTCHECK_EXPORT_CHUNK_SIZE = 5
    pulled = []

    def counted():
        for record in exports.records(Claim.objects.all(), labels="final"):
            pulled.append(record)
            yield record

    output = claimreview.write(counted())
    assert next(output) == "["
    first = next(output)
    assert '"ClaimReview"' in first
    assert len(pulled) % 5 == 0 and len(pulled) < Claim.objects.count()
