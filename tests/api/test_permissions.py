"""Who may do what over the API: one matrix, from anonymous to editor."""

import pytest

from tests.factories import annotate

LISTS = [
    "/api/v1/articles/",
    "/api/v1/claims/",
    "/api/v1/annotations/",
    "/api/v1/sources/",
    "/api/v1/error-types/",
    "/api/v1/export/claims?format=jsonl",
    "/api/v1/",
    "/api/schema/",
]


@pytest.fixture
def anns_tag(seed_article, reviewer_ann):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    return annotate(claim, reviewer_ann, "Foreign Minister")


@pytest.mark.parametrize("url", LISTS)
def test_nothing_is_readable_anonymously(db, api_as, url):
    response = api_as(None).get(url)
    assert response.status_code == 401, response.content


@pytest.mark.parametrize("url", LISTS[:5])
def test_an_account_without_a_role_reads_nothing(outsider, api_as, url):
    assert api_as(outsider).get(url).status_code == 403


@pytest.mark.parametrize("url", LISTS[:5])
def test_reviewers_and_editors_read_the_lists(reviewer_ann, editor_eve, api_as, url):
    assert api_as(reviewer_ann).get(url).status_code == 200
    assert api_as(editor_eve).get(url).status_code == 200


@pytest.mark.parametrize(
    ("who", "change", "delete"),
    # Ben cannot even see Ann's annotation before submitting his own review: blind review.
    [
        ("reviewer_ann", 200, 204),
        ("reviewer_ben", 404, 404),
        ("editor_eve", 200, 204),
        ("outsider", 403, 403),
    ],
)
def test_only_the_author_or_an_editor_changes_an_annotation(
    request, anns_tag, api_as, who, change, delete
):
    client = api_as(request.getfixturevalue(who))
    url = f"/api/v1/annotations/{anns_tag.pk}/"
    assert client.patch(url, {"note": "checked"}, format="json").status_code == change
    assert client.delete(url).status_code == delete


def test_anonymous_cannot_write(anns_tag, api_as):
    client = api_as(None)
    assert client.delete(f"/api/v1/annotations/{anns_tag.pk}/").status_code == 401
    assert client.post("/api/v1/articles/", {"text": "Hi."}, format="json").status_code == 401


@pytest.mark.parametrize(
    ("who", "status"), [("reviewer_ann", 403), ("editor_eve", 200), ("outsider", 403)]
)
def test_export_needs_the_export_permission(request, db, api_as, who, status):
    client = api_as(request.getfixturevalue(who))
    assert client.get("/api/v1/export/claims?format=json").status_code == status


def test_docs_page_needs_a_login(db, client, reviewer_ann):
    assert client.get("/api/docs/").status_code in (401, 403)
    client.force_login(reviewer_ann)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert b"swagger-ui" in page.content
