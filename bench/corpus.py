"""The benchmark corpus: news-like articles split by the real splitter, reviewed and adjudicated.

    .venv/bin/python bench/corpus.py --claims 1000000 [--database-url URL]

(default: ``DATABASE_URL``; the database is created and migrated if need be). Other
benchmarks call ``build(claims)`` once Django is set up, and ``database_for(base, claims)``
to keep one database per corpus size, so that a 100,000-claim measurement and a
1,000,000-claim one never share (or shrink) a corpus.

What it holds, for every article (``bench/news.py``: ~5 KB, ~38 claims):

- the claims of ``claims.text.segmentation.split_into_claims``, as ``article_import`` stores them;
- reviews by ``bench-ann`` and ``bench-ben`` (submitted), and by ``bench-cy`` on one
  article in ten;
- on one claim in five (``order % 5 == 1``): one annotation by each of the article's
  reviewers on a number or name in the claim, with a correction, a note and a source (from
  a pool of 200), and their verdicts; ``bench-ben`` picks another error type on a third of
  them, so reviewers disagree as they do;
- on half of those (``order % 10 == 1``): ``bench-eve``'s adjudication, a verdict and one
  final label built from the reviewers' annotations, with its source.

Rows are written with ``bulk_create``, one transaction per batch of articles, so an
interrupted build resumes where it stopped and a corpus grown in two steps equals one built
at once (article ``i`` is always the same text). History rows (django-simple-history) are not
written: nothing here was changed after it was created. A table ``bench_corpus`` records
what was built; ``build`` reuses a corpus that already holds the claims asked for.
"""

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import databases, news, report  # noqa: E402

# The size for the export and the API; BENCH_CLAIMS (bench/run.py --claims) changes
# it for every script of a run, e.g. for a first look on a busy machine.
FULL = int(os.environ.get("BENCH_CLAIMS", 1_000_000))
QUICK = 2_000  # --quick: the smoke test's
# Bumped whenever news.py or the labelling below changes what a corpus holds: a corpus of
# another generation is refused rather than silently grown with different articles.
GENERATION = 2  # 2: claims carry start_utf16/end_utf16
ARTICLES_PER_BATCH = 200
SOURCES = 200
# A corpus reused for N claims holds at least N, and less than one article more.
MAX_CLAIMS_PER_ARTICLE = 200
REVIEWERS = ("bench-ann", "bench-ben", "bench-cy")
EDITOR = "bench-eve"


class CorpusMismatch(Exception):
    """The database holds a corpus this build cannot reuse or grow: the message says why."""


@dataclass(frozen=True)
class Corpus:
    articles: int
    claims: int
    seconds: float  # spent building in this call (0 when reused)
    editor: object
    reviewers: list


def database_for(base_url: str, claims: int) -> str:
    """The URL of the corpus database for ``claims`` claims next to ``base_url``, created
    (as a copy of ``BENCH_TEMPLATE_URL``, a migrated database, when bench/run.py gives one)."""
    url = databases.with_suffix(base_url, f"{claims}")
    if not databases.exists(url):
        databases.fresh(url, template=os.environ.get("BENCH_TEMPLATE_URL"))
    return url


