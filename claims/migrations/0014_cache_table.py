"""The database cache's table, so that ``migrate`` alone makes a working database.

The login throttle and the token endpoint keep their counters in the cache
(settings.CACHES: DatabaseCache). Django makes its table only with ``createcachetable``,
which a deployment that runs just ``migrate`` (a container's entry point, say) never ran,
and the token endpoint then answered 500. The command is idempotent and makes nothing for
a cache of another kind, so a newsroom that points CACHES at Redis gets no stray table.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("claims", "0013_claim_text_trigrams")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
