"""``/api/v1/sources/?search=`` finds evidence by url or title, and only what the caller may see."""

from tests.factories import SourceFactory, annotate, assign


def test_search_matches_url_or_title(reviewer_ann, api_as):
    state = SourceFactory(url="https://www.state.gov/biographies/antony-j-blinken/", title="Bio")
    wire = SourceFactory(url="https://example.org/wire", title="Blinken in Beijing")
    SourceFactory(url="https://example.org/other", title="Rates rise")
    client = api_as(reviewer_ann)
    by_url = client.get("/api/v1/sources/", {"search": "state.gov"}).json()["results"]
    by_title = client.get("/api/v1/sources/", {"search": "blinken"}).json()["results"]
    assert [s["id"] for s in by_url] == [state.pk]
    assert sorted(s["id"] for s in by_title) == sorted([state.pk, wire.pk])


def test_search_never_reveals_a_source_behind_another_reviewers_unsubmitted_work(
    seed_article, reviewer_ann, reviewer_ben, api_as
):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    hidden = SourceFactory(url="https://example.org/bens-evidence", title="Ben's find")
    annotate(claim, reviewer_ben, "Foreign Minister", sources=[hidden])
    assign(seed_article, reviewer_ann)
    found = api_as(reviewer_ann).get("/api/v1/sources/", {"search": "bens-evidence"}).json()
    assert found["results"] == []
    assert api_as(reviewer_ben).get("/api/v1/sources/", {"search": "bens"}).json()["count"] == 1