def built_in_child(base_url: str, claims: int) -> tuple[str, int]:
    """The corpus database for ``claims`` claims next to ``base_url``, built or reused by
    this script in a child process (so the caller holds neither the build's memory nor a
    connection to the database), and how many claims it holds."""
    url = database_for(base_url, claims)
    built = subprocess.run(
        [sys.executable, __file__, "--claims", str(claims), "--json", "--database-url", url],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    stored = next(m.value for m in report.parse(built.stdout)["metrics"] if m.name == "claims")
    return url, stored


def build(claims: int, *, progress=None) -> Corpus:
    """Make the current database hold a corpus of at least ``claims`` claims (at most one
    article more), building only what is missing, and return what it holds."""
    from django.db import connection, transaction

    from claims.models import Article

    with transaction.atomic():
        marker = _read_marker()
    # Before migrating: a stale corpus is refused at once, not after a long data migration.
    if marker is not None and marker[0] != GENERATION:
        raise CorpusMismatch(
            f"this database holds a corpus of generation {marker[0]}; this code builds "
            f"generation {GENERATION}: drop the database and build again."
        )
    _migrate_if_needed()
    began = time.perf_counter()
    with transaction.atomic():
        marker = _read_marker()
        if marker is None:
            if Article.objects.exists():
                raise CorpusMismatch(
                    f"{connection.settings_dict['NAME']} holds articles but no benchmark "
                    "corpus: build the corpus in a fresh database."
                )
            _create_cast()
            marker = _write_marker(articles=0, claims=0)
    _, articles, stored = marker
    if stored >= claims + MAX_CLAIMS_PER_ARTICLE:
        raise CorpusMismatch(
            f"this database holds {stored:,} claims, more than the {claims:,} asked: use one "
            "database per size (corpus.database_for)."
        )
    cast = _cast()
    reused = stored >= claims
    while stored < claims:
        with transaction.atomic():
            added_articles, added_claims = _add_batch(articles, cast, claims - stored)
            articles, stored = articles + added_articles, stored + added_claims
            _write_marker(articles=articles, claims=stored)
        if progress:
            progress(stored, claims)
    if not reused:
        # The planner's statistics, as autovacuum would gather them on a live database a
        # while after a bulk load; without them PostgreSQL guesses a million-row table is
        # tiny, or a hundred claim ids match a hundred thousand rows, and seq-scans.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seconds = 0.0 if reused else time.perf_counter() - began
    return Corpus(articles, stored, seconds, cast["editor"], cast["reviewers"])


def _migrate_if_needed() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0)


def _read_marker() -> tuple[int, int, int] | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_corpus (id integer PRIMARY KEY, "
            "generation integer NOT NULL, articles integer NOT NULL, claims integer NOT NULL)"
        )
        cursor.execute("SELECT generation, articles, claims FROM bench_corpus WHERE id = 1")
        return cursor.fetchone()


def _write_marker(*, articles: int, claims: int) -> tuple[int, int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM bench_corpus WHERE id = 1")
        cursor.execute(
            "INSERT INTO bench_corpus (id, generation, articles, claims) VALUES (1, %s, %s, %s)",
            [GENERATION, articles, claims],
        )
    return GENERATION, articles, claims


def _create_cast() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from claims.models import Source
    from claims.text.source_urls import normalise_url

    users = get_user_model().objects
    for username, group in [*((name, "reviewer") for name in REVIEWERS), (EDITOR, "editor")]:
        user = users.create(username=username, is_staff=True)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=group))
    urls = [f"https://statistics.example.org/releases/{n}" for n in range(SOURCES)]
    Source.objects.bulk_create(  # bulk_create skips save(), which sets normalised_url
        Source(
            url=urls[n],
            normalised_url=normalise_url(urls[n]),
            title=f"Statistical release {n}: national accounts, {2000 + n % 25}",
            publisher="Office for National Statistics",
            published_on=date(2000 + n % 25, 1 + n % 12, 1 + n % 28),
            quoted_passage=f"Table {n}.2 gives the revised figure for the year.",
            accessed_on=date(2026, 11, 1),
        )
        for n in range(SOURCES)
    )


def _cast() -> dict:
    from django.contrib.auth import get_user_model

    from claims.models import ErrorType, Source

    users = get_user_model().objects.in_bulk([*REVIEWERS, EDITOR], field_name="username")
    return {
        "editor": users[EDITOR],
        "reviewers": [users[name] for name in REVIEWERS],
        "error_types": list(ErrorType.objects.filter(is_active=True).order_by("position")),
        "sources": list(Source.objects.filter(url__startswith="https://statistics.example.org/")),
    }


@dataclass(frozen=True)
class NewArticle:
    id: int
    index: int  # its place in the corpus: news.article(index) is its text
    text: str


@dataclass(frozen=True)
class NewClaim:
    id: int
    article_id: int
    order: int
    start: int
    text: str
    utf16: tuple[int, int]  # start_utf16, end_utf16


