"""A source typed again is reused only if its writer may see it: under blind review, another
reviewer's source backing their unsubmitted work would show its title and quoted passage."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Annotation, ErrorType, Source
from tests.factories import assign, submit

ANNS = "https://www.state.gov/biographies/antony-j-blinken/"
RETYPED = "https://WWW.State.gov/biographies/antony-j-blinken/#career"


@pytest.fixture
def claim(seed_article, reviewer_ann, reviewer_ben):
    assign(seed_article, reviewer_ann, reviewer_ben)
    return seed_article.claims.get(text__startswith="Foreign Minister")


@pytest.fixture
def anns_source(claim, reviewer_ann) -> Source:
    """Ann's source, backing her annotation on the article; her review is not submitted."""
    tag = services.annotation_create(
        claim=claim,
        reviewer=reviewer_ann,
        quote="Foreign Minister",
        error_type=ErrorType.objects.get(slug="wrong-title"),
        sources=[
            services.NewSource(url=ANNS, title="Ann's title", quoted_passage="Ann's quoted passage")
        ],
    )
    return tag.sources.get()


def _post_tag(client, claim, url: str):
    return client.post(
        "/api/v1/annotations/",
        {
            "claim": claim.pk,
            "quote": "Foreign Minister",
            "error_type": "wrong-title",
            "sources": [{"url": url, "title": "Ben's title"}],
        },
        format="json",
    )


def test_reviewer_typing_the_address_of_anothers_unsubmitted_source_gets_their_own(
    claim, anns_source, reviewer_ben, api_as
):
    ben = api_as(reviewer_ben)

    response = _post_tag(ben, claim, RETYPED)

    assert response.status_code == 201, response.json()
    [cited] = response.json()["sources"]
    assert cited["id"] != anns_source.pk
    assert (cited["url"], cited["title"]) == (RETYPED, "Ben's title")
    assert Source.objects.count() == 2
    assert Source.objects.get(pk=cited["id"]).added_by == reviewer_ben
    listed = ben.get("/api/v1/sources/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["id"] for row in rows] == [cited["id"]]
    assert ben.get(f"/api/v1/sources/{anns_source.pk}/").status_code == 404
    tag = ben.get(f"/api/v1/annotations/{response.json()['id']}/").content.decode()
    assert "Ann's" not in tag
    assert "Ann's" not in ben.get("/api/v1/annotations/").content.decode()


def test_a_reviewer_reuses_their_own_source_before_an_older_one_they_may_see(
    claim, anns_source, reviewer_ann, reviewer_ben
):
    """Once both submitted, each may see the other's source: two rows of one address,
    each reviewer's words kept."""
    bens = services.source_get_or_create(
        new=services.NewSource(url=RETYPED, title="Ben's title"), added_by=reviewer_ben
    )
    submit(claim.article, reviewer_ann)
    submit(claim.article, reviewer_ben)

    again = services.source_get_or_create(new=services.NewSource(url=ANNS), added_by=reviewer_ben)

    assert again == bens  # their own first, though Ann's is older and now visible


def test_reviewer_reuses_anothers_source_once_they_may_see_their_work(
    claim, anns_source, reviewer_ben
):
    submit(claim.article, reviewer_ben)

    source = services.source_get_or_create(
        new=services.NewSource(url=RETYPED), added_by=reviewer_ben
    )

    assert source == anns_source
    assert Source.objects.count() == 1


def test_editor_typing_a_reviewers_address_reuses_it(anns_source, editor_eve):
    source = services.source_get_or_create(new=services.NewSource(url=RETYPED), added_by=editor_eve)

    assert source == anns_source
    assert Source.objects.count() == 1


def test_admin_source_form_keeps_anothers_unsubmitted_source_unnamed(
    client, anns_source, reviewer_ben
):
    client.force_login(reviewer_ben)
    response = client.post(
        reverse("admin:claims_source_add"),
        {"url": RETYPED, "title": "Ben's title", "publisher": "", "quoted_passage": ""},
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Source.objects.count() == 2
    assert Source.objects.exclude(pk=anns_source.pk).get().added_by == reviewer_ben


def test_admin_source_form_refuses_a_reviewers_copy_of_their_own(client, anns_source, reviewer_ann):
    client.force_login(reviewer_ann)
    response = client.post(
        reverse("admin:claims_source_add"),
        {"url": RETYPED, "title": "again", "publisher": "", "quoted_passage": ""},
    )

    assert response.status_code == 200
    errors = str(response.context["adminform"].form.errors["url"])
    assert f"already stored (source {anns_source.pk})" in errors
    assert Source.objects.count() == 1


def test_admin_source_form_refuses_an_editors_copy_of_a_reviewers(client, anns_source, editor_eve):
    client.force_login(editor_eve)
    response = client.post(
        reverse("admin:claims_source_add"),
        {"url": RETYPED, "title": "copy", "publisher": "", "quoted_passage": ""},
    )

    assert response.status_code == 200
    errors = str(response.context["adminform"].form.errors["url"])
    assert f"already stored (source {anns_source.pk})" in errors


def test_admin_annotation_form_gives_ben_his_own_source(client, claim, anns_source, reviewer_ben):
    client.force_login(reviewer_ben)
    response = client.post(
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
            "new_source_url": RETYPED,
            "new_source_title": "Ben's title",
            "new_source_publisher": "",
            "new_source_passage": "",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    [cited] = Annotation.objects.get(reviewer=reviewer_ben).sources.all()
    assert (cited.added_by, cited.title) == (reviewer_ben, "Ben's title")


def test_an_editor_adding_a_source_to_bens_work_keeps_anns_hidden_from_him(
    claim, anns_source, reviewer_ben, editor_eve
):
    """The editor may see Ann's source, but Ben's annotation citing it would show it to
    him: what is reused must be visible to the reviewer whose work cites it too."""
    tag = services.annotation_create(
        claim=claim,
        reviewer=reviewer_ben,
        quote="Foreign Minister",
        error_type=ErrorType.objects.get(slug="wrong-title"),
    )

    services.annotation_update(
        tag, by=editor_eve, sources=[services.NewSource(url=RETYPED, title="Eve's title")]
    )

    [cited] = tag.sources.all()
    assert (cited.added_by, cited.title) == (editor_eve, "Eve's title")
    assert Source.objects.count() == 2


def test_api_source_endpoint_reuses_the_writers_own_and_keeps_anns_hidden(
    claim, anns_source, reviewer_ann, reviewer_ben, api_as
):
    again = api_as(reviewer_ann).post("/api/v1/sources/", {"url": RETYPED}, format="json")
    bens = api_as(reviewer_ben).post("/api/v1/sources/", {"url": RETYPED}, format="json")

    assert again.status_code == 201, again.content
    assert again.json()["id"] == anns_source.pk
    assert bens.status_code == 201, bens.content
    assert bens.json()["id"] != anns_source.pk
    assert Source.objects.get(pk=bens.json()["id"]).added_by == reviewer_ben


def test_api_refuses_changing_a_source_into_a_copy_of_the_adders_other(
    anns_source, reviewer_ann, api_as
):
    other = Source.objects.create(url="https://example.org/other", added_by=reviewer_ann)

    response = api_as(reviewer_ann).patch(
        f"/api/v1/sources/{other.pk}/", {"url": RETYPED}, format="json"
    )

    assert response.status_code == 400, response.content
    assert f"already stored (source {anns_source.pk})" in str(response.json()["url"])
    other.refresh_from_db()
    assert other.url == "https://example.org/other"
