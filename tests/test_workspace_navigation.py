"""A way on from an article: previous and next of one's assignments in the workspace, and
each article's review and adjudication state in the article list."""

import re

import pytest
from django.urls import reverse

from claims import services
from claims.models import Adjudication
from tests.factories import article, assign, submit

pytestmark = pytest.mark.django_db


def workspace_url(story) -> str:
    return reverse("admin:claims_article_annotate", args=[story.pk])


def nav_links(client, story) -> dict[str, str]:
    page = client.get(workspace_url(story)).content.decode()
    links = re.findall(r"<a [^>]*data-nav[^>]*>", page)
    return {
        re.search(r'data-nav="([a-z-]+)"', link)[1]: re.search(r'href="([^"]+)"', link)[1]
        for link in links
    }


@pytest.fixture
def stories():
    return [article(f"Story {n}\n\nIt rained {n} times.") for n in range(5)]


def test_previous_and_next_go_through_my_assignments_in_article_order(
    client, stories, reviewer_ann, reviewer_ben
):
    mine = [stories[0], stories[2], stories[4]]
    for story in mine:
        assign(story, reviewer_ann)
    assign(stories[3], reviewer_ben)  # someone else's: skipped
    client.force_login(reviewer_ann)
    assert nav_links(client, stories[2]) == {
        "previous": workspace_url(stories[0]),
        "next": workspace_url(stories[4]),
        "next-open": workspace_url(stories[4]),
    }
    assert nav_links(client, stories[0]) == {
        "next": workspace_url(stories[2]),
        "next-open": workspace_url(stories[2]),
    }


def test_submit_and_next_leads_to_the_next_unsubmitted_review_from_the_start_again(
    client, stories, reviewer_ann
):
    for story in stories[:4]:
        assign(story, reviewer_ann)
    submit(stories[3], reviewer_ann)
    client.force_login(reviewer_ann)
    assert nav_links(client, stories[2])["next-open"] == workspace_url(stories[0])
    page = client.get(workspace_url(stories[2])).content.decode()
    assert 'data-action="submit-and-next"' in page
    submit(stories[0], reviewer_ann)
    submit(stories[1], reviewer_ann)
    page = client.get(workspace_url(stories[2])).content.decode()
    assert 'data-action="submit-and-next"' not in page  # no review is left to go on to


def article_rows(client) -> dict[str, str]:
    """Each article row of the list as its title and its text, tags stripped."""
    page = client.get(reverse("admin:claims_article_changelist")).content.decode()
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S)
    texts = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]
    return {t.split(" ")[1]: t for t in texts if t.startswith("Story")}


def test_the_article_list_says_my_review_state_and_the_adjudication_state(
    client, stories, reviewer_ann, editor_eve
):
    assign(stories[0], reviewer_ann)
    assign(stories[1], reviewer_ann)
    claim = stories[1].claims.get(order=1)
    services.verdict_set(claim=claim, reviewer=reviewer_ann, label="accurate")
    submit(stories[2], reviewer_ann)
    for claim in stories[2].claims.all():
        Adjudication.objects.create(claim=claim, editor=editor_eve, verdict="accurate")
    Adjudication.objects.create(
        claim=stories[1].claims.get(order=1), editor=editor_eve, verdict="accurate"
    )
    client.force_login(reviewer_ann)
    rows = article_rows(client)
    assert "not started" in rows["0"] and "not adjudicated" in rows["0"]
    # Adjudications are the others' work summed up: hidden from her until she submits.
    assert "in progress" in rows["1"] and "not adjudicated" in rows["1"]
    assert "submitted" in rows["2"] and "not adjudicated" not in rows["2"]
    assert "adjudicated" in rows["2"]
    assert "not assigned" in rows["3"] and "not adjudicated" in rows["3"]
    client.force_login(editor_eve)
    assert "1 of 2 claims adjudicated" in article_rows(client)["1"]
