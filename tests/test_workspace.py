"""The annotation workspace page, as the server renders it (the browser tests drive its JS)."""

import json
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.models import Annotation, Assignment, ErrorType, Verdict
from tests.factories import SourceFactory, annotate, article, assign, submit


def workspace_url(story) -> str:
    return reverse("admin:claims_article_annotate", args=[story.pk])


class ArticleTextParser(HTMLParser):
    """The text inside the ``data-article-text`` element, as a browser's textContent."""

    def __init__(self):
        super().__init__()
        self.depth, self.text, self.claim_ids = 0, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            self.depth += 1
            if "data-claim-id" in attrs:
                self.claim_ids.append(int(attrs["data-claim-id"]))
        elif "data-article-text" in attrs:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def page_of(client, story):
    response = client.get(workspace_url(story))
    assert response.status_code == 200
    parser = ArticleTextParser()
    parser.feed(response.content.decode())
    data = json.loads(
        response.content.decode()
        .split('<script id="fc-workspace-data" type="application/json">')[1]
        .split("</script>")[0]
    )
    return response, "".join(parser.text), parser.claim_ids, data


def test_page_holds_the_exact_article_text_with_every_claim_marked(
    client, seed_article, reviewer_ann
):
    assign(seed_article, reviewer_ann)
    client.force_login(reviewer_ann)
    _, text, claim_ids, data = page_of(client, seed_article)
    assert text == seed_article.text
    assert claim_ids == list(seed_article.claims.order_by("order").values_list("pk", flat=True))
    wrong_title = next(t for t in data["error_types"] if t["slug"] == "wrong-title")
    assert wrong_title["key"] == "2"
    assert data["may_label"] is True


def test_hostile_article_is_shown_as_text(client, reviewer_ann, editor_eve):
    hostile = "<script>alert(1)</script> said <img src=x onerror=alert(2)>.\n\nAnd more."
    story = article(hostile, title="<b>Bold</b> & <script>x()</script>")
    claim = story.claims.first()
    annotate(
        claim,
        reviewer_ann,
        start=claim.start,
        end=claim.start + 8,
        slug="misquote",
        correction="</script><script>alert(3)</script>",
        sources=[SourceFactory(url="javascript:alert(4)", title="<i>t</i>")],
    )
    client.force_login(editor_eve)
    response, text, _, data = page_of(client, story)
    html = response.content.decode()
    assert text == hostile
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Bold</b>" not in html and "<script>x()" not in html
    assert "</script><script>alert(3)" not in html  # json_script escapes < and >
    assert data["annotations"][0]["correction"] == "</script><script>alert(3)</script>"


def test_reviewer_sees_only_their_own_work_until_they_submit(
    client, seed_article, reviewer_ann, reviewer_ben
):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    annotate(claim, reviewer_ben, "Foreign Minister")
    services.verdict_set(claim=claim, reviewer=reviewer_ben, label="inaccurate")
    mine = annotate(claim, reviewer_ann, "Antony Blinken", slug="wrong-name")
    client.force_login(reviewer_ann)
    _, _, _, data = page_of(client, seed_article)
    assert [a["id"] for a in data["annotations"]] == [mine.pk]
    assert data["verdicts"] == []
    assert data["annotations"][0]["may_change"] is True
    submit(seed_article, reviewer_ann)
    _, _, _, data = page_of(client, seed_article)
    assert sorted(a["reviewer"] for a in data["annotations"]) == ["ann", "ben"]
    assert [v["reviewer"] for v in data["verdicts"]] == ["ben"]
    assert not any(a["may_change"] for a in data["annotations"])  # submitted: read-only
    assert data["may_label"] is False


def test_editor_sees_everyones_work_and_may_change_it(
    client, seed_article, reviewer_ann, reviewer_ben, editor_eve
):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    annotate(claim, reviewer_ben, "Foreign Minister")
    annotate(claim, reviewer_ann, "Antony Blinken", slug="wrong-name")
    client.force_login(editor_eve)
    response, _, _, data = page_of(client, seed_article)
    assert sorted(a["reviewer"] for a in data["annotations"]) == ["ann", "ben"]
    assert all(a["may_change"] and a["may_delete"] for a in data["annotations"])
    assert data["sees_all"] is True
    assert b'name="colour-by"' in response.content


