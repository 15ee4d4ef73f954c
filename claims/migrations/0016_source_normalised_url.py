"""One source per address and adder: ``Source.normalised_url`` (issue 18).

Sources typed again by an address already stored were stored again. This fills the new
column from each url (``claims.text.source_urls``, the function the model uses) and merges one
adder's copies into their first of each address: annotations and final labels citing a
copy cite the first (once), their history too, and the copies are deleted. The first keeps
its own title and details. Copies by different adders stay apart: under blind review,
re-pointing Ben's annotation at Ann's source would show him her unsubmitted work.
Sources without an adder (seeds, imports, deleted users) are merged as one adder's (no
one's words are shown to another that way), but no constraint keeps them one per address:
deleting a user leaves their sources without an adder beside any others. Only then is
the per-adder constraint added.
"""

from django.db import migrations, models
from django.db.models import Count, Min

from claims.text.source_urls import normalise_url

BATCH = 2000
# (model, the column naming the row that cites a source); the history tables have no
# constraint of their own, the current ones one link per row and source.
CITING = [
    ("Annotation_sources", "annotation_id"),
    ("FinalAnnotation_sources", "finalannotation_id"),
]
CITING_HISTORY = ["HistoricalAnnotation_sources", "HistoricalFinalAnnotation_sources"]


def fill_and_merge(apps, schema_editor):
    Source = apps.get_model("claims", "Source")
    batch = []
    for source in Source.objects.only("pk", "url").iterator(chunk_size=BATCH):
        source.normalised_url = normalise_url(source.url)
        batch.append(source)
        if len(batch) == BATCH:
            Source.objects.bulk_update(batch, ["normalised_url"])
            batch = []
    Source.objects.bulk_update(batch, ["normalised_url"])
    copied = (
        Source.objects.values("normalised_url", "added_by")  # GROUP BY: NULLs are one group
        .order_by()
        .annotate(n=Count("id"), first=Min("id"))
        .filter(n__gt=1)
    )
    for row in copied:
        later = Source.objects.filter(
            normalised_url=row["normalised_url"], added_by=row["added_by"]
        ).exclude(pk=row["first"])
        _recite(apps, list(later.values_list("pk", flat=True)), row["first"])
        later.delete()
    if copied and schema_editor.connection.vendor == "postgresql":
        # The deletes left deferred foreign-key checks pending, and PostgreSQL will not
        # alter a table with pending trigger events in the same transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _recite(apps, copies: list[int], first: int) -> None:
    for name, owner in CITING:
        Through = apps.get_model("claims", name)
        citing_first = set(Through.objects.filter(source_id=first).values_list(owner, flat=True))
        for link in Through.objects.filter(source_id__in=copies).order_by("pk"):
            if getattr(link, owner) in citing_first:
                link.delete()
            else:
                citing_first.add(getattr(link, owner))
                link.source_id = first
                link.save(update_fields=["source"])
    for name in CITING_HISTORY:
        apps.get_model("claims", name).objects.filter(source_id__in=copies).update(source_id=first)


class Migration(migrations.Migration):
    dependencies = [("claims", "0015_final_label_unique")]

    operations = [
        migrations.AddField(
            model_name="historicalsource",
            name="normalised_url",
            field=models.CharField(blank=True, editable=False, max_length=1001),
        ),
        migrations.AddField(
            model_name="source",
            name="normalised_url",
            field=models.CharField(blank=True, default="", editable=False, max_length=1001),
            preserve_default=False,
        ),
        migrations.RunPython(fill_and_merge, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.UniqueConstraint(
                fields=("normalised_url", "added_by"), name="source_one_per_address_and_adder"
            ),
        ),
    ]
