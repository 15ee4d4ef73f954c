"""The groups, exactly as claims/roles.py defines the roles.

A database that ran 0003_roles and 0005_workflow_roles already holds these (their union is
the definition); a new one gets them here. A later change to a role is a new migration
calling ``roles.sync_groups`` again. Going back leaves the groups as they are."""

from django.db import migrations

from claims import roles


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0016_source_normalised_url"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(roles.sync_groups, migrations.RunPython.noop)]
