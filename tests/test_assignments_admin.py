"""Assignments in the admin: editors' actions on articles, reviewers' queues."""

import pytest
from django.urls import reverse

from claims.models import Assignment
from tests.factories import UserFactory, article, assign

ARTICLES = reverse("admin:claims_article_changelist")
ASSIGNMENTS = reverse("admin:claims_assignment_changelist")


@pytest.fixture
def as_eve(client, editor_eve):
    client.force_login(editor_eve)
    return client


def test_editor_assigns_selected_articles_through_the_intermediate_page(
    as_eve, seed_article, reviewer_ann, reviewer_ben
):
    form = as_eve.post(
        ARTICLES, {"action": "assign_to_reviewers", "_selected_action": [seed_article.pk]}
    )
    assert form.status_code == 200
    assert "ann" in form.content.decode() and "ben" in form.content.decode()
    done = as_eve.post(
        ARTICLES,
        {
            "action": "assign_to_reviewers",
            "_selected_action": [seed_article.pk],
            "reviewers": [reviewer_ann.pk, reviewer_ben.pk],
        },
    )
    assert done.status_code == 302
    assert set(seed_article.assignments.values_list("reviewer__username", flat=True)) == {
        "ann",
        "ben",
    }


def test_editor_distributes_selected_articles(as_eve, db):
    for name in ("r1", "r2", "r3"):
        UserFactory(username=name, groups=["reviewer"])
    stories = [article(f"Story {i}. Text.") for i in range(3)]
    response = as_eve.post(
        ARTICLES,
        {
            "action": "distribute_to_reviewers",
            "_selected_action": [s.pk for s in stories],
            "reviews_per_article": 2,
        },
    )
    assert response.status_code == 302
    assert [s.assignments.count() for s in stories] == [2, 2, 2]
    refused = as_eve.post(
        ARTICLES,
        {
            "action": "distribute_to_reviewers",
            "_selected_action": [stories[0].pk],
            "reviews_per_article": 5,
        },
        follow=True,
    )
    assert "need at least 5 reviewers; there are 3" in refused.content.decode()


def test_a_reviewer_cannot_run_the_assignment_actions(client, reviewer_ann, seed_article):
    client.force_login(reviewer_ann)
    assert "assign_to_reviewers" not in client.get(ARTICLES).content.decode()
    client.post(
        ARTICLES,
        {
            "action": "assign_to_reviewers",
            "_selected_action": [seed_article.pk],
            "reviewers": [reviewer_ann.pk],
        },
    )
    assert not Assignment.objects.exists()


def test_reviewer_queue_shows_only_their_own_and_submits(
    client, seed_article, reviewer_ann, reviewer_ben
):
    other = article("Other story. More.")
    (mine,) = assign(seed_article, reviewer_ann)
    assign(other, reviewer_ben)
    client.force_login(reviewer_ann)
    queue = client.get(ASSIGNMENTS).content.decode()
    assert "Antony Blinken fails" in queue and "Other story" not in queue
    assert "0 error(s) tagged, 0 of 30 claims judged" in queue
    client.post(ASSIGNMENTS, {"action": "submit", "_selected_action": [mine.pk]})
    mine.refresh_from_db()
    assert mine.state == Assignment.State.SUBMITTED
    again = client.post(
        ASSIGNMENTS, {"action": "submit", "_selected_action": [mine.pk]}, follow=True
    )
    assert "cannot become submitted" in again.content.decode()


def test_editor_reopens_and_sees_progress_per_reviewer_and_article(
    as_eve, seed_article, reviewer_ann
):
    (review,) = assign(seed_article, reviewer_ann)
    Assignment.objects.filter(pk=review.pk).update(state=Assignment.State.SUBMITTED)
    page = as_eve.get(ASSIGNMENTS).content.decode()
    assert "Progress per reviewer" in page and "Progress per article" in page
    as_eve.post(ASSIGNMENTS, {"action": "reopen", "_selected_action": [review.pk]})
    review.refresh_from_db()
    assert review.state == Assignment.State.REOPENED
