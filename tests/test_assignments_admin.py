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
    assert "Nothing was submitted: “Antony Blinken fails" in again.content.decode()
    assert "” was already submitted." in again.content.decode()


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


def shown_messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def test_submit_action_says_what_was_and_was_not_submitted_and_why(
    client, reviewer_ann, reviewer_ben
):
    first, second, done = (article(f"Story {n}. Text.", title=f"Story {n}") for n in "ABC")
    (a,) = assign(first, reviewer_ann)
    (b,) = assign(second, reviewer_ann)
    (c,) = assign(done, reviewer_ann)
    Assignment.objects.filter(pk=c.pk).update(state=Assignment.State.SUBMITTED)
    client.force_login(reviewer_ann)
    response = client.post(
        ASSIGNMENTS, {"action": "submit", "_selected_action": [a.pk, b.pk, c.pk]}, follow=True
    )
    assert shown_messages(response) == [
        (
            "success",
            "Submitted your review of “Story A”, “Story B”: read-only to you now, and the "
            "other reviewers' work on these articles is visible to you.",
        ),
        ("warning", "Not submitted: “Story C” was already submitted."),
    ]
    states = dict(Assignment.objects.values_list("pk", "state"))
    assert states == {pk: Assignment.State.SUBMITTED for pk in (a.pk, b.pk, c.pk)}


def test_submit_action_that_submits_nothing_reports_an_error_not_success(
    client, reviewer_ann, reviewer_ben, editor_eve
):
    story = article("Story D. Text.", title="Story D")
    anns, bens = assign(story, reviewer_ann, reviewer_ben)
    # Ann posts Ben's review: it is not in her list, so nothing is submitted.
    client.force_login(reviewer_ann)
    response = client.post(
        ASSIGNMENTS, {"action": "submit", "_selected_action": [bens.pk]}, follow=True
    )
    assert shown_messages(response) == [
        (
            "error",
            "Nothing was submitted: 1 selected review(s) were not found (deleted, or not yours).",
        )
    ]
    # An editor sees Ann's review in the list but cannot submit it for her.
    client.force_login(editor_eve)
    response = client.post(
        ASSIGNMENTS, {"action": "submit", "_selected_action": [anns.pk]}, follow=True
    )
    assert shown_messages(response) == [
        ("error", "Nothing was submitted: “Story D” is ann’s review; only they submit it.")
    ]
    assert set(Assignment.objects.values_list("state", flat=True)) == {Assignment.State.ASSIGNED}


def assign_action(client, articles, reviewers):
    return client.post(
        ARTICLES,
        {
            "action": "assign_to_reviewers",
            "_selected_action": [a.pk for a in articles],
            "reviewers": [r.pk for r in reviewers],
        },
        follow=True,
    )


def test_assigning_says_who_was_added_and_who_already_was(as_eve, reviewer_ann, reviewer_ben, db):
    cat = UserFactory(username="cat", groups=["reviewer"])
    story = article("Story E. Text.", title="Story E")
    assign(story, cat)
    response = assign_action(as_eve, [story], [reviewer_ann, reviewer_ben, cat])
    assert shown_messages(response) == [
        ("success", "Assigned ann and ben to “Story E”. cat was already assigned."),
    ]
    response = assign_action(as_eve, [story], [reviewer_ann, reviewer_ben, cat])
    assert shown_messages(response) == [
        ("warning", "No one was assigned: ann, ben and cat were already assigned to “Story E”."),
    ]


def test_assigning_several_articles_says_it_article_by_article(as_eve, reviewer_ann, reviewer_ben):
    first, second = (article(f"Story {n}. Text.", title=f"Story {n}") for n in "FG")
    assign(second, reviewer_ben)
    response = assign_action(as_eve, [first, second], [reviewer_ann, reviewer_ben])
    assert shown_messages(response) == [
        (
            "success",
            "Assigned ann and ben to “Story F”. "
            "Assigned ann to “Story G”. ben was already assigned.",
        ),
    ]


def test_the_assignment_message_escapes_the_title(as_eve, reviewer_ann):
    story = article("Story H. Text.", title="<b>Bold</b> & co")
    response = assign_action(as_eve, [story], [reviewer_ann])
    page = response.content.decode()
    assert "Assigned ann to “&lt;b&gt;Bold&lt;/b&gt; &amp; co”." in page
    assert "<b>Bold</b>" not in page


def test_distributing_says_who_was_assigned_to_what(as_eve, db):
    for name in ("r1", "r2"):
        UserFactory(username=name, groups=["reviewer"])
    story = article("Story I. Text.", title="Story I")
    distribute = {
        "action": "distribute_to_reviewers",
        "_selected_action": [story.pk],
        "reviews_per_article": 2,
    }
    response = as_eve.post(ARTICLES, distribute, follow=True)
    assert shown_messages(response) == [("success", "Assigned r1 and r2 to “Story I”.")]
    response = as_eve.post(ARTICLES, distribute, follow=True)
    assert shown_messages(response) == [
        ("warning", "No one was assigned: the selected articles have their reviewers.")
    ]
