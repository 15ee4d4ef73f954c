from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from claims import services
from claims.importing import ImportProblem, read_articles


class Command(BaseCommand):
    help = (
        "Import articles from .txt (first line is the title), .json or .jsonl files, "
        "split each into claims. Articles already stored (same url or text) are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)

    def handle(self, *args, paths, **options):
        missing = [str(path) for path in paths if not path.is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")
        created = existing = claims = 0
        problems: list[str] = []
        records = [record for path in paths for record in read_articles(path)]
        # tqdm stays silent when stderr is not a terminal (CI, pipes) and on short runs.
        for record in tqdm(records, unit="article", disable=None if len(records) > 20 else True):
            if isinstance(record, ImportProblem):
                problems.append(f"{record.where}: {record.message}")
                continue
            try:
                result = services.article_import(**record.fields)
            except ValidationError as error:
                problems.append(f"{record.where}: {' '.join(error.messages)}")
                continue
            except DatabaseError as error:  # e.g. text the database cannot store
                problems.append(f"{record.where}: the database refused it: {error}".strip())
                continue
            if result.created:
                created += 1
                claims += result.article.claims.count()
            else:
                existing += 1
        for problem in problems:
            self.stderr.write(problem)
        summary = (
            f"Imported {created} article{'s' * (created != 1)} ({claims} claims), "
            f"{existing} already stored, {len(problems)} failed."
        )
        if problems:
            raise CommandError(summary)
        self.stdout.write(summary)
