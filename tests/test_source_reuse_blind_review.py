"""A source typed again is reused only if it is the writer's own: under blind review, another
person's source may back unsubmitted work, whose title and quoted passage citing it would show."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Annotation, ErrorType, Source
from tests.factories import UserFactory, article, assign, submit

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


def test_each_reviewer_reuses_their_own_source_of_an_address_both_may_see(
    claim, anns_source, reviewer_ann, reviewer_ben
):
    """Once both submitted, each may see the other's source: two rows of one address,
    each reviewer's words kept, each typing it again gets their own."""
    bens = services.source_get_or_create(
        new=services.NewSource(url=RETYPED, title="Ben's title"), added_by=reviewer_ben
    )
    submit(claim.article, reviewer_ann)
    submit(claim.article, reviewer_ben)

    for reviewer, own in [(reviewer_ben, bens), (reviewer_ann, anns_source)]:
        again = services.source_get_or_create(new=services.NewSource(url=ANNS), added_by=reviewer)
        assert again == own
    assert Source.objects.count() == 2


def test_reviewer_gets_their_own_though_they_may_see_anothers_source_of_the_address(
    claim, anns_source, reviewer_ben
):
    """Ann may edit or delete her source at any time: Ben's evidence is not tied to it."""
    submit(claim.article, reviewer_ben)

    source = services.source_get_or_create(
        new=services.NewSource(url=RETYPED, title="Ben's title"), added_by=reviewer_ben
    )

    assert source != anns_source
    assert (source.added_by, source.title) == (reviewer_ben, "Ben's title")
    assert Source.objects.count() == 2


def test_editor_typing_a_reviewers_address_gets_their_own(anns_source, editor_eve):
    source = services.source_get_or_create(new=services.NewSource(url=RETYPED), added_by=editor_eve)

    assert source != anns_source
    assert source.added_by == editor_eve
    assert Source.objects.count() == 2


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


def test_admin_source_form_lets_an_editor_store_their_own_of_a_reviewers_address(
    client, anns_source, editor_eve
):
    client.force_login(editor_eve)
    response = client.post(
        reverse("admin:claims_source_add"),
        {"url": RETYPED, "title": "Eve's title", "publisher": "", "quoted_passage": ""},
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Source.objects.exclude(pk=anns_source.pk).get().added_by == editor_eve


def test_admin_source_form_refuses_an_editors_copy_of_their_own(client, anns_source, editor_eve):
    eves = Source.objects.create(url=ANNS, title="Eve's", added_by=editor_eve)
    client.force_login(editor_eve)
    response = client.post(
        reverse("admin:claims_source_add"),
        {"url": RETYPED, "title": "copy", "publisher": "", "quoted_passage": ""},
    )

    assert response.status_code == 200
    errors = str(response.context["adminform"].form.errors["url"])
    assert f"already stored (source {eves.pk})" in errors
    assert f"source {anns_source.pk})" not in errors


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


def test_an_editor_typing_their_own_address_hidden_from_ben_on_his_work_is_told(
    claim, anns_source, reviewer_ben, editor_eve, api_as
):
    """Eve's own source of the address backs her work on another article Ben has not
    submitted; she cannot store a second one of her own, so she is told, not given it."""
    other = article("The Foreign Minister spoke on Tuesday.", title="P2")
    assign(other, editor_eve, reviewer_ben)
    eves = services.annotation_create(
        claim=other.claims.get(),
        reviewer=editor_eve,
        quote="Foreign Minister",
        error_type=ErrorType.objects.get(slug="wrong-title"),
        sources=[services.NewSource(url=ANNS, title="Eve's title")],
    ).sources.get()
    tag = services.annotation_create(
        claim=claim,
        reviewer=reviewer_ben,
        quote="Foreign Minister",
        error_type=ErrorType.objects.get(slug="wrong-title"),
    )

    refused = api_as(editor_eve).patch(
        f"/api/v1/annotations/{tag.pk}/", {"sources": [{"url": RETYPED}]}, format="json"
    )

    assert refused.status_code == 400, refused.content
    assert f"source {eves.pk}" in str(refused.json()["sources"])
    assert not tag.sources.exists()
    assert Source.objects.count() == 2
    submit(other, reviewer_ben)  # now he may see Eve's work there, and so her source
    services.annotation_update(tag, by=editor_eve, sources=[services.NewSource(url=RETYPED)])
    assert list(tag.sources.all()) == [eves]


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


def test_an_editor_typing_a_reviewers_address_on_another_article_keeps_it_hidden(
    claim, anns_source, editor_eve, api_as
):
    """Ann's source backs only her unsubmitted tag on one article. Had the editor's tag on
    another article reused it, Carl, who submitted that one, would see Ann's title and
    passage through it: a typed address reuses only the writer's own source."""
    other = article("The Foreign Minister spoke on Tuesday.", title="P2")
    carl = UserFactory(username="carl", groups=["reviewer"])
    assign(other, editor_eve)
    submit(other, carl)
    eves_claim = other.claims.get()

    response = api_as(editor_eve).post(
        "/api/v1/annotations/",
        {
            "claim": eves_claim.pk,
            "quote": "Foreign Minister",
            "error_type": "wrong-title",
            "sources": [{"url": RETYPED, "title": "Eve's title"}],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    [cited] = response.json()["sources"]
    assert cited["id"] != anns_source.pk
    assert Source.objects.get(pk=cited["id"]).added_by == editor_eve
    carls = api_as(carl)
    assert carls.get(f"/api/v1/sources/{anns_source.pk}/").status_code == 404
    for seen in [
        carls.get("/api/v1/sources/"),
        carls.get("/api/v1/annotations/"),
        carls.get(f"/api/v1/annotations/{response.json()['id']}/"),
    ]:
        assert seen.status_code == 200, seen.content
        assert "Ann's" not in seen.content.decode()
    assert "Eve's title" in carls.get("/api/v1/sources/").content.decode()  # sees Eve's own
