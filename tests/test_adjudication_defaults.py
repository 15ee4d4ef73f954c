"""The adjudication page's defaults are always a decision that saves, and no claim ends up
with two identical final labels: not through the page, the service or the database."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import services
from claims.models import Adjudication, ErrorType, FinalAnnotation
from claims.seeding import load_seeds
from tests.factories import annotate, submit
from tests.migration_runner import migrated_through
from tests.test_adjudication import page_url


class _FormFields(HTMLParser):
    """The name/value pairs a browser posts for the page's form as it was served."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self.data[name] = a.get("value", "on")
            else:
                self.data[name] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif (
            tag == "option" and self._select and ("selected" in a or self._select not in self.data)
        ):
            # The selected option, else the first (what a browser sends).
            self.data[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            # A browser drops the newline that opens a textarea (Django writes one).
            start = not self.data[self._textarea]
            self.data[self._textarea] += data.removeprefix("\n") if start else data


def served_form(html: str) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(html)
    return parser.data


def final_labels() -> set[tuple]:
    return {
        (
            f.adjudication.claim_id,
            f.start,
            f.end,
            f.error_type.slug,
            f.correction,
            f.severity,
            frozenset(f.from_annotations.values_list("pk", flat=True)),
        )
        for f in FinalAnnotation.objects.select_related("adjudication", "error_type")
    }


def test_the_seed_adjudication_saves_unchanged_as_eve(client, db):
    load_seeds(settings.BASE_DIR / "seeds")
    seeded = final_labels()
    story = Adjudication.objects.first().claim.article
    client.force_login(get_user_model().objects.get(username="eve"))

    page = client.get(page_url(story))
    answer = client.post(page_url(story), served_form(page.content.decode()))

    assert answer.status_code == 302, [e for _, e in answer.context["form"].errors]
    assert final_labels() == seeded
    assert FinalAnnotation.objects.count() == 8


# Situations in which reviewers' candidates overlap, each adjudicated once before the page
# is opened again (or not at all): opening the page and saving it untouched must save,
# keeping the final labels' spans and types.


def _agreeing(claim, ann, ben, eve):
    annotate(claim, ann, "Foreign Minister")
    annotate(claim, ben, "Foreign Minister", correction="other words")
    return None  # never adjudicated: the shared candidate is accepted by default


def _merged_across_types(claim, ann, ben, eve):
    """The seed's case: the editor made one label of ann's and ben's different types."""
    a = annotate(claim, ann, "Foreign Minister", slug="mistranslation")
    b = annotate(claim, ben, "Foreign Minister", slug="fluency")
    return [label(claim, "Foreign Minister", "mistranslation", a, b)]


def _retyped_onto_the_other(claim, ann, ben, eve):
    """ann's candidate accepted under ben's type, ben's rejected."""
    a = annotate(claim, ann, "Foreign Minister", slug="wrong-title")
    annotate(claim, ben, "Foreign Minister", slug="wrong-date")
    return [label(claim, "Foreign Minister", "wrong-date", a)]


def _split_into_two_types(claim, ann, ben, eve):
    """Two final labels made from one shared annotation."""
    a = annotate(claim, ann, "Foreign Minister")
    b = annotate(claim, ben, "Foreign Minister")
    return [
        label(claim, "Foreign Minister", "wrong-title", a, b),
        label(claim, "Foreign Minister", "mistranslation", a, b),
    ]


def _nested_spans(claim, ann, ben, eve):
    a = annotate(claim, ann, "Foreign Minister")
    b = annotate(claim, ben, "Foreign Minister Antony Blinken")
    annotate(claim, ben, "Minister")
    return [label(claim, "Foreign Minister", "wrong-title", a, b)]


def label(claim, quote, slug, *origins):
    at = claim.article.text.index(quote)
    return services.FinalLabel(
        start=at,
        end=at + len(quote),
        error_type=ErrorType.objects.get(slug=slug),
        from_annotations=origins,
    )


@pytest.mark.parametrize(
    "situation",
    [
        _agreeing,
        _merged_across_types,
        _retyped_onto_the_other,
        _split_into_two_types,
        _nested_spans,
    ],
)
def test_saving_the_page_untouched_always_saves(
    situation, client, seed_article, reviewer_ann, reviewer_ben, editor_eve
):
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    labels = situation(claim, reviewer_ann, reviewer_ben, editor_eve)
    for reviewer in (reviewer_ann, reviewer_ben):
        submit(seed_article, reviewer)
    if labels is not None:
        services.claim_adjudicate(claim=claim, editor=editor_eve, labels=labels)
    before = {(f.start, f.end, f.error_type_id) for f in FinalAnnotation.objects.all()}
    origins = {frozenset(f.from_annotations.all()) for f in FinalAnnotation.objects.all()}
    client.force_login(editor_eve)

    page = client.get(page_url(seed_article))
    answer = client.post(page_url(seed_article), served_form(page.content.decode()))

    assert answer.status_code == 302, [e for _, e in answer.context["form"].errors]
    after = {(f.start, f.end, f.error_type_id) for f in FinalAnnotation.objects.all()}
    assert after == before if labels is not None else len(after) == 1
    if labels is not None and situation is not _retyped_onto_the_other:
        # What each label was made from stays (ben's identical tag joins the retyped one).
        assert {frozenset(f.from_annotations.all()) for f in FinalAnnotation.objects.all()} == (
            origins
        )


@pytest.fixture
def two_tags(seed_article, reviewer_ann, reviewer_ben):
    """ann and ben tag the same words in the title claim with different error types."""
    claim = seed_article.claims.get(text__startswith="Foreign Minister")
    tags = (
        annotate(claim, reviewer_ann, "Foreign Minister", slug="wrong-title"),
        annotate(claim, reviewer_ben, "Foreign Minister", slug="mistranslation"),
    )
    for reviewer in (reviewer_ann, reviewer_ben):
        submit(seed_article, reviewer)
    return claim, tags


def test_service_refuses_two_identical_final_labels(two_tags, editor_eve):
    claim, (ann_tag, ben_tag) = two_tags

    with pytest.raises(ValidationError) as refusal:
        services.claim_adjudicate(
            claim=claim,
            editor=editor_eve,
            labels=[
                label(claim, "Foreign Minister", "wrong-title", ann_tag),
                label(claim, "Foreign Minister", "wrong-title", ben_tag),
            ],
        )

    assert refusal.value.code == "duplicate_final_label"
    assert refusal.value.messages == [
        f"Claim #{claim.pk}: two final labels tag “Foreign Minister” as Wrong title or "
        "role; keep one of them (reject the other, or give it another error type)."
    ]
    assert not FinalAnnotation.objects.exists() and not Adjudication.objects.exists()


def test_database_refuses_two_identical_final_labels(two_tags, editor_eve):
    claim, (ann_tag, _) = two_tags
    services.claim_adjudicate(
        claim=claim, editor=editor_eve, labels=[label(claim, "Foreign Minister", "wrong-title")]
    )
    final = FinalAnnotation.objects.get()
    final.pk = None

    with pytest.raises(IntegrityError), transaction.atomic():
        final.save()  # past the service and full_clean()

    assert FinalAnnotation.objects.count() == 1


def test_page_shows_the_services_refusal(two_tags, client, editor_eve):
    claim, _ = two_tags
    client.force_login(editor_eve)
    data = served_form(client.get(page_url(claim.article)).content.decode())
    wrong_title = str(ErrorType.objects.get(slug="wrong-title").pk)
    for n in (0, 1):  # both accepted, ben's retyped onto ann's type
        data[f"claim-{claim.pk}-{n}-decision"] = "accept"
        data[f"claim-{claim.pk}-{n}-error_type"] = wrong_title

    answer = client.post(page_url(claim.article), data)

    assert answer.status_code == 200
    assert (
        f"Claim #{claim.pk}: two final labels tag “Foreign Minister” as Wrong title or role"
        in answer.content.decode()
    )
    assert not Adjudication.objects.exists()


def test_migration_keeps_the_first_of_identical_final_labels(empty_database):
    """Copies stored before 0015 are merged into the first (their origins added to it)."""
    result = migrated_through(
        ("claims", "0015_final_label_unique"),
        "tests.test_adjudication_defaults:store_two_copies",
        "tests.test_adjudication_defaults:read_final_labels",
        database_url=empty_database,
    )
    first, annotation = result["made"]
    assert result["finals"] == [[first, [annotation]]]


def store_two_copies(old) -> tuple[int, int]:
    claim = old.get_model("claims", "Claim").objects.first() or _old_claim(old)
    return _two_copies(old, claim)


def read_final_labels(new, made) -> dict:
    finals = new.get_model("claims", "FinalAnnotation").objects.order_by("pk")
    return {
        "made": made,
        "finals": [[f.pk, sorted(f.from_annotations.values_list("pk", flat=True))] for f in finals],
    }


def _old_claim(old):
    article = old.get_model("claims", "Article").objects.create(
        title="t", text="Foreign Minister said so.", content_hash="x"
    )
    return old.get_model("claims", "Claim").objects.create(
        article=article, order=1, start=0, end=25, start_utf16=0, end_utf16=25, text=article.text
    )


def _two_copies(old, claim) -> tuple[int, int]:
    """Two identical final labels; the second made from an annotation: (first, annotation)."""
    user = old.get_model("auth", "User").objects.create(username="eve-old")
    error_type = old.get_model("claims", "ErrorType").objects.get(slug="wrong-title")
    adjudication = old.get_model("claims", "Adjudication").objects.create(claim=claim, editor=user)
    fields = {"adjudication": adjudication, "start": claim.start, "end": claim.start + 7}
    fields |= {"quote": claim.text[:7], "error_type": error_type}
    Final = old.get_model("claims", "FinalAnnotation")
    first, second = Final.objects.create(**fields), Final.objects.create(**fields)
    annotation = old.get_model("claims", "Annotation").objects.create(
        claim=claim,
        reviewer=user,
        start=fields["start"],
        end=fields["end"],
        quote=fields["quote"],
        error_type=error_type,
    )
    second.from_annotations.add(annotation)
    return first.pk, annotation.pk
