"""Revised articles: re-split, every label re-anchored or orphaned, never lost."""

from pathlib import Path

import pytest
from django.db import transaction

from claims import services
from claims.models import Anchor, Annotation, Article, FinalAnnotation, Verdict
from claims.seeding import load_seeds
from tests.revision_corpus import CASES

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def seeded(db):
    load_seeds(SEEDS)
    article = Article.objects.get()
    return article, FinalAnnotation.objects.first().adjudication.editor  # eve


def _labels(article):
    return [
        *Annotation.objects.filter(claim__article=article).select_related("claim"),
        *FinalAnnotation.objects.filter(adjudication__claim__article=article).select_related(
            "adjudication__claim"
        ),
    ]


def _claim(label):
    return label.claim if isinstance(label, Annotation) else label.adjudication.claim


def test_revision_corpus_re_anchors_every_label_or_orphans_it_and_loses_none(seeded):
    """Each case of the corpus revises the seeded article (inside a savepoint rolled back
    after it, so the seeds load once); the counts are printed as a table (pytest -s)."""
    article, editor = seeded
    rows = []
    for case in CASES:
        try:
            with transaction.atomic():
                rows.append((case.name, *_revise_and_check(article, editor, case)))
                raise _RollBack
        except _RollBack:
            pass
        article.refresh_from_db()
    print(f"\n{'revision':<28} {'exact':>6} {'moved':>6} {'fuzzy':>6} {'orphaned':>9} {'lost':>5}")
    for name, counts, lost in rows:
        print(
            f"{name:<28} "
            + " ".join(f"{counts[k]:>{w}}" for k, w in zip(Anchor, (6, 6, 6, 9), strict=True))
            + f" {lost:>5}"
        )
    assert [lost for *_, lost in rows] == [0] * len(CASES)


class _RollBack(Exception):
    pass


def _revise_and_check(article, editor, case):
    before = {(type(label).__name__, label.pk): label.quote for label in _labels(article)}
    verdicts_before = {v.pk: v.claim.text for v in Verdict.objects.select_related("claim")}
    old_text = article.text
    new_text = case.revise(old_text)

    report = services.article_revise(article=article, text=new_text, by=editor)

    article.refresh_from_db()
    assert article.text == new_text
    after = _labels(article)
    lost = len(set(before) - {(type(label).__name__, label.pk) for label in after})
    orphaned = [label for label in after if label.anchor == Anchor.ORPHANED]
    counts = {kind: sum(label.anchor == kind for label in after) for kind in Anchor}
    assert lost == 0
    assert len(after) == len(before)
    for label in after:
        if label.anchor == Anchor.ORPHANED:
            assert label.start is None and label.quote == before[(type(label).__name__, label.pk)]
            continue
        assert new_text[label.start : label.end] == label.quote
        assert _claim(label).contains_span(label.start, label.end)
    assert {label.quote for label in orphaned} == case.orphaned
    assert sum(report.annotations.values()) + sum(report.final_labels.values()) == len(after)
    assert report.annotations[Anchor.ORPHANED] + report.final_labels[Anchor.ORPHANED] == len(
        orphaned
    )
    # Verdicts follow their claim when its text is unchanged, and only then.
    new_claim_texts = set(article.claims.values_list("text", flat=True))
    for pk, claim_text in verdicts_before.items():
        verdict = Verdict.objects.filter(pk=pk).select_related("claim").first()
        if claim_text in new_claim_texts:
            assert verdict is not None and verdict.claim.text == claim_text
        else:
            assert verdict is None
    assert article.revisions.get().text == old_text
    return counts, lost
