"""A GIN index for full-text search over claim text (``claims.search``), PostgreSQL only.

SQLite has no GIN index nor tsvector; there the search is a substring filter and this
migration does nothing. The index is not part of the model's state (it could not be
declared for one database vendor only), so makemigrations leaves it alone. Its expression
must equal ``claims.search.claim_text_vector()``; tests check that PostgreSQL uses it.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX = GinIndex(SearchVector("text", config="english"), name="claim_text_search")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("claims", "Claim"), INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("claims", "Claim"), INDEX)


class Migration(migrations.Migration):
    dependencies = [("claims", "0010_article_source_html")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
