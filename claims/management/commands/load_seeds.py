from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claims.seeding import load_seeds


class Command(BaseCommand):
    help = (
        "Load the seed article, two reviewers' reviews and the adjudicated final labels "
        "from seeds/ (safe to run again)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=settings.BASE_DIR / "seeds")

    def handle(self, *args, directory, **options):
        if not (directory / "gold.json").is_file():
            raise CommandError(f"{directory} has no gold.json; is it the project's seeds/?")
        try:
            summary = load_seeds(directory)
        except (ValueError, KeyError, ValidationError) as error:
            raise CommandError(f"The seeds in {directory} are inconsistent: {error}") from error
        self.stdout.write(
            f"Seeds loaded: {summary.articles} new article(s), "
            f"{summary.annotations} new annotation(s), "
            f"{summary.verdicts} new verdict(s), "
            f"{summary.final_labels} new final label(s)."
        )
