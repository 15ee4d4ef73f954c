"""The adjudication page reads and saves with a fixed number of queries, however many claims
the article has: an editor saves a long article's final labels inside the article's lock,
which every reviewer's write waits on."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.models import Adjudication, FinalAnnotation
from tests.factories import SourceFactory, UserFactory, annotate, article, submit
from tests.test_adjudication import page_url, prefilled


def reviewed_article(claims: int, ann, ben):
    """``claims`` claims, each with a candidate both reviewers share (one cites a source),
    one of ann's own, and a verdict from each; both reviews submitted."""
    story = article(" ".join(f"The mayor {n} said roads flooded in town." for n in range(claims)))
    assert story.claims.count() == claims
    for claim in story.claims.all():
        annotate(claim, ann, mayor(claim), sources=[SourceFactory()])
        annotate(claim, ben, mayor(claim), correction="the governor")
        annotate(claim, ann, "roads", slug="wrong-date")
        for reviewer in (ann, ben):
            services.verdict_set(claim=claim, reviewer=reviewer, label="inaccurate")
    for reviewer in (ann, ben):
        submit(story, reviewer)
    return story


def mayor(claim) -> str:
    return claim.text.removeprefix("The ").split(" said")[0]


def count_queries(send) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = send()
    assert response.status_code in (200, 302), response
    return len(captured)


def accepting_everything(client, story) -> dict:
    data = prefilled(client.get(page_url(story)))
    for name in list(data):
        if name.endswith("-decision") or data.get(name) is None:
            data[name] = "accept"
    for claim in story.claims.all():
        for n in range(2):
            data[f"claim-{claim.pk}-{n}-decision"] = "accept"
    return data


def queries_to_save(client, story) -> tuple[int, int]:
    """Queries of the first save of the page, and of a second one replacing its labels."""
    counts = []
    for _ in range(2):
        data = accepting_everything(client, story)
        counts.append(count_queries(lambda data=data: client.post(page_url(story), data)))
        assert FinalAnnotation.objects.filter(adjudication__claim__article=story).count() == (
            2 * story.claims.count()
        )
    return tuple(counts)


@pytest.fixture
def as_eve(client, editor_eve):
    client.force_login(editor_eve)
    return client


def test_saving_the_page_runs_the_same_queries_for_5_and_20_claims(
    as_eve, reviewer_ann, reviewer_ben
):
    few = queries_to_save(as_eve, reviewed_article(5, reviewer_ann, reviewer_ben))
    many = queries_to_save(as_eve, reviewed_article(20, reviewer_ann, reviewer_ben))

    print(f"adjudication POST queries: 5 claims {few}, 20 claims {many}")
    assert many == few
    assert Adjudication.objects.filter(version=2).count() == 25


def test_opening_the_page_runs_the_same_queries_for_5_and_20_claims(
    as_eve, reviewer_ann, reviewer_ben
):
    few = reviewed_article(5, reviewer_ann, reviewer_ben)
    many = reviewed_article(20, reviewer_ann, reviewer_ben)
    opening = [count_queries(lambda s=s: as_eve.get(page_url(s))) for s in (few, many)]
    as_eve.post(page_url(few), accepting_everything(as_eve, few))
    as_eve.post(page_url(many), accepting_everything(as_eve, many))
    reopening = [count_queries(lambda s=s: as_eve.get(page_url(s))) for s in (few, many)]

    print(f"adjudication GET queries: before saving {opening}, after {reopening}")
    assert opening[0] == opening[1] and reopening[0] == reopening[1]


def test_a_saved_final_label_keeps_its_sources_origins_and_history(
    as_eve, reviewer_ann, reviewer_ben, editor_eve
):
    story = reviewed_article(2, reviewer_ann, reviewer_ben)
    as_eve.post(page_url(story), accepting_everything(as_eve, story))
    as_eve.post(page_url(story), accepting_everything(as_eve, story))

    for claim in story.claims.all():
        shared, own = FinalAnnotation.objects.filter(adjudication__claim=claim).order_by("start")
        annotations = list(claim.annotations.order_by("pk"))
        assert set(shared.from_annotations.all()) == set(annotations[:2])
        assert set(shared.sources.all()) == set(annotations[0].sources.all())
        assert set(own.from_annotations.all()) == {annotations[2]}
        assert (shared.quote, shared.prefix, shared.suffix) == (
            mayor(claim),
            story.text[: shared.start][-len(shared.prefix) :],
            story.text[shared.end :][: len(shared.suffix)],
        )
        assert shared.prefix and shared.suffix
        # What each final label was, with what it was made from, is in its history.
        [made] = shared.history.filter(history_type="+")
        assert made.history_user == editor_eve
        last = shared.history.order_by("-history_date", "-history_id").first()
        assert set(last.sources.values_list("source_id", flat=True)) == set(
            annotations[0].sources.values_list("pk", flat=True)
        )
        assert set(last.from_annotations.values_list("annotation_id", flat=True)) == {
            a.pk for a in annotations[:2]
        }
    removed = FinalAnnotation.history.filter(history_type="-")
    assert removed.count() == 4 and {h.history_user for h in removed} == {editor_eve}
    assert {h.history_user for h in Adjudication.history.all()} == {editor_eve}
    assert Adjudication.history.filter(history_type="~").count() == 2


