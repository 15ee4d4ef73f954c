"""The starting taxonomy of newsroom errors.

Objective/subjective follows Charnley's (1936) split as used in Tillinghast's (1982)
accuracy studies and Maier's (2005) newsroom surveys; the translation family follows the
Multidimensional Quality Metrics (MQM) accuracy and fluency branches. Editors extend or
retire types in the admin; rows referenced by annotations cannot be deleted, only retired.
"""

from django.db import migrations

TAXONOMY = [
    # slug, name, family, definition
    ("wrong-name", "Wrong name", "objective",
     "A person, organisation or thing is named wrongly or misspelt."),
    ("wrong-title", "Wrong title or role", "objective",
     "A person is given a title, office or role they do not or did not hold."),
    ("wrong-number", "Wrong number", "objective",
     "A figure, amount, count, percentage or unit is wrong."),
    ("wrong-date", "Wrong date or time", "objective",
     "An event is placed on the wrong day, month, year or time."),
    ("wrong-place", "Wrong place", "objective",
     "An event or person is placed in the wrong location."),
    ("misquote", "Misquote", "objective",
     "Words inside quotation marks differ from what the speaker said."),
    ("misattribution", "Misattribution", "objective",
     "A statement, quote or action is credited to the wrong source."),
    ("unsupported-claim", "Unsupported claim", "objective",
     "A factual assertion is given without evidence and cannot be supported."),
    ("faulty-headline", "Faulty headline", "subjective",
     "The headline says something the story does not support."),
    ("omission", "Missing context or omission", "subjective",
     "A fact needed to understand the claim correctly is left out."),
    ("misleading-emphasis", "Misleading emphasis", "subjective",
     "Wording or emphasis gives a wrong impression though each fact is right."),
    ("out-of-context", "Out of context", "subjective",
     "A true statement, quote or image is used in a setting that changes its meaning."),
    ("mistranslation", "Mistranslation", "translation",
     "The translation says something other than the source text meant (MQM accuracy)."),
    ("addition", "Addition", "translation",
     "The text contains content absent from the source (MQM accuracy: addition)."),
    ("fluency", "Fluency", "translation",
     "Grammar, spelling, punctuation or duplicated words (\u201cadded added\u201d) (MQM fluency)."),
]


def load_taxonomy(apps, schema_editor):
    ErrorType = apps.get_model("claims", "ErrorType")
    for position, (slug, name, family, definition) in enumerate(TAXONOMY):
        ErrorType.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "family": family, "definition": definition,
                      "position": position},
        )


def unload_taxonomy(apps, schema_editor):
    ErrorType = apps.get_model("claims", "ErrorType")
    ErrorType.objects.filter(slug__in=[row[0] for row in TAXONOMY], annotations=None).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]
    operations = [migrations.RunPython(load_taxonomy, unload_taxonomy)]
