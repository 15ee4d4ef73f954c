"""The benchmark corpus (bench/corpus.py) is data the app itself would have written.

Its rows are written around the ORM for speed, so these tests hold them to the app's own
rules: the real segmentation, quotes equal to the text between their offsets, the shape the
issue's export figures assume (one claim in five with two reviewers' annotations and a
source), and writes through the services still working afterwards.
"""

import json

import pytest
from django.db import connection
from django.db.models import Count

from bench import corpus, news
from claims import services
from claims.models import (
    Adjudication,
    Annotation,
    Article,
    Assignment,
    Claim,
    ErrorType,
    FinalAnnotation,
    Verdict,
)
from claims.text.anchoring import context
from claims.text.offsets import utf16_length
from claims.text.segmentation import split_into_claims

CLAIMS = 400


@pytest.fixture
def built(db):
    return corpus.build(CLAIMS)


def index_of(article: Article) -> int:
    return int(article.url.rsplit("/", 1)[1])


def test_articles_are_news_like_texts_split_by_the_real_splitter(built):
    assert CLAIMS <= built.claims < CLAIMS + corpus.MAX_CLAIMS_PER_ARTICLE
    assert Claim.objects.count() == built.claims
    for article in Article.objects.all():
        assert article.text == news.article(index_of(article))
        stored = list(
            article.claims.order_by("order").values_list(
                "start", "end", "kind", "text", "start_utf16", "end_utf16"
            )
        )
        text = article.text
        expected = [
            (
                s.start,
                s.end,
                s.kind,
                s.text,
                utf16_length(text[: s.start]),
                utf16_length(text[: s.end]),
            )
            for s in split_into_claims(text)
        ]
        assert stored == expected
    assert any(ord(ch) > 0xFFFF for article in Article.objects.all() for ch in article.text)


def test_one_claim_in_five_has_each_reviewers_annotation_with_a_source(built):
    annotated = Claim.objects.annotate(n=Count("annotations")).filter(n__gt=0)
    assert set(annotated.values_list("order", flat=True)) and all(
        order % 5 == 1 for order in annotated.values_list("order", flat=True)
    )
    assert annotated.count() == Claim.objects.filter(order__in=range(1, 10_000, 5)).count()
    for claim in annotated.select_related("article"):
        reviewers = {a.reviewer.username for a in claim.annotations.all()}
        expected = {"bench-ann", "bench-ben"}
        if index_of(claim.article) % 10 == 0:
            expected.add("bench-cy")
        assert reviewers == expected
        for annotation in claim.annotations.all():
            annotation.full_clean()  # inside the claim, quote equal to the text there
            assert claim.article.text[annotation.start : annotation.end] == annotation.quote
            assert (annotation.prefix, annotation.suffix) == context(
                claim.article.text, annotation.start, annotation.end
            )
            assert annotation.sources.count() == 1
        assert set(claim.verdicts.values_list("reviewer__username", flat=True)) == expected
    assert not Verdict.objects.exclude(claim__in=annotated).exists()
    assert not Assignment.objects.exclude(state=Assignment.State.SUBMITTED).exists()


def test_half_of_the_annotated_claims_have_final_labels_from_both_reviews(built):
    adjudicated = Adjudication.objects.select_related("claim")
    assert adjudicated.count() == Claim.objects.filter(order__in=range(1, 10_000, 10)).count()
    for adjudication in adjudicated:
        assert adjudication.claim.order % 10 == 1
        (final,) = adjudication.annotations.all()
        final.full_clean()
        assert final.sources.count() == 1
        assert {a.reviewer.username for a in final.from_annotations.all()} == {
            "bench-ann",
            "bench-ben",
        }
    assert FinalAnnotation.objects.count() == adjudicated.count()


def test_a_second_build_reuses_the_corpus_and_a_larger_one_grows_it(built):
    rows = Claim.objects.count(), Annotation.objects.count()
    again = corpus.build(CLAIMS)
    assert (again.claims, again.seconds) == (built.claims, 0.0)
    assert (Claim.objects.count(), Annotation.objects.count()) == rows

    grown = corpus.build(CLAIMS * 2)
    assert grown.claims == Claim.objects.count() >= CLAIMS * 2
    indexes = sorted(index_of(article) for article in Article.objects.all())
    assert indexes == list(range(grown.articles))  # the same articles as one build at once


def test_a_corpus_larger_than_asked_is_refused_not_shrunk(built):
    with pytest.raises(corpus.CorpusMismatch, match="one database per size"):
        corpus.build(10)


def test_the_app_writes_on_after_the_corpus(built, reviewer_ann, editor_eve):
    """Ids were handed out by the build: the tables' sequences must follow them."""
    article = services.article_import(text="A new story\n\nThe rate rose to 5% in May.").article
    claim = article.claims.get(order=1)
    services.assignments_create(article=article, reviewers=[reviewer_ann], by=editor_eve)
    annotation = services.annotation_create(
        claim=claim,
        reviewer=reviewer_ann,
        start=claim.start + claim.text.index("5%"),
        end=claim.start + claim.text.index("5%") + 2,
        error_type=ErrorType.objects.get(slug="wrong-number"),
    )
    assert annotation.pk > Annotation.objects.exclude(pk=annotation.pk).latest("pk").pk


def test_an_editor_exports_every_claim_with_its_labels(built, api_as):
    response = api_as(built.editor).get("/api/v1/export/claims", {"format": "jsonl"})
    assert response.status_code == 200
    records = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert len(records) == built.claims
    labelled = [r for r in records if r["annotations"]]
    assert len(labelled) == Claim.objects.filter(annotations__isnull=False).distinct().count()
    assert all(a["sources"] for r in labelled for a in r["annotations"])
    assert sum(1 for r in records if r.get("final")) == Adjudication.objects.count()


def test_a_corpus_of_another_generation_is_refused(built):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE bench_corpus SET generation = generation - 1")
    with pytest.raises(corpus.CorpusMismatch, match="drop the database"):
        corpus.build(CLAIMS)
