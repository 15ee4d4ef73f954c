"""The statistics page and the article's agreement panel in the admin."""

import re

import pytest
from django.urls import reverse

from claims.models import ErrorType
from tests.factories import annotate, article, submit

SCRIPT = "<script>x</script>"
URL = reverse("admin:claims_statistics")


def tag(claim, reviewer, length, slug="wrong-title"):
    return annotate(claim, reviewer, start=claim.start, end=claim.start + length, slug=slug)


@pytest.fixture
def hostile_error_type(db):
    return ErrorType.objects.create(
        slug="scripted", name=SCRIPT, definition=SCRIPT, family=ErrorType.Family.OBJECTIVE
    )


@pytest.fixture
def bridge(reviewer_ann, reviewer_ben, hostile_error_type):
    """Two submitted reviews using three error types, one with a name full of markup."""
    story = article(
        "The mayor opened the bridge.\n\nIt cost ten million dollars.\n",
        title="Bridge <b>opens</b>",
    )
    opening, cost = story.claims.order_by("order")
    tag(opening, reviewer_ann, 9)
    tag(opening, reviewer_ben, 9)
    tag(cost, reviewer_ann, 7, slug="wrong-number")
    tag(cost, reviewer_ben, 2, slug="scripted")
    for reviewer in (reviewer_ann, reviewer_ben):
        submit(story, reviewer)
    return story


def bars(html: str, kind: str) -> list[str]:
    """The error types that have a bar of ``kind`` in the chart."""
    return re.findall(rf'data-error-type="([^"]+)">.*?<rect class="{kind}"', html, re.S)


def test_editor_sees_a_chart_with_a_bar_per_error_type(client, editor_eve, bridge):
    client.force_login(editor_eve)

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    chart = re.search(r'<svg class="fc-chart".*?</svg>', html, re.S).group(0)
    assert "<script" not in html.split('<div id="content"', 1)[1]  # no JavaScript drawing it
    assert "http" not in chart.replace('xmlns="http://www.w3.org/2000/svg"', "")  # no CDN
    assert sorted(bars(chart, "fc-alpha")) == ["scripted", "wrong-number", "wrong-title"]
    assert chart.count('<rect class="fc-raw"') == 3
    assert chart.count('<rect class="fc-final"') == 3
    assert "ann – ben" in html  # the span table


def test_error_type_names_are_escaped(client, editor_eve, bridge):
    client.force_login(editor_eve)

    html = client.get(URL).content.decode()

    assert SCRIPT not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_statistics_can_be_narrowed_to_one_article(client, editor_eve, bridge):
    other = article("The ferry stopped running in May.\n")
    client.force_login(editor_eve)

    response = client.get(URL, {"article": other.pk})

    assert response.status_code == 200
    assert response.context["report"]["claims"] == 0
    assert "No error tagged" in response.content.decode()


def test_unknown_article_is_reported_not_a_crash(client, editor_eve, db):
    client.force_login(editor_eve)

    response = client.get(URL, {"article": "abc"})

    assert response.status_code == 200
    assert response.context["report"] is None
    assert "errorlist" in response.content.decode()


def test_reviewer_may_not_see_statistics(client, reviewer_ann, bridge):
    client.force_login(reviewer_ann)

    assert client.get(URL).status_code == 403


def test_article_page_shows_agreement_between_reviewers(client, editor_eve, bridge):
    client.force_login(editor_eve)

    html = client.get(reverse("admin:claims_article_change", args=[bridge.pk])).content.decode()

    assert 'class="fc-agreement"' in html
    assert "Reviewers: ann, ben" in html
    assert SCRIPT not in html


def test_article_page_says_when_agreement_needs_more_reviews(client, editor_eve, reviewer_ann):
    story = article("The ferry stopped running in May.\n")
    submit(story, reviewer_ann)
    client.force_login(editor_eve)

    html = client.get(reverse("admin:claims_article_change", args=[story.pk])).content.decode()

    assert "needs at least two submitted reviews" in html
