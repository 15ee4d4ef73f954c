"""Gave the groups the workflow's permissions; now 0017_roles_from_one_definition does,
from claims/roles.py. Kept, doing nothing, so that databases that applied it stay
consistent."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_review_workflow_and_history")]
    operations = []
