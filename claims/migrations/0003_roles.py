"""Made the reviewer and editor groups; now 0017_roles_from_one_definition does, from
claims/roles.py. Kept, doing nothing, so that databases that applied it stay consistent."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_error_taxonomy"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = []
