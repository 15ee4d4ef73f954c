"""import_articles reads doccano JSONL and Label Studio JSON: articles, claims from the real
splitter, annotations under named reviewers, and a report naming what could not be mapped."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from claims.models import Annotation, Article, Assignment, ErrorType

TEXT = "🎉 Launch day\n\n🚀 The Foreign Minister spoke on Monday. It rained later."
QUOTE = "Foreign Minister"
AT = TEXT.index(QUOTE)  # code points
AT16 = AT + 2  # two emoji before it, each two UTF-16 units


def run(*paths, create=False):
    out, err = StringIO(), StringIO()
    args = [*map(str, paths)] + (["--create-error-types"] if create else [])
    try:
        call_command("import_articles", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


def write_jsonl(path, *lines):
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n")
    return path


def test_doccano_line_becomes_an_article_with_the_reviewers_annotation(db, tmp_path):
    path = write_jsonl(
        tmp_path / "doccano.jsonl",
        {
            "text": TEXT,
            "label": [[AT16, AT16 + len(QUOTE), "wrong-title"]],
            "title": "Launch",
            "url": "https://news.example/launch",
            "reviewer": "dora",
            "details": [
                {
                    "start": AT16,
                    "end": AT16 + len(QUOTE),
                    "label": "wrong-title",
                    "correction": "Secretary of State",
                    "note": "title",
                    "severity": "critical",
                }
            ],
        },
    )
    out, err, failed = run(path)
    assert failed is None, err
    story = Article.objects.get()
    assert (story.title, story.url, story.text) == ("Launch", "https://news.example/launch", TEXT)
    tag = Annotation.objects.get()
    assert (tag.start, tag.end, tag.quote) == (AT, AT + len(QUOTE), QUOTE)
    assert (tag.error_type.slug, tag.correction, tag.note, tag.severity) == (
        "wrong-title",
        "Secretary of State",
        "title",
        "critical",
    )
    dora = get_user_model().objects.get(username="dora")
    assert tag.reviewer == dora and not dora.has_usable_password()
    assert dora.groups.filter(name="reviewer").exists()
    assert Assignment.objects.get(reviewer=dora).state == "submitted"
    assert "Labels: 1 article (1 new), 1 annotations and 0 verdicts by 1 reviewers" in out
    again, _, failed = run(path)
    assert failed is None and "1 label sets already stored" in again
    assert Annotation.objects.count() == 1


@pytest.mark.parametrize(
    ("span", "message"),
    [
        ([3, 40, "wrong-title"], "crosses claims"),
        ([AT16, AT16 + 5, "invented-label"], "unknown labels “invented-label”"),
        ([AT16, 500, "wrong-title"], "runs past the end of the text"),
        ([1, 5, "wrong-title"], "falls inside the character “🎉”"),
        ([9, 2, "wrong-title"], "is not a span"),
    ],
)
def test_doccano_spans_that_cannot_be_mapped_are_reported_by_line_and_store_nothing(
    db, tmp_path, span, message
):
    path = write_jsonl(
        tmp_path / "bad.jsonl",
        {"text": "A fine article. It rained.", "label": []},
        {"text": TEXT, "label": [[AT16, AT16 + len(QUOTE), "wrong-title"], span]},
    )
    _, err, failed = run(path)
    assert failed == "1 label sets failed."
    assert f"{path}:2: " in err and message in err
    assert Annotation.objects.count() == 0
    assert list(Article.objects.values_list("text", flat=True)) == ["A fine article. It rained."]


def test_unknown_labels_become_error_types_only_when_asked(db, tmp_path):
    path = write_jsonl(
        tmp_path / "new.jsonl",
        {"text": TEXT, "label": [[AT16, AT16 + len(QUOTE), "Wrong honorific"]], "user": "dora"},
    )
    _, err, failed = run(path)
    assert "--create-error-types" in err and not ErrorType.objects.filter(name="Wrong honorific")
    _, err, failed = run(path, create=True)
    assert failed is None, err
    created = ErrorType.objects.get(name="Wrong honorific")
    assert created.slug == "wrong-honorific"
    assert Annotation.objects.get().error_type == created


def test_an_existing_account_that_cannot_annotate_is_refused(db, tmp_path, outsider):
    path = write_jsonl(
        tmp_path / "olly.jsonl",
        {"text": TEXT, "label": [[AT16, AT16 + len(QUOTE), "wrong-title"]], "reviewer": "olly"},
    )
    _, err, failed = run(path)
    assert "“olly” exists but cannot annotate" in err
    assert not Annotation.objects.exists() and not Article.objects.exists()


def label_studio_task(**annotation):
    return {
        "id": 7,
        "data": {"text": TEXT, "title": "Launch"},
        "annotations": [
            {
                "id": 1,
                "completed_by": 3,
                "result": [
                    {
                        "id": "r1",
                        "type": "labels",
                        "from_name": "label",
                        "to_name": "text",
                        "value": {
                            "start": AT,
                            "end": AT + len(QUOTE),
                            "text": QUOTE,
                            "labels": ["Wrong title or role"],
                        },
                    },
                    {
                        "id": "r1",
                        "type": "textarea",
                        "from_name": "correction",
                        "to_name": "text",
                        "value": {"start": AT, "end": AT + len(QUOTE), "text": ["Secretary"]},
                    },
                ],
                **annotation,
            },
            {"id": 2, "completed_by": 4, "was_cancelled": True, "result": []},
        ],
    }


def test_label_studio_task_imports_in_code_points_with_per_region_text(db, tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps([label_studio_task()], ensure_ascii=False))
    out, err, failed = run(path)
    assert failed is None, err
    tag = Annotation.objects.get()
    assert (tag.start, tag.quote, tag.correction) == (AT, QUOTE, "Secretary")
    assert tag.error_type.slug == "wrong-title"  # found by its name
    assert tag.reviewer.username == "labelstudio-3"
    assert f"{path} task 1 (id 7) annotation 2: cancelled in Label Studio, not imported" in out


def test_label_studio_text_that_does_not_match_its_offsets_is_reported(db, tmp_path):
    task = label_studio_task()
    task["annotations"][0]["result"][0]["value"]["start"] = AT16  # UTF-16, the wrong unit
    task["annotations"][0]["result"][0]["value"]["end"] = AT16 + len(QUOTE)
    path = tmp_path / "shifted.json"
    path.write_text(json.dumps([task], ensure_ascii=False))
    _, err, failed = run(path)
    assert f"{path} task 1 (id 7) annotation 1: result 1: offsets" in err
    assert "not “Foreign Minister”" in err
    assert not Annotation.objects.exists()


def test_doccano_offsets_into_windows_line_endings_land_on_the_stored_text(db, tmp_path):
    given = "Launch day\r\n\r\nThe Foreign Minister spoke.\r\n"
    at = given.index(QUOTE)
    path = write_jsonl(
        tmp_path / "crlf.jsonl",
        {"text": given, "label": [[at, at + len(QUOTE), "wrong-title"]], "reviewer": "dora"},
    )
    _, err, failed = run(path)
    assert failed is None, err
    assert "\r" not in Article.objects.get().text
    assert Annotation.objects.get().quote == QUOTE


def test_labels_for_an_article_stored_under_the_same_url_with_other_text_are_refused(db, tmp_path):
    from tests.factories import article

    article("An older text. The Foreign Minister spoke.", url="https://news.example/launch")
    path = write_jsonl(
        tmp_path / "moved.jsonl",
        {
            "text": TEXT,
            "url": "https://news.example/launch",
            "label": [[AT16, AT16 + len(QUOTE), "wrong-title"]],
        },
    )
    _, err, failed = run(path)
    assert "is stored under this url with other text" in err and "--update" in err
    assert not Annotation.objects.exists()


def test_label_studio_span_that_cuts_a_letter_from_its_accent_is_reported(db, tmp_path):
    text = "The Minister of Cafe\u0301s spoke."
    cut = text.index("\u0301")  # between the e and its combining accent
    task = {
        "data": {"text": text},
        "annotations": [
            {
                "completed_by": {"email": "lena@news.example"},
                "result": [
                    {
                        "id": "r1",
                        "type": "labels",
                        "value": {"start": 4, "end": cut, "labels": ["wrong-title"]},
                    }
                ],
            }
        ],
    }
    path = tmp_path / "accent.json"
    path.write_text(json.dumps([task], ensure_ascii=False))
    _, err, failed = run(path)
    assert f"{path} task 1 annotation 1: result 1 (region r1): " in err
    assert "cuts the character" in err
    assert not Annotation.objects.exists()
    assert not get_user_model().objects.filter(username="lena@news.example").exists()


def test_our_export_with_a_broken_annotation_is_reported_not_crashed(db, tmp_path):
    record = {
        "labels": "raw",
        "article": {"id": 1, "title": "T", "url": None},
        "claim": {
            "order": 0,
            "paragraph": 0,
            "start": 0,
            "end": 9,
            "text": "It rained",
            "kind": "statement",
        },
        "annotations": [{"reviewer": "ann", "start": "zero", "end": 2, "error_type": "wrong-date"}],
        "verdicts": [],
    }
    path = write_jsonl(tmp_path / "ours.jsonl", record)
    _, err, failed = run(path)
    assert f"{path}:1: annotation None on claim #0: start and end must be whole numbers" in err
    assert Article.objects.get().text == "It rained"  # the article itself was fine
