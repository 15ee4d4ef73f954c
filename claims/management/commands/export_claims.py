from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims import exports
from claims.exports import links
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
        parser.add_argument(
            "--site-url",
            help="Where the app is reached: the start of the w3c and claimreview addresses "
            f"(ids, urls). Default: FACTCHECK_SITE_URL, else {links.DEFAULT_SITE_URL} (the "
            "API uses the origin a request came to; the command has no request).",
        )
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
        site_url = options["site_url"]
        if site_url is not None and not site_url.startswith(("http://", "https://")):
            raise CommandError(
                f"--site-url {site_url}: use an http(s) URL such as https://example.org."
            )
        export = exports.Export(writer, claims.qs, labels=labels, site_url=site_url)
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