def test_editor_not_assigned_gets_an_assign_me_button_that_assigns_them(
    client, seed_article, editor_eve
):
    client.force_login(editor_eve)
    response, _, _, data = page_of(client, seed_article)
    assert b'data-action="assign-me"' in response.content
    assert data["may_label"] is False
    response = client.post(workspace_url(seed_article), {"action": "assign_me"})
    assert response.status_code == 302 and response["Location"] == workspace_url(seed_article)
    assert Assignment.objects.get(article=seed_article).reviewer == editor_eve
    response, _, _, data = page_of(client, seed_article)
    assert b'data-action="assign-me"' not in response.content
    assert data["may_label"] is True


def test_reviewer_cannot_assign_themselves(client, seed_article, reviewer_ann):
    client.force_login(reviewer_ann)
    response, _, _, data = page_of(client, seed_article)
    assert b'data-action="assign-me"' not in response.content
    client.post(workspace_url(seed_article), {"action": "assign_me"})
    assert not Assignment.objects.exists()


def test_outsider_is_sent_to_the_login_page(client, seed_article, outsider):
    client.force_login(outsider)
    response = client.get(workspace_url(seed_article))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_workspace_is_linked_from_the_article_page_list_and_assignments(
    client, seed_article, reviewer_ann
):
    assign(seed_article, reviewer_ann)
    client.force_login(reviewer_ann)
    link = f'href="{workspace_url(seed_article)}"'.encode()
    for page in [
        reverse("admin:claims_article_change", args=[seed_article.pk]),
        reverse("admin:claims_article_changelist"),
        reverse("admin:claims_assignment_changelist"),
    ]:
        assert link in client.get(page).content, page


def long_article(claims: int):
    return article(
        "\n\n".join(f"Minister {n} said the bank raised rates by {n}." for n in range(claims)),
        title=f"{claims} claims",
    )


def queries_for(client, story) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(workspace_url(story))
    assert response.status_code == 200
    return len(captured)


def label_every_claim(story, reviewers, source):
    """Two annotations with a source and a verdict per claim per reviewer, written in bulk: the
    services are tested elsewhere, and 600 calls through them would slow the suite."""
    claims = list(story.claims.all())
    rows = Annotation.objects.bulk_create(
        Annotation(
            claim=c,
            reviewer=r,
            start=c.start + offset,
            end=c.start + offset + 8,
            quote=story.text[c.start + offset : c.start + offset + 8],
            error_type=ErrorType.objects.get(slug="wrong-number"),
        )
        for c in claims
        for r in reviewers
        for offset in (0, 4)
    )
    Annotation.sources.through.objects.bulk_create(
        Annotation.sources.through(annotation_id=a.pk, source_id=source.pk) for a in rows
    )
    Verdict.objects.bulk_create(
        Verdict(claim=c, reviewer=r, label="accurate") for c in claims for r in reviewers
    )


@pytest.mark.parametrize("user", ["reviewer", "editor"])
def test_page_query_count_does_not_grow_with_claims_or_annotations(
    client, reviewer_ann, reviewer_ben, editor_eve, user
):
    small, large = long_article(3), long_article(300)
    for story in (small, large):
        assign(story, reviewer_ann, reviewer_ben, editor_eve)
        label_every_claim(story, [reviewer_ann, reviewer_ben], SourceFactory())
    assert large.claims.count() == 300
    client.force_login(reviewer_ann if user == "reviewer" else editor_eve)
    queries_for(client, small)  # warm the session and permission caches alike
    assert queries_for(client, large) == queries_for(client, small)


def test_page_gives_each_annotation_the_etag_the_api_sends(
    client, seed_article, reviewer_ann, api_as
):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    tag = annotate(claim, reviewer_ann, "Foreign Minister")
    services.annotation_update(tag, by=reviewer_ann, correction="Secretary of State")
    client.force_login(reviewer_ann)
    _, _, _, data = page_of(client, seed_article)
    api_etag = api_as(reviewer_ann).get(f"/api/v1/annotations/{tag.pk}/")["ETag"]
    assert data["annotations"][0]["etag"] == api_etag == f'"{tag.pk}-2"'