def _add_batch(first: int, cast: dict, claims_missing: int) -> tuple[int, int]:
    """Articles ``first``, ``first + 1``… up to a batch, or fewer once ``claims_missing``
    claims are written; returns (articles, claims) added."""
    from django.utils import timezone

    from bench.inserts import day, insert, moment, next_ids, sync_sequences
    from bench.reviews import review
    from claims.models import Article, Claim, content_hash, utf16_fields
    from claims.text.offsets import Utf16Offsets
    from claims.text.segmentation import split_into_claims

    texts, segments, claims_added = [], [], 0
    for index in range(first, first + ARTICLES_PER_BATCH):
        texts.append(news.article(index))
        segments.append(split_into_claims(texts[-1]))
        claims_added += len(segments[-1])
        if claims_added >= claims_missing:
            break
    ids = next_ids(Article, len(texts))
    articles = [
        NewArticle(id, first + position, text)
        for position, (id, text) in enumerate(zip(ids, texts, strict=True))
    ]
    now = moment(timezone.now())
    insert(
        Article._meta.db_table,
        ["id", "title", "text", "url", "outlet", "byline", "published_on", "language"]
        + ["content_hash", "source_html", "imported_at"],
        (
            (
                article.id,
                article.text.split("\n", 1)[0],
                article.text,
                f"https://news.example.com/{article.index}",
                "The Example Times",
                "Staff reporter",
                day(date(2023, 1, 1) + timedelta(days=article.index % 1000)),
                "en",
                content_hash(article.text),
                "",  # typed text, not a saved web page
                now,
            )
            for article in articles
        ),
    )
    ids = iter(next_ids(Claim, claims_added))
    claims = []
    for article, article_segments in zip(articles, segments, strict=True):
        offsets = Utf16Offsets(article.text)
        claims += [
            NewClaim(
                next(ids),
                article.id,
                order,
                segment.start,
                segment.text,
                utf16_fields(offsets, segment.start, segment.end),
            )
            for order, segment in enumerate(article_segments)
        ]
    kinds = [segment.kind for article_segments in segments for segment in article_segments]
    paragraphs = [s.paragraph for article_segments in segments for s in article_segments]
    insert(
        Claim._meta.db_table,
        ["id", "article_id", "order", "paragraph", "start", "end", "text", "kind"]
        + ["start_utf16", "end_utf16"],
        (
            (c.id, c.article_id, c.order, paragraph, c.start, c.start + len(c.text), c.text, kind)
            + c.utf16
            for c, paragraph, kind in zip(claims, paragraphs, kinds, strict=True)
        ),
    )
    review(articles, claims, cast)
    sync_sequences([Article, Claim])
    return len(articles), len(claims)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, help=f"default {FULL:,}; --quick {QUICK:,}")
    parser.add_argument(
        "--database-url",
        help="default: the database for this size next to BENCH_CORPUS_URL, else DATABASE_URL",
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true", help="print bench/run.py's JSON line")
    options = parser.parse_args()
    claims = options.claims or (QUICK if options.quick else FULL)
    url = options.database_url
    if url is None and os.environ.get("BENCH_CORPUS_URL"):
        url = database_for(os.environ["BENCH_CORPUS_URL"], claims)
    url = url or os.environ.get("DATABASE_URL")
    if not url:
        parser.error("give --database-url or set DATABASE_URL")
    databases.create(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()

    def progress(stored: int, wanted: int) -> None:
        print(f"\r{stored:,} / {wanted:,} claims", end="", file=sys.stderr, flush=True)

    try:
        built = build(claims, progress=progress)
    except CorpusMismatch as error:
        sys.exit(f"bench/corpus.py: {error}")
    verb = f"built in {built.seconds:.1f} s" if built.seconds else "reused"
    print(f"\n{built.claims:,} claims in {built.articles:,} articles, {verb}", file=sys.stderr)
    if options.json:
        report.emit(
            "corpus",
            databases.vendor(url),
            [
                report.Metric("claims", built.claims, "claims"),
                report.Metric("articles", built.articles, "articles"),
                report.Metric(
                    "build rate (reused: -)",
                    round(built.claims / built.seconds) if built.seconds else None,
                    "claims/s",
                ),
            ],
        )


if __name__ == "__main__":
    main()
