from collections import Counter
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims import permissions, services
from claims.importers.articles import count_records, is_address, read_address, read_articles
from claims.importers.labels import label_file
from claims.importers.labels.loading import load as load_labels
from claims.services.bulk_import import BATCH_SIZE, WRITERS, Status


class Command(BaseCommand):
    help = (
        "Import articles from .txt (first line is the title), .json or .jsonl files, saved "
        "web pages (.html, .htm) or the addresses of pages (file://, http://, https://), and "
        "split each into claims. Articles already stored (same url or text) are skipped; "
        "with --update, an article stored under the same url with other text is revised. "
        "doccano JSONL, Label Studio JSON and our own export are recognised by their shape "
        "and imported with their labels, under the reviewers they name."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument(
            "--update",
            action="store_true",
            help="Revise an article stored under the same url whose text changed: it is "
            "re-split and its labels re-anchored (the old text is kept as a revision).",
        )
        parser.add_argument(
            "--by", metavar="USERNAME", help="The editor the revisions are recorded as."
        )
        parser.add_argument(
            "--create-error-types",
            action="store_true",
            help="Add a label file's unknown labels to the error taxonomy (refused otherwise).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Articles written per transaction (default {BATCH_SIZE}). A batch the "
            "database refuses is retried article by article, so one bad article fails alone.",
        )
        parser.add_argument(
            "--writers",
            type=int,
            default=WRITERS,
            help=f"Batches written at once on PostgreSQL, each by a connection of its own "
            f"(default {WRITERS}); 1 writes one after the other. SQLite always writes one.",
        )

    def handle(
        self,
        *args,
        paths,
        update=False,
        by=None,
        create_error_types=False,
        batch_size=BATCH_SIZE,
        writers=WRITERS,
        **options,
    ):
        missing = [path for path in paths if not is_address(path) and not Path(path).is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")
        if batch_size < 1:
            raise CommandError(f"--batch-size must be at least 1, not {batch_size}.")
        if writers < 1:
            raise CommandError(f"--writers must be at least 1, not {writers}.")
        editor = _editor(by) if update else None
        labelled = {
            path: found
            for path in paths
            if not is_address(path) and (found := label_file(Path(path)))
        }
        label_problems = []
        if labelled:
            label_problems = self._import_labels(labelled.values(), create_error_types)
            paths = [path for path in paths if path not in labelled]
            if not paths:  # label files only: their summary was the whole story
                if label_problems:
                    raise CommandError(f"{len(label_problems)} label sets failed.")
                return
        # Files are read as the batches go, never all at once: memory stays bounded
        # however many articles there are. Counting them first costs a quick read.
        total = sum(1 if is_address(path) else count_records(Path(path)) for path in paths)
        records = (
            record
            for path in paths
            for record in ([read_address(path)] if is_address(path) else read_articles(Path(path)))
        )
        counts = Counter()
        claims = 0
        problems: list[str] = []
        outcomes = services.articles_import_bulk(
            records, revise_by=editor, batch_size=batch_size, writers=writers
        )
        # tqdm stays silent when stderr is not a terminal (CI, pipes) and on short runs.
        for outcome in tqdm(
            outcomes,
            total=total,
            unit="article",
            disable=None if total > 20 else True,
        ):
            counts[outcome.status] += 1
            claims += outcome.claims
            if outcome.status is Status.FAILED:
                problems.append(f"{outcome.where}: {outcome.problem}")
            elif outcome.status is Status.REVISED:
                self.stdout.write(f"{outcome.where}: revised; {_summary(outcome.revision)}")
        for problem in problems:
            self.stderr.write(problem)
        created = counts[Status.CREATED]
        summary = (
            f"Imported {created} article{'s' * (created != 1)} ({claims} claims), "
            f"{counts[Status.STORED]} already stored, "
            + (f"{counts[Status.REVISED]} revised, " if update else "")
            + f"{len(problems)} failed."
        )
        if problems or label_problems:
            raise CommandError(summary)
        self.stdout.write(summary)

    def _import_labels(self, files, create_error_types: bool) -> list[str]:
        """Label files (doccano, Label Studio, our export): notes, problems and summary
        written here; the problems are returned."""
        report = load_labels(
            (item for found in files for item in found), create_error_types=create_error_types
        )
        for note in report.notes:
            self.stdout.write(note)
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(report.summary())
        return report.problems


def _editor(username: str | None):
    if not username:
        raise CommandError("--update needs --by USERNAME: each revision records its editor.")
    user = get_user_model().objects.filter(username=username).first()
    if user is None or not permissions.may_revise_article(user):
        raise CommandError(f"“{username}” is not an editor; only editors revise articles.")
    return user


def _summary(report: services.RevisionReport) -> str:
    labels = {
        kind: report.annotations[kind] + report.final_labels[kind] for kind in report.annotations
    }
    return ", ".join(f"{count} {kind}" for kind, count in labels.items()) + " labels"
