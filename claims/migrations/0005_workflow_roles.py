"""Give the reviewer and editor groups the workflow's permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWER = ["view_assignment", "view_adjudication", "view_finalannotation"]
EDITOR = REVIEWER + [
    "add_assignment", "change_assignment", "delete_assignment",
    "assign_reviews", "view_all_reviews", "adjudicate",
    "add_adjudication", "change_adjudication",
    "add_finalannotation", "change_finalannotation", "delete_finalannotation",
]


def grant(apps, schema_editor):
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


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("reviewer", REVIEWER), ("editor", EDITOR)):
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.remove(*Permission.objects.filter(
                content_type__app_label="claims", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_review_workflow_and_history")]
    operations = [migrations.RunPython(grant, revoke)]
