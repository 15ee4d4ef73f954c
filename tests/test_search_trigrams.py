"""SQLite's substring search through the trigram index (migration 0013): the same claims as
a plain ``icontains``, for every kind of term, while the index follows every change of the
claims; and the query reads the index, not every claim.

The index is SQLite's alone (PostgreSQL searches by its own GIN index: tests/test_search.py).
"""

import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.models import Claim
from claims.search import (
    TRIGRAM_TABLE,
    claim_text_matches,
    forget_trigram_index,
    sqlite_has_trigrams,
    trigram_index_here,
)
from tests.factories import article

TEXTS = [
    "The Foreign Minister spoke in Beijing.",
    "FOREIGN MINISTERS MET.",
    "Straße und Überweisung: 50% off, x_y is a name.",
    "Ünïcode minister, and an emoji 🔥 fire.",
    "ab",
    "She said “it was 100%” and \\ then.",
]
TERMS = [
    "minister",
    "MiNiStEr",
    "foreign minister",
    "ign Min",  # a fragment across words
    "überweisung",  # not ASCII: LIKE folds ASCII letters only, and so must this
    "Überweisung",
    "50%",  # LIKE's wildcards are plain characters in a search
    "x_y",
    "%",
    "_",
    "ab",  # under three characters: no trigram to look up
    "a",
    "🔥 fire",
    "“it was",
    "\\ then",
    "nowhere at all",
]


@pytest.fixture
def sqlite_with_trigrams(db):
    if connection.vendor != "sqlite":
        pytest.skip("the trigram index is SQLite's; PostgreSQL's search is tests/test_search.py")
    if not sqlite_has_trigrams():
        pytest.fail("this Python's SQLite has no FTS5 trigram tokenizer (SQLite 3.34+)")


@pytest.fixture
def claims(sqlite_with_trigrams):
    return [article(f"Story {n}\n\n{text}", title=f"Story {n}") for n, text in enumerate(TEXTS)]


def searched(terms: str) -> set[int]:
    return set(Claim.objects.search(terms).values_list("pk", flat=True))


def substring(terms: str) -> set[int]:
    return set(Claim.objects.filter(text__icontains=terms).values_list("pk", flat=True))


def indexed(terms: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {TRIGRAM_TABLE} WHERE text LIKE %s", [f"%{terms}%"])
        return {rowid for (rowid,) in cursor.fetchall()}


@pytest.mark.parametrize("terms", TERMS)
def test_the_search_finds_what_a_substring_filter_finds(claims, terms):
    assert searched(terms) == substring(terms)


def test_the_search_reads_the_trigram_index(claims):
    sql, params = Claim.objects.search("minister").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " | ".join(row[-1] for row in cursor.fetchall())
    # "INDEX 0:L…": FTS5 answering the LIKE from its trigrams; a bare "INDEX 0:" reads all.
    assert f"SCAN {TRIGRAM_TABLE} VIRTUAL TABLE INDEX 0:L" in plan, plan
    assert searched("minister") == substring("minister") != set()


def test_short_terms_and_wildcards_are_not_looked_up_in_the_index(claims):
    # They cannot be (no trigram, or a LIKE pattern the index would misread): the plain
    # substring test answers them alone.
    for terms in ("ab", "50%", "x_y"):
        assert "claims_claim_trigrams" not in str(claim_text_matches(terms, vendor="sqlite"))
    assert "claims_claim_trigrams" in str(claim_text_matches("minister", vendor="sqlite"))


def test_the_index_follows_claims_added_changed_and_deleted(claims):
    story = article("Rates\n\nThe Treasury Secretary spoke. Rates rose sharply.", title="Rates")
    first, second = story.claims.filter(order__gte=1).order_by("order")
    assert searched("rose sharply") == {second.pk}

    # The merged claim's text holds words its row never held: found only if the index
    # took its new text (the update trigger).
    merged = services.claim_merge_with_next(first)
    assert merged.text == "The Treasury Secretary spoke. Rates rose sharply."
    assert indexed("rose sharply") == {merged.pk} == searched("rose sharply")
    assert searched("spoke. Rates") == {merged.pk}

    left, right = services.claim_split(
        merged, at=merged.start + len("The Treasury Secretary spoke. ")
    )
    assert searched("rose sharply") == {right.pk}
    assert searched("Treasury Secretary") == {left.pk}
    assert searched("spoke. Rates") == set()

    story.delete()
    assert indexed("treasury") == set()
    assert searched("treasury") == set()


def test_bulk_imported_claims_are_indexed(sqlite_with_trigrams, tmp_path):
    from tests.test_import_bulk import run_import, story, write_jsonl

    path = tmp_path / "batch.jsonl"
    write_jsonl(path, [story(n, "Mr. Quuxly spoke.") for n in range(3)])
    run_import(path)
    assert len(indexed("quuxly")) == 3
    assert searched("QUUXLY") == substring("quuxly")


def test_the_migration_made_the_index_and_its_triggers(sqlite_with_trigrams):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name FROM sqlite_master WHERE name LIKE %s", [f"{TRIGRAM_TABLE}%"]
        )
        made = set(cursor.fetchall())
    # A migration that alters Claim makes SQLite's table anew and drops its triggers: it
    # must create them again (0013's create_trigrams), or this fails.
    assert {
        ("table", TRIGRAM_TABLE),
        ("trigger", f"{TRIGRAM_TABLE}_insert"),
        ("trigger", f"{TRIGRAM_TABLE}_delete"),
        ("trigger", f"{TRIGRAM_TABLE}_update"),
    } <= made


