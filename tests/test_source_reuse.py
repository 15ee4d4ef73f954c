"""A source typed by an address its writer already stored is that stored one, wherever it
is typed: the workspace (through the API), the API itself, the admin's annotation form.
Another person's source of the address is never reused: test_source_reuse_blind_review.py."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from claims import services
from claims.models import Annotation, ErrorType, Source
from tests.factories import assign
from tests.migration_runner import migrated_through

STORED = "https://www.state.gov/biographies/antony-j-blinken/"


@pytest.fixture
def claim(seed_article, reviewer_ann):
    assign(seed_article, reviewer_ann)
    return seed_article.claims.get(text__startswith="Foreign Minister")


@pytest.fixture
def stored(reviewer_ann):
    """Ann's own source, stored before: she types its address again below."""
    return Source.objects.create(url=STORED, title="Antony J. Blinken", added_by=reviewer_ann)


# The same address as STORED, typed otherwise.
RETYPED = [
    "https://WWW.STATE.GOV/biographies/antony-j-blinken/",
    "https://www.state.gov/biographies/antony-j-blinken/#career",
    "HTTPS://www.state.gov:443/biographies/antony-j-blinken/",
]


@pytest.mark.parametrize("url", RETYPED)
def test_api_reuses_a_stored_source_typed_again(claim, stored, reviewer_ann, api_as, url):
    response = api_as(reviewer_ann).post(
        "/api/v1/annotations/",
        {
            "claim": claim.pk,
            "quote": "Foreign Minister",
            "error_type": "wrong-title",
            "sources": [{"url": url, "title": "Blinken bio"}],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert [s["id"] for s in response.json()["sources"]] == [stored.pk]
    assert Source.objects.count() == 1
    assert list(Annotation.objects.get().sources.all()) == [stored]
    stored.refresh_from_db()
    assert (stored.url, stored.title) == (STORED, "Antony J. Blinken")  # not overwritten


def test_api_reuses_a_host_typed_without_its_slash(claim, reviewer_ann, api_as):
    home = Source.objects.create(url="https://www.state.gov/", added_by=reviewer_ann)
    response = api_as(reviewer_ann).post(
        "/api/v1/annotations/",
        {
            "claim": claim.pk,
            "quote": "Foreign Minister",
            "error_type": "wrong-title",
            "sources": [{"url": "https://www.State.gov"}],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert [s["id"] for s in response.json()["sources"]] == [home.pk]
    assert Source.objects.count() == 1


def test_api_update_reuses_a_stored_source(claim, stored, reviewer_ann, api_as):
    tag = services.annotation_create(
        claim=claim,
        reviewer=reviewer_ann,
        quote="Foreign Minister",
        error_type=ErrorType.objects.get(slug="wrong-title"),
    )
    response = api_as(reviewer_ann).patch(
        f"/api/v1/annotations/{tag.pk}/",
        {"sources": [{"url": RETYPED[0]}]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert list(tag.sources.all()) == [stored]
    assert Source.objects.count() == 1


def test_one_new_address_typed_twice_in_one_request_is_one_source(claim, reviewer_ann, api_as):
    response = api_as(reviewer_ann).post(
        "/api/v1/annotations/",
        {
            "claim": claim.pk,
            "quote": "Foreign Minister",
            "error_type": "wrong-title",
            "sources": [{"url": "https://example.org/a#x"}, {"url": "https://EXAMPLE.org/a"}],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    [source] = Source.objects.all()
    assert (source.url, source.added_by) == ("https://example.org/a#x", reviewer_ann)
    assert list(Annotation.objects.get().sources.all()) == [source]


@pytest.mark.parametrize("url", RETYPED)
def test_admin_reuses_a_stored_source_typed_again(client, claim, stored, reviewer_ann, url):
    client.force_login(reviewer_ann)
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
            "new_source_url": url,
            "new_source_title": "Blinken bio",
            "new_source_publisher": "",
            "new_source_passage": "",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(Annotation.objects.get().sources.all()) == [stored]
    assert Source.objects.count() == 1
    stored.refresh_from_db()
    assert stored.title == "Antony J. Blinken"


def test_admin_refuses_adding_a_copy_of_a_stored_source(client, stored, reviewer_ann):
    client.force_login(reviewer_ann)
    response = client.post(
        reverse("admin:claims_source_add"),
        {"url": RETYPED[0], "title": "copy", "publisher": "", "quoted_passage": ""},
    )

    assert response.status_code == 200
    assert "already stored" in str(response.context["adminform"].form.errors["url"])
    assert Source.objects.count() == 1


def test_database_refuses_one_adders_copy_past_the_service(stored, reviewer_ann):
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(url=RETYPED[1], added_by=reviewer_ann)

    assert Source.objects.count() == 1


def test_database_keeps_two_peoples_sources_of_one_address(stored, editor_eve):
    Source.objects.create(url=RETYPED[1], added_by=editor_eve)

    assert Source.objects.filter(normalised_url=STORED).count() == 2


def test_database_keeps_two_unattributed_sources_of_one_address_the_service_reuses_the_first(
    db,
):
    """A deleted user's sources lose their adder beside the seeded ones, so the database
    allows unattributed copies; seeds and imports (no adder) still reuse the first."""
    first = Source.objects.create(url=STORED)
    Source.objects.create(url=RETYPED[0])

    again = services.source_get_or_create(new=services.NewSource(url=RETYPED[1]), added_by=None)

    assert again == first
    assert Source.objects.count() == 2


def test_service_finds_the_source_stored_meanwhile(reviewer_ann, monkeypatch):
    """Two requests of one reviewer both find no source, both insert: the second's insert
    fails on the unique constraint and it takes the first's source instead of failing."""
    stored = Source.objects.create(url=STORED, added_by=reviewer_ann)
    real_filter = Source.objects.filter
    misses = iter([True])

    def first_lookup_misses(*args, **kwargs):
        found = real_filter(*args, **kwargs)
        return found.none() if next(misses, False) else found

    monkeypatch.setattr(Source.objects, "filter", first_lookup_misses)
    source = services.source_get_or_create(
        new=services.NewSource(url=RETYPED[0], title="late"), added_by=reviewer_ann
    )

    assert source == stored
    assert Source.objects.count() == 1


def test_migration_merges_stored_copies_into_the_first(empty_database):
    result = migrated_through(
        ("claims", "0016_source_normalised_url"),
        "tests.test_source_reuse:store_copies",
        "tests.test_source_reuse:read_merged",
        database_url=empty_database,
    )
    first, other, bens, tags = (result["made"][key] for key in ["first", "other", "bens", "tags"])
    # Ann's copy merges into her first; Ben's source of the same address is his own work
    # (under blind review, merging it would show him Ann's words) and stays.
    assert result["sources"] == [
        [first, "first", STORED],
        [other, "", "https://example.org/other"],
        [bens, "ben's own", STORED],
    ]
    assert result["cited"] == {
        str(tags[0]): [first],
        str(tags[1]): sorted([first, other]),
        str(tags[2]): [bens],
    }


def store_copies(old) -> dict:
    """Before 0016: Ann's source typed twice, one of nobody's, and Ben's of Ann's address."""
    Source = old.get_model("claims", "Source")
    tags = _old_annotations(old, 3)
    ann = tags[0].reviewer
    ben = old.get_model("auth", "User").objects.create(username="ben-old")
    first = Source.objects.create(url=STORED, title="first", added_by=ann)
    copy = Source.objects.create(url=RETYPED[0], title="copy", added_by=ann)
    other = Source.objects.create(url="https://example.org/other")
    bens = Source.objects.create(url=RETYPED[1], title="ben's own", added_by=ben)
    tags[0].sources.add(first, copy)  # cites both: one link stays
    tags[1].sources.add(copy, other)
    tags[2].sources.add(bens)
    return {"first": first.pk, "other": other.pk, "bens": bens.pk, "tags": [t.pk for t in tags]}


def read_merged(new, made: dict) -> dict:
    Source = new.get_model("claims", "Source")
    Annotation = new.get_model("claims", "Annotation")
    return {
        "made": made,
        "sources": sorted(Source.objects.values_list("pk", "title", "normalised_url")),
        "cited": {
            a.pk: sorted(a.sources.values_list("pk", flat=True)) for a in Annotation.objects.all()
        },
    }


def _old_annotations(old, n: int) -> list:
    article = old.get_model("claims", "Article").objects.create(
        title="t", text="Foreign Minister said so.", content_hash="x"
    )
    claim = old.get_model("claims", "Claim").objects.create(
        article=article, order=1, start=0, end=25, start_utf16=0, end_utf16=25, text=article.text
    )
    error_types = old.get_model("claims", "ErrorType").objects.all()[:n]
    reviewer = old.get_model("auth", "User").objects.create(username="ann-old")
    Annotation = old.get_model("claims", "Annotation")
    return [
        Annotation.objects.create(
            claim=claim, reviewer=reviewer, start=0, end=7, quote="Foreign", error_type=et
        )
        for et in error_types
    ]


def test_changing_only_the_url_keeps_its_normal_form_in_step(stored):
    stored.url = "https://example.org/moved"
    stored.save(update_fields=["url"])

    stored.refresh_from_db()
    assert stored.normalised_url == "https://example.org/moved"


def test_a_user_whose_source_is_also_stored_unattributed_can_be_deleted(reviewer_ann):
    """Their sources lose their adder (SET_NULL) and join the unattributed ones: nobody's
    copies of one address may then stand side by side."""
    Source.objects.create(url=STORED, title="seeded")
    Source.objects.create(url=RETYPED[0], title="Ann's", added_by=reviewer_ann)

    reviewer_ann.delete()

    assert sorted(Source.objects.values_list("title", "added_by")) == [
        ("Ann's", None),
        ("seeded", None),
    ]
