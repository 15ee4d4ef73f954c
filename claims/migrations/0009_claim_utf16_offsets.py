"""Claims gain their offsets in UTF-16 code units, filled from each article's text."""

from django.db import migrations, models

from claims.text.offsets import Utf16Offsets


def fill(apps, schema_editor):
    Article = apps.get_model("claims", "Article")
    Claim = apps.get_model("claims", "Claim")
    for article in Article.objects.only("text").iterator(chunk_size=200):
        offsets = Utf16Offsets(article.text)
        claims = list(Claim.objects.filter(article=article).only("start", "end"))
        for claim in claims:
            claim.start_utf16, claim.end_utf16 = offsets(claim.start), offsets(claim.end)
        Claim.objects.bulk_update(claims, ["start_utf16", "end_utf16"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("claims", "0008_revisions_anchors_source_history")]

    operations = [
        migrations.AddField("claim", "start_utf16", models.PositiveIntegerField(null=True)),
        migrations.AddField("claim", "end_utf16", models.PositiveIntegerField(null=True)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField("claim", "start_utf16", models.PositiveIntegerField(editable=False)),
        migrations.AlterField("claim", "end_utf16", models.PositiveIntegerField(editable=False)),
    ]
