"""Query parameters the API does not know are refused, on every list, naming what it takes.

``?reviewer=demo`` on the verdict list used to be ignored, and so answered every verdict:
a client that misspells a filter must hear so rather than read the whole table.
"""

import pytest
from django.urls import URLResolver, get_resolver, reverse

from claims import services
from tests.factories import annotate, submit


def api_endpoints(patterns=None, prefix=""):
    """Every URL pattern of the app, with its full route."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from api_endpoints(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def answers_get(pattern) -> bool:
    callback = pattern.callback
    if getattr(callback, "actions", None) is not None:  # a viewset's route
        return "get" in callback.actions
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    return view is not None and hasattr(view, "get")


# Every endpoint of the API that answers GET without naming one row (no path parameter):
# the lists, the export, the agreement. Read from the URL conf, so a new one is checked
# without being added here. The API root only lists the endpoints.
LISTS = sorted(
    reverse(pattern.name)
    for route, pattern in api_endpoints()
    if route.startswith(("api/v1/", "^api/v1/"))
    and "<" not in route
    and "(?P" not in route
    and pattern.name not in {None, "api-root"}
    and answers_get(pattern)
)


def test_the_lists_include_the_ones_outside_the_router():
    assert {"/api/v1/export/claims", "/api/v1/agreement", "/api/v1/verdicts/"} <= set(LISTS)


@pytest.mark.parametrize("path", LISTS)
def test_an_unknown_parameter_is_refused_naming_it_and_what_the_list_takes(
    path, editor_eve, api_as
):
    response = api_as(editor_eve).get(path, {"colour": "blue"})
    assert response.status_code == 400, response.content
    message = " ".join(response.json()["colour"])
    assert "“colour”" in message
    assert "page" in message or "article" in message  # the parameters it does take


@pytest.mark.parametrize("path", LISTS)
def test_known_parameters_still_work(path, editor_eve, api_as):
    client = api_as(editor_eve)
    assert client.get(path).status_code == 200
    if "export" not in path and "agreement" not in path:
        assert client.get(path, {"page_size": 5, "format": "json"}).status_code == 200


def test_the_refusal_lists_the_accepted_parameters(editor_eve, api_as):
    message = api_as(editor_eve).get("/api/v1/verdicts/", {"colour": "blue"}).json()["colour"]
    takes = message[0].split("it takes ", 1)[1].rstrip(".").split(", ")
    assert sorted(takes) == sorted(
        ["claim", "claim__article", "label", "reviewer", "page", "page_size", "format"]
    )


def test_each_unknown_parameter_is_named(editor_eve, api_as):
    body = api_as(editor_eve).get("/api/v1/articles/", {"colour": "x", "size": "y"}).json()
    assert set(body) == {"colour", "size"}


def test_the_claim_list_refuses_unknown_parameters_on_its_fast_path(editor_eve, api_as):
    client = api_as(editor_eve)
    assert client.get("/api/v1/claims/", {"cursor": "n.1.1"}).status_code == 200
    assert client.get("/api/v1/claims/", {"page": "1", "page_size": "2"}).status_code == 200
    assert client.get("/api/v1/claims/", {"kind": "statement", "sort": "x"}).status_code == 400
    assert client.get("/api/v1/claims/", {"sort": "x"}).status_code == 400


def test_search_and_export_parameters_still_work(editor_eve, api_as):
    client = api_as(editor_eve)
    assert client.get("/api/v1/sources/", {"search": "x", "page_size": 8}).status_code == 200
    export = client.get(
        "/api/v1/export/claims", {"format": "csv", "labels": "raw", "kind": "quote"}
    )
    assert export.status_code == 200


def test_a_detail_page_is_not_a_list(seed_article, editor_eve, api_as):
    # Only lists filter; a detail answers as before.
    assert api_as(editor_eve).get(f"/api/v1/articles/{seed_article.pk}/").status_code == 200


@pytest.fixture
def two_verdicts(seed_article, reviewer_ann, reviewer_ben):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    for reviewer, label in ((reviewer_ann, "accurate"), (reviewer_ben, "inaccurate")):
        annotate(claim, reviewer, "Foreign Minister")
        services.verdict_set(claim=claim, reviewer=reviewer, label=label)
    return claim


def labels(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [verdict["label"] for verdict in response.json()["results"]]


def test_verdicts_filter_by_reviewer_username(two_verdicts, editor_eve, api_as):
    client = api_as(editor_eve)
    assert labels(client.get("/api/v1/verdicts/", {"reviewer": "ben"})) == ["inaccurate"]
    assert labels(client.get("/api/v1/verdicts/", {"reviewer": "ann"})) == ["accurate"]
    assert labels(client.get("/api/v1/verdicts/", {"reviewer": "demo"})) == []


def test_filtering_verdicts_by_reviewer_keeps_blind_review(two_verdicts, reviewer_ann, api_as):
    client = api_as(reviewer_ann)
    assert labels(client.get("/api/v1/verdicts/", {"reviewer": "ben"})) == []
    assert labels(client.get("/api/v1/verdicts/", {"reviewer": "ann"})) == ["accurate"]
    submit(two_verdicts.article, reviewer_ann)
    assert labels(client.get("/api/v1/verdicts/", {"reviewer": "ben"})) == ["inaccurate"]
