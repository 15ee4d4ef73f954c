"""The reviewer and editor groups, with the permissions the code checks.

Permissions are normally created after all migrations ran; they are created here first
so that the groups can hold them on a brand-new database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWER = [
    "view_article", "add_article", "view_claim", "change_claim", "view_errortype",
    "view_source", "add_source", "change_source",
    "view_annotation", "add_annotation", "change_annotation", "delete_annotation",
    "view_verdict", "add_verdict", "change_verdict", "delete_verdict",
]
EDITOR = REVIEWER + [
    "change_article", "delete_article", "add_claim", "delete_claim",
    "add_errortype", "change_errortype", "delete_source",
    "change_any_annotation", "export_claims",
]


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("reviewer", REVIEWER), ("editor", EDITOR)):
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for group {name}: {sorted(missing)}")
        group.permissions.add(*perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["reviewer", "editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_error_taxonomy"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
