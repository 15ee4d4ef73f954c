"""Refuse exact duplicate annotations (same claim, reviewer, span and error type).

A database that already holds such copies cannot take the constraint. The copies may
differ in their notes, corrections or sources, so this migration does not choose which to
keep: it stops with the list, for an editor to merge them first.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, Min

KEY = ["claim", "reviewer", "start", "end", "error_type"]


def refuse_existing_duplicates(apps, schema_editor):
    Annotation = apps.get_model("claims", "Annotation")
    copies = (
        Annotation.objects.values(*KEY)
        .annotate(n=Count("id"), first=Min("id"))
        .filter(n__gt=1)
        .order_by("first")
    )
    if copies:
        listed = "; ".join(
            f"{row['n']} copies of annotation {row['first']} "
            f"(claim {row['claim']}, reviewer {row['reviewer']}, {row['start']}–{row['end']})"
            for row in copies[:20]
        )
        raise RuntimeError(
            "Exact duplicate annotations exist; merge or delete the copies in the admin, then "
            f"migrate again: {listed}."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0005_workflow_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(refuse_existing_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="annotation",
            constraint=models.UniqueConstraint(
                fields=("claim", "reviewer", "start", "end", "error_type"),
                name="annotation_unique_per_reviewer_span_type",
                violation_error_code="duplicate_annotation",
                violation_error_message="This reviewer already tagged this span with this "
                "error type in this claim.",
            ),
        ),
    ]
