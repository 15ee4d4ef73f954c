"""Django's ``loaddata``, recording no history while it loads.

Loading sets each row's many-to-many fields (an annotation's sources, a final label's
origins) after saving it, and django-simple-history would record each as a new change, dated
now, by nobody. A backup already holds the whole history, so a restore must add none.
Everything else, the format included, is Django's own command.
"""

from django.core.management.commands import loaddata
from django.test.utils import override_settings


class Command(loaddata.Command):
    help = f"{loaddata.Command.help} (Records no history while loading: the data holds it.)"

    def handle(self, *fixture_labels, **options):
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            return super().handle(*fixture_labels, **options)
