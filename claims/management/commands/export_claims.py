from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims import exports
from claims.filters import ClaimFilter
from claims.models import Claim


class Command(BaseCommand):
    help = "Write labelled claims to a file, the same records as /api/v1/export/claims."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=list(exports.WRITERS), default="jsonl")
        parser.add_argument(
            "--labels",
            choices=list(exports.LABELS),
            default="all",
            help="Every reviewer's raw labels, the final (adjudicated) labels, "
            "or both (the default).",
        )
        parser.add_argument("--output", default="-", help="File to write; - for stdout.")
        parser.add_argument("--article", help="Article id.")
        parser.add_argument("--kind", action="append", help="Claim kind (repeatable).")
        parser.add_argument("--error-type", help="Error type slug.")
        parser.add_argument("--reviewer", help="Reviewer username or id.")
        parser.add_argument("--has-errors", choices=["true", "false"])
        parser.add_argument("--search", help="Words in the claim's text (as the API's ?search=).")

    def handle(self, *args, **options):
        given = {
            name: options[name]
            for name in ("article", "error_type", "reviewer", "has_errors", "search")
            if options[name]
        }
        if options["kind"]:
            given["kind"] = options["kind"]
        claims = ClaimFilter(given, queryset=Claim.objects.all())
        if not claims.is_valid():
            raise CommandError(
                "; ".join(
                    f"--{field.replace('_', '-')}: {' '.join(errors)}"
                    for field, errors in claims.errors.items()
                )
            )
        writer = exports.WRITERS[options["format"]]
        labels = options["labels"]
        if labels not in exports.labels_for(writer):
            raise CommandError(
                f"--format {options['format']} needs --labels "
                f"{' or '.join(exports.labels_for(writer))}, not {labels}."
            )
        export = exports.Export(writer, claims.qs, labels=labels)
        if options["output"] == "-":
            try:
                for chunk in export:
                    self.stdout.write(chunk.decode(), ending="")
            except BrokenPipeError:  # piped into head or less, which closed early: not an error
                pass
            return
        path = Path(options["output"])
        try:
            with path.open("wb") as out:
                out.writelines(export)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}") from error
        self.stderr.write(
            f"Wrote {export.records_written} claims to {path} "
            f"({options['format']}, {labels} labels)."
        )
