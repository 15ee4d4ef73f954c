"""A GIN index for the admin's search over annotations (``claims.admin.searching``),
PostgreSQL only: the words of an annotation's quote, correction and note.

Without it the admin's search read every annotation's three texts as substrings (1–3 s at
400,000 annotations for a word that matches few). As with ``0011_claim_text_search``, the
index is not part of the model's state (it exists on one database vendor only) and SQLite
is left alone; its expression must equal ``claims.search.annotation_text_vector()``, and a
test checks that PostgreSQL uses it.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX = GinIndex(
    SearchVector("quote", "correction", "note", config="english"),
    name="annotation_text_search",
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("claims", "Annotation"), INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("claims", "Annotation"), INDEX)


class Migration(migrations.Migration):
    dependencies = [("claims", "0011_claim_text_search")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
