from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from claims import interchange, permissions, services
from claims.importing import ImportProblem, is_address, read_address, read_articles
from claims.interchange.loading import load as load_labels
from claims.models import Article


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

    def handle(self, *args, paths, update=False, by=None, create_error_types=False, **options):
        missing = [path for path in paths if not is_address(path) and not Path(path).is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")
        editor = _editor(by) if update else None
        created = existing = claims = revised = 0
        problems: list[str] = []
        labelled = {
            path: found
            for path in paths
            if not is_address(path) and (found := interchange.label_file(Path(path)))
        }
        label_problems = []
        if labelled:
            label_problems = self._import_labels(labelled.values(), create_error_types)
            paths = [path for path in paths if path not in labelled]
            if not paths:  # label files only: their summary was the whole story
                if label_problems:
                    raise CommandError(f"{len(label_problems)} label sets failed.")
                return
        records = [
            record
            for path in paths
            for record in ([read_address(path)] if is_address(path) else read_articles(Path(path)))
        ]
        # tqdm stays silent when stderr is not a terminal (CI, pipes) and on short runs.
        for record in tqdm(records, unit="article", disable=None if len(records) > 20 else True):
            if isinstance(record, ImportProblem):
                problems.append(f"{record.where}: {record.message}")
                continue
            try:
                if editor is not None and (report := _revise(record.fields, editor)):
                    revised += 1
                    self.stdout.write(f"{record.where}: revised; {_summary(report)}")
                    continue
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
            f"{existing} already stored, "
            + (f"{revised} revised, " if update else "")
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


def _revise(fields: dict, editor) -> services.RevisionReport | None:
    """Revise the article stored under this url if its text changed; None otherwise."""
    url = fields.get("url")
    stored = Article.objects.filter(url=url).first() if url else None
    if stored is None or services.canonical_text(fields["text"]) == stored.text:
        return None
    return services.article_revise(
        article=stored,
        text=fields["text"],
        title=fields.get("title", ""),
        by=editor,
        source_html=fields.get("source_html"),
    )


def _summary(report: services.RevisionReport) -> str:
    labels = {
        kind: report.annotations[kind] + report.final_labels[kind] for kind in report.annotations
    }
    return ", ".join(f"{count} {kind}" for kind, count in labels.items()) + " labels"
