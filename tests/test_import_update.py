"""import_articles --update: a stored article (same url) with new text is revised."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import Article
from tests.factories import annotate, article

URL = "https://example.org/news/blinken"
TEXT = "Blinken met Xi in Beijing.\n\nThe Foreign Minister said the talks were candid.\n"


def _file(tmp_path, text):
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({"url": URL, "title": "Blinken in Beijing", "text": text}) + "\n")
    return path


def test_update_revises_the_article_with_the_same_url(tmp_path, capsys, editor_eve, reviewer_ann):
    story = article(TEXT, url=URL)
    tag = annotate(story.claims.get(order=1), reviewer_ann, "Foreign Minister")
    revised = "Updated.\n\n" + TEXT
    call_command("import_articles", str(_file(tmp_path, revised)), "--update", "--by", "eve")
    out = capsys.readouterr().out
    assert "1 revised" in out and "1 moved" in out
    story.refresh_from_db()
    tag.refresh_from_db()
    assert story.text == revised and Article.objects.count() == 1
    assert revised[tag.start : tag.end] == "Foreign Minister"
    assert story.revisions.get().revised_by == editor_eve


def test_without_update_a_changed_text_under_a_stored_url_is_skipped(tmp_path, editor_eve):
    story = article(TEXT, url=URL)
    call_command("import_articles", str(_file(tmp_path, "Updated.\n\n" + TEXT)))
    story.refresh_from_db()
    assert story.text == TEXT and not story.revisions.exists()


@pytest.mark.parametrize("by", [None, "ann"])
def test_update_needs_an_editor(tmp_path, reviewer_ann, by):
    article(TEXT, url=URL)
    arguments = ["--by", by] if by else []
    with pytest.raises(CommandError, match="editor"):
        call_command("import_articles", str(_file(tmp_path, "New.\n")), "--update", *arguments)
    assert Article.objects.get().text == TEXT
