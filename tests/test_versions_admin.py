"""Admin change forms carry the version they were opened on: a stale save is refused with
a message, the user's input is kept, and nobody's change is silently undone."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Annotation, ErrorType, Verdict
from tests.factories import annotate, assign


@pytest.fixture
def claim(seed_article, reviewer_ann):
    assign(seed_article, reviewer_ann)
    return seed_article.claims.get(text__startswith="Foreign Minister")


@pytest.fixture
def annotation(claim, reviewer_ann):
    return annotate(claim, reviewer_ann, "Foreign Minister", correction="Secretary of State")


def opened_form(client, url) -> dict:
    """The change form's fields as the page renders them (hidden version included)."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or field.disabled:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def test_stale_annotation_form_is_refused_and_keeps_the_input(
    client, annotation, reviewer_ann, editor_eve
):
    client.force_login(reviewer_ann)
    url = reverse("admin:claims_annotation_change", args=[annotation.pk])
    data = opened_form(client, url)
    assert data["seen_version"] == "1"
    # Meanwhile the editor corrects the correction.
    services.annotation_update(annotation, by=editor_eve, correction="U.S. Secretary of State")

    data["note"] = "Ann's careful note"
    response = client.post(url, data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "Someone else saved this annotation" in " ".join(form.non_field_errors())
    assert form["note"].value() == "Ann's careful note"
    assert 'name="seen_version" value="2"' in response.content.decode()
    stored = Annotation.objects.get()
    assert (stored.correction, stored.note, stored.version) == ("U.S. Secretary of State", "", 2)

    # Having seen the conflict, saving again replaces it knowingly.
    data["seen_version"] = "2"
    assert client.post(url, data).status_code == 302
    stored.refresh_from_db()
    assert (stored.note, stored.correction, stored.version) == (
        "Ann's careful note",
        "Secretary of State",
        3,
    )


def test_fresh_annotation_form_saves_and_bumps_the_version(client, annotation, reviewer_ann):
    client.force_login(reviewer_ann)
    url = reverse("admin:claims_annotation_change", args=[annotation.pk])
    data = opened_form(client, url)
    data["note"] = "fine"
    assert client.post(url, data).status_code == 302
    assert Annotation.objects.values_list("note", "version").get() == ("fine", 2)


def test_stale_verdict_form_is_refused(client, claim, reviewer_ann, editor_eve):
    verdict = services.verdict_set(claim=claim, reviewer=reviewer_ann, label="inaccurate")
    client.force_login(reviewer_ann)
    url = reverse("admin:claims_verdict_change", args=[verdict.pk])
    data = opened_form(client, url)
    services.verdict_set(claim=claim, reviewer=reviewer_ann, label="misleading", by=editor_eve)

    data["note"] = "mine"
    response = client.post(url, data)

    assert response.status_code == 200
    assert "Someone else saved this verdict" in " ".join(
        response.context["adminform"].form.non_field_errors()
    )
    assert Verdict.objects.values_list("label", "note", "version").get() == ("misleading", "", 2)


def test_service_refuses_a_stale_version_and_writes_nothing(annotation, reviewer_ann):
    services.annotation_update(annotation, by=reviewer_ann, note="first")
    with pytest.raises(services.StaleVersion) as stale:
        services.annotation_update(
            annotation,
            by=reviewer_ann,
            version=1,
            note="second",
            error_type=ErrorType.objects.get(slug="misquote"),
        )
    assert stale.value.current.version == 2
    assert Annotation.objects.values_list("note", "error_type__slug").get() == (
        "first",
        "wrong-title",
    )