def labels_of(claim, *annotations) -> list[services.FinalLabel]:
    """A final label of each (span, error type) among ``annotations``, made from all of the
    annotations with it."""
    grouped: dict[tuple, list] = {}
    for a in annotations:
        grouped.setdefault((a.start, a.end, a.error_type), []).append(a)
    return [
        services.FinalLabel(start=start, end=end, error_type=kind, from_annotations=tuple(made_of))
        for (start, end, kind), made_of in grouped.items()
    ]


def test_the_service_runs_the_same_queries_for_one_label_and_two(
    reviewer_ann, reviewer_ben, editor_eve
):
    story = reviewed_article(2, reviewer_ann, reviewer_ben)
    one, two = story.claims.order_by("pk")
    counts = []
    editor_eve.has_perm("claims.adjudicate")  # asked once per user object, then remembered
    for claim, annotations in (
        (one, one.annotations.filter(sources__isnull=False)),  # ann's shared span, cited
        (two, two.annotations.all()),  # the shared span (both origins) and ann's own
    ):
        labels = labels_of(claim, *annotations)
        with CaptureQueriesContext(connection) as captured:
            services.claim_adjudicate(claim=claim, editor=editor_eve, labels=labels)
        counts.append(len(captured))
    assert [claim.adjudication.annotations.count() for claim in (one, two)] == [1, 2]

    assert counts[0] == counts[1]


def test_a_refusal_in_a_later_claim_saves_nothing_of_the_earlier_ones(
    reviewer_ann, reviewer_ben, editor_eve
):
    story = reviewed_article(3, reviewer_ann, reviewer_ben)
    first, second, third = story.claims.order_by("pk")
    elsewhere = second.annotations.first()

    with pytest.raises(ValidationError) as refusal:
        services.article_adjudicate(
            article=story,
            editor=editor_eve,
            decisions={
                first: (labels_of(first, *first.annotations.all()), "inaccurate", ""),
                third: (labels_of(third, elsewhere), "", ""),  # another claim's annotation
            },
        )

    assert refusal.value.code == "foreign_annotation"
    assert refusal.value.messages == [
        f"Annotation {elsewhere.pk} is not a submitted annotation of this claim."
    ]
    assert not Adjudication.objects.exists() and not FinalAnnotation.objects.exists()


def test_an_unsubmitted_reviewers_annotation_cannot_become_a_final_label(
    reviewer_ann, reviewer_ben, editor_eve
):
    story = reviewed_article(1, reviewer_ann, reviewer_ben)
    claim = story.claims.get()
    carl = UserFactory(username="carl", groups=["reviewer"])
    unsubmitted = annotate(claim, carl, "town")

    with pytest.raises(ValidationError) as refusal:
        services.claim_adjudicate(
            claim=claim, editor=editor_eve, labels=labels_of(claim, unsubmitted)
        )

    assert refusal.value.code == "foreign_annotation"
    assert not Adjudication.objects.exists()


def test_the_service_refuses_a_stale_or_removed_adjudication_and_a_wrong_verdict(
    reviewer_ann, reviewer_ben, editor_eve
):
    story = reviewed_article(2, reviewer_ann, reviewer_ben)
    first, second = story.claims.order_by("pk")
    services.claim_adjudicate(claim=first, editor=editor_eve, verdict="accurate")

    with pytest.raises(services.StaleVersion):
        services.claim_adjudicate(claim=first, editor=editor_eve, version=0)
    with pytest.raises(ValidationError) as gone:
        services.claim_adjudicate(claim=second, editor=editor_eve, version=1)
    with pytest.raises(ValidationError) as wrong:
        services.claim_adjudicate(claim=second, editor=editor_eve, verdict="fine")

    assert gone.value.code == "adjudication_gone"
    assert wrong.value.message_dict == {"verdict": ["Value 'fine' is not a valid choice."]}
    assert list(Adjudication.objects.values_list("claim_id", "version", "verdict")) == [
        (first.pk, 1, "accurate")
    ]