def test_admin_claim_search_reads_each_word_in_the_text_or_the_title(claims, editor_eve, client):
    client.force_login(editor_eve)
    response = client.get("/admin/claims/claim/", {"q": 'foreign "Story 0"'})
    assert response.status_code == 200
    listed = {claim.pk for claim in response.context["cl"].result_list}
    # "foreign" in the text or the title, and "Story 0" in the text or the title: Django's
    # own reading of a search, word by word. Story 1's "FOREIGN MINISTERS" is not in
    # "Story 0"; Story 0's heading holds "Story 0" but not "foreign".
    assert listed == {Claim.objects.get(text=TEXTS[0]).pk}


def test_admin_search_counts_by_index_and_pages_in_the_lists_order(claims, editor_eve, client):
    """The count asks the indexes for the matching ids; the page walks the claims in the
    list's order with the ids kept out of the indexes (SQLite's unary +), so that a common
    word does not fetch and sort every match before the first page."""
    client.force_login(editor_eve)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/claims/claim/", {"q": "minister"})
    assert response.status_code == 200
    changelist = response.context["cl"]
    expected = substring("minister") | set(
        Claim.objects.filter(article__title__icontains="minister").values_list("pk", flat=True)
    )
    assert changelist.result_count == len(expected) == 3
    assert {claim.pk for claim in changelist.result_list} == expected
    searched_sql = [q["sql"] for q in queries if TRIGRAM_TABLE in q["sql"]]
    [count] = [sql for sql in searched_sql if sql.startswith("SELECT COUNT(*)")]
    [page] = [sql for sql in searched_sql if not sql.startswith("SELECT COUNT(*)")]
    assert '"claims_claim"."id" IN (SELECT rowid' in count and "+" not in count.split("WHERE")[1]
    assert '+"claims_claim"."id" IN (SELECT rowid' in page
    assert '+"claims_claim"."article_id" IN (SELECT' in page


def test_the_claim_picker_finds_claims_through_the_index(claims, editor_eve, client):
    client.force_login(editor_eve)
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "claims",
            "model_name": "annotation",
            "field_name": "claim",
            "term": "ign Min",
        },
    )
    assert response.status_code == 200, response.content
    found = {int(result["id"]) for result in response.json()["results"]}
    # "The Foreign Minister…" and "FOREIGN MINISTERS MET.": case folded, cut inside words.
    assert found == substring("ign Min") == {Claim.objects.get(text=text).pk for text in TEXTS[:2]}


def test_a_database_migrated_without_the_index_still_searches(claims, editor_eve, client):
    """Migration 0013 makes no index where SQLite lacked the trigram tokenizer; once Python's
    SQLite has it, the search must read every claim, not fail on the missing table."""
    migration = importlib.import_module("claims.migrations.0013_claim_text_trigrams")
    with connection.cursor() as cursor:
        for statement in migration.DROP:  # rolled back with the test's transaction
            cursor.execute(statement)
    forget_trigram_index()
    try:
        assert not trigram_index_here()
        assert TRIGRAM_TABLE not in str(claim_text_matches("minister", vendor="sqlite"))
        assert searched("minister") == substring("minister") != set()
        client.force_login(editor_eve)
        response = client.get("/admin/claims/claim/", {"q": "minister"})
        assert response.status_code == 200
        assert response.context["cl"].result_count == 3
    finally:
        forget_trigram_index()


def test_whether_the_index_is_there_is_asked_again_of_a_new_connection(transactional_db):
    if connection.vendor != "sqlite" or not sqlite_has_trigrams():
        pytest.skip("the trigram index is SQLite's, where it has the trigram tokenizer")
    assert trigram_index_here()
    connection.claims_trigram_index = False  # as if asked before the migration made it
    assert not trigram_index_here()
    connection.close()
    connection.ensure_connection()  # connection_created
    assert trigram_index_here()
