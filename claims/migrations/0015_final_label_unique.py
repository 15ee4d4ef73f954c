"""Refuse two identical final labels in one claim (same span and error type).

The adjudication page's defaults used to accept one final label twice (issue 18), so a
database may hold such copies. Unlike reviewers' duplicate annotations (0006, which stops
for an editor to choose), these are copies of one editor decision made from the same
candidates: the first is kept, the later ones' origins and sources are added to it, and
the later ones are deleted.
"""

from django.db import migrations, models
from django.db.models import Count, Min

KEY = ["adjudication", "start", "end", "error_type"]


def merge_duplicate_final_labels(apps, schema_editor):
    FinalAnnotation = apps.get_model("claims", "FinalAnnotation")
    copied = (
        FinalAnnotation.objects.filter(start__isnull=False)
        .values(*KEY)
        .annotate(n=Count("id"), first=Min("id"))
        .filter(n__gt=1)
    )
    for row in copied:
        kept = FinalAnnotation.objects.get(pk=row["first"])
        later = FinalAnnotation.objects.filter(**{f: row[f] for f in KEY}).exclude(pk=kept.pk)
        for copy in later:
            kept.from_annotations.add(*copy.from_annotations.all())
            kept.sources.add(*copy.sources.all())
        later.delete()
    if copied and schema_editor.connection.vendor == "postgresql":
        # The deletes left deferred foreign-key checks pending, and PostgreSQL will not
        # alter a table with pending trigger events in the same transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    # On main this follows 0014_cache_table; the branch it was written on had no 0014.
    dependencies = [("claims", "0014_cache_table")]

    operations = [
        migrations.RunPython(merge_duplicate_final_labels, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="finalannotation",
            constraint=models.UniqueConstraint(
                fields=("adjudication", "start", "end", "error_type"),
                name="final_annotation_unique_span_type",
                violation_error_code="duplicate_final_label",
                violation_error_message="This claim already has a final label with this span "
                "and error type.",
            ),
        ),
    ]
