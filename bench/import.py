"""Import benchmark: ``import_articles`` on N news-like 5 KB articles, beside a floor.

Writes N generated articles to a JSON Lines file, then, each in a fresh database of its own:

- import: the real command (``call_command("import_articles", file)``) in a child process,
  timed from the call to its return, with the child's peak RSS;
- floor: the same rows (articles and their claims, split beforehand and not timed) written
  by the database's own bulk path, with no splitting, validation or ORM: ``COPY`` on
  PostgreSQL, multi-row ``INSERT``s on SQLite, one transaction.

Each is measured in wall time and in CPU seconds of the process and, apart, of the
PostgreSQL server (read from /proc: the server is local). On a shared machine the CPU
figures are the ones to read. With two idle cores the importer's Python and the server
overlap: claims stream to the server by ``COPY`` as they are split, and the import writes
two batches at once, each by a connection of its own (``claims.services.bulk_import``), so
the wall time of an idle machine lies between half their sum and their sum. The floor
writes through one connection, as a plain ``COPY`` does.

It prints a table (on stderr with ``--json``, which prints bench/run.py's JSON line last).
The two databases sit beside DATABASE_URL's (``…-import.sqlite3``/``…_import``, ``…_floor``;
a temporary SQLite file without it), copies of ``BENCH_TEMPLATE_URL`` when bench/run.py gives
that migrated database, migrated here otherwise; dropped afterwards unless ``--keep``.

    .venv/bin/python bench/import.py [--articles 5000] [--json] [--quick]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench bench/import.py
"""

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import databases, report  # noqa: E402

TARGET_ARTICLES_PER_S = 500  # issue 9, PostgreSQL
QUICK_ARTICLES = 50  # --quick: the smoke test's

# ---------------------------------------------------------------------------------------
# News-like articles: a title line, then paragraphs of one to three sentences, about 5 KB.
# Sentences carry what news text carries and the splitter must get right: titles and
# abbreviations (Mr., Dr., U.S.), decimals, times, quotations with attribution, a caption.

PEOPLE = [
    "Antony Blinken",
    "Wang Yi",
    "Janet Yellen",
    "Olaf Scholz",
    "Ursula von der Leyen",
    "Narendra Modi",
    "Luiz Inácio Lula da Silva",
    "Emmanuel Macron",
    "Fumio Kishida",
    "Cyril Ramaphosa",
]
ROLES = [
    "Secretary of State",
    "Foreign Minister",
    "Treasury Secretary",
    "Chancellor",
    "Commission President",
    "Prime Minister",
    "President",
]
PLACES = ["Beijing", "Washington", "Brussels", "New Delhi", "Brasília", "Tokyo", "Pretoria"]
TOPICS = [
    "military communications",
    "export controls on chips",
    "the climate finance pledge",
    "grain shipments",
    "interest rates",
    "the ceasefire talks",
    "rare-earth supplies",
]
SENTENCES = [
    "{person} met officials in {place} on Monday to discuss {topic}, the first such visit "
    "since {year}, and was expected to stay until the end of the week.",
    "Mr. {surname} told reporters at 3.30 p.m. that progress on {topic} was “real but slow,” "
    "adding that negotiators from both sides would meet again within a month.",
    "The {role} said the U.S. would not change course on {topic}. Officials in {place}, who "
    "had hoped for a softer line, said they were disappointed by the tone of the talks.",
    "“We have made our position on {topic} clear, and we will not repeat it every week,” "
    "{person} said. “The next step is theirs, and the world is watching.”",
    "Trade between the two countries rose {pct}.{dec} per cent last year, to ${bn}.{dec} "
    "billion, despite the tariffs both governments imposed in {year}.",
    "Dr. {surname}, an economist who advised the {role} until {year}, said the figures had "
    "been revised on {month} {day} and that the earlier estimate was far too optimistic.",
    "Analysts at St. Andrews University expect {topic} to dominate the summit in {place}, "
    "where delegations from more than {n} countries are due to arrive next week.",
    "The meeting, the first of its kind since {year}, lasted {hours} hours, according to a "
    "statement released by the office of the {role} late on Tuesday evening.",
    "Critics said the talks on {topic} had produced little of substance: “It was a photo "
    "opportunity, nothing more,” one senior diplomat in {place} told this newspaper.",
    "{person}, who became {role} in {year}, has visited {place} {times} times, more than any "
    "of the predecessors who held the post over the past two decades.",
    "Shares in {place} fell {pct}% in early trading after the announcement about {topic}, "
    "before recovering some of their losses in the afternoon.",
    "A spokesperson for the {role} declined to comment on reports that {topic} had been "
    "dropped from the agenda at the last minute, citing the sensitivity of the talks.",
    "Some {n} delegates attended the conference, down from {m} in {year}, when the event was "
    "last held in {place} amid protests over {topic}.",
    "Journalists travelling with the U.S. delegation were told it would leave {place} on "
    "{month} {day}, a day earlier than planned, without giving a reason.",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "September"]


def news_article(number: int, chars: int = 5000) -> dict:
    """Article ``number``: deterministic, unique, about ``chars`` characters of text."""
    pick = random.Random(number)
    person = pick.choice(PEOPLE)
    title = f"{person} in {pick.choice(PLACES)}: talks on {pick.choice(TOPICS)} ({number})"
    paragraphs: list[str] = []
    size = len(title)
    while size < chars - 300:  # the last paragraph overshoots by half of one on average
        sentences = []
        for _ in range(pick.randint(1, 3)):
            who = pick.choice(PEOPLE)
            sentences.append(
                pick.choice(SENTENCES).format(
                    person=who,
                    surname=who.split()[-1],
                    role=pick.choice(ROLES),
                    place=pick.choice(PLACES),
                    topic=pick.choice(TOPICS),
                    pct=pick.randint(1, 40),
                    dec=pick.randint(0, 9),
                    bn=pick.randint(10, 700),
                    month=pick.choice(MONTHS),
                    day=pick.randint(1, 28),
                    year=pick.randint(2008, 2023),
                    hours=pick.randint(2, 9),
                    times=pick.randint(2, 12),
                    n=pick.randint(50, 900),
                    m=pick.randint(50, 900),
                )
            )
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    paragraphs.insert(len(paragraphs) // 2, f"Photo: {person} in {pick.choice(PLACES)}. Reuters")
    return {
        "title": title,
        "text": title + "\n\n" + "\n\n".join(paragraphs) + "\n",
        "url": f"https://news.example/{number}",
        "outlet": "Example News",
        "byline": "A. Reporter",
        "published": f"2023-{pick.randint(1, 12):02d}-{pick.randint(1, 28):02d}",
    }


def write_corpus(path: Path, articles: int) -> int:
    with path.open("w", encoding="utf-8") as out:
        for number in range(articles):
            out.write(json.dumps(news_article(number), ensure_ascii=False) + "\n")
    return path.stat().st_size


# ---------------------------------------------------------------------------------------
# Child processes: each sets Django up on its own database and times one thing.


def child_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()


class Measured:
    """Wall time, and CPU seconds of this process plus the PostgreSQL server's (read from
    /proc: the server is local), so that a figure means something on a busy shared machine:
    articles per CPU second is what an idle machine would do, about.

    The server's CPU is all of it: the postmaster, its live children and the children it
    has reaped. The import writes through several connections at once, opened and closed as
    it goes, and the work it causes (autovacuum's, the full-text index's pending list)
    counts too. Nothing else should use the server meanwhile.
    """

    def __enter__(self):
        from django.db import connection

        self.postmaster = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend = cursor.fetchone()[0]
            self.postmaster = int(_proc_stat(backend)[1])  # a backend's parent
        self._wall, self._own, self._server = time.perf_counter(), own_cpu(), self.server_cpu()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._wall
        self.own_cpu = own_cpu() - self._own
        server = self.server_cpu()
        self.server = 0.0 if server is None or self._server is None else server - self._server
        self.cpu = self.own_cpu + self.server

    def server_cpu(self) -> float | None:
        if self.postmaster is None:
            return 0.0  # SQLite works inside this process
        try:
            children = Path(f"/proc/{self.postmaster}/task/{self.postmaster}/children")
            pids = [self.postmaster, *map(int, children.read_text().split())]
            ticks = 0
            for pid in pids:
                try:
                    fields = _proc_stat(pid)
                except OSError:
                    continue  # ended since: the postmaster's reaped figures count it
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
                if pid == self.postmaster:
                    ticks += int(fields[13]) + int(fields[14])  # reaped children's
        except OSError:
            return None
        return ticks / os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int) -> list[str]:
    """/proc/PID/stat's fields after the command name (state, ppid, …)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child_import(path: Path) -> dict:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with Measured() as measured:
        call_command("import_articles", str(path), stdout=out, stderr=StringIO())
    return {
        "seconds": measured.wall,
        "cpu_seconds": measured.cpu,
        "own_cpu_seconds": measured.own_cpu,
        "server_cpu_seconds": measured.server,
        "peak_rss_mb": report.own_peak_rss_mb(),
        "summary": out.getvalue().strip(),
    }


def child_floor(path: Path) -> dict:
    """The same rows as the import stores, written by the database's bulk path."""
    from django.db import connection, transaction
    from django.utils import timezone

    from claims import services
    from claims.importers.articles import ArticleRecord, read_articles
    from claims.models import content_hash
    from claims.services.claim_rows import COLUMNS, insert_rows

    now = timezone.now()
    article_rows, claim_rows = [], []
    for article_id, record in enumerate(read_articles(path), start=1):
        assert isinstance(record, ArticleRecord), record
        prepared = services.article_prepare(**record.fields)
        a = prepared.article
        article_rows.append(
            (article_id, a.title, a.text, a.url, a.outlet, a.byline, a.published_on)
            + (a.language, content_hash(a.text), now, a.source_html)
        )
        a.pk = article_id
        claim_rows.extend(prepared.claim_rows())
    article_columns = "id, title, text, url, outlet, byline, published_on, language"
    article_columns += ", content_hash, imported_at, source_html"
    claim_columns = ", ".join(connection.ops.quote_name(column) for column in COLUMNS)
    with Measured() as measured, transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            for table, columns, rows in (
                ("claims_article", article_columns, article_rows),
                ("claims_claim", claim_columns, claim_rows),
            ):
                with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            insert_rows(cursor, f"INSERT INTO claims_article ({article_columns})", 11, article_rows)
            insert_rows(
                cursor, f"INSERT INTO claims_claim ({claim_columns})", len(COLUMNS), claim_rows
            )
    return {
        "seconds": measured.wall,
        "cpu_seconds": measured.cpu,
        "own_cpu_seconds": measured.own_cpu,
        "server_cpu_seconds": measured.server,
        "claims": len(claim_rows),
    }


# ---------------------------------------------------------------------------------------
# The run: fresh databases, the children, the figures.


def fresh_databases(base_url: str) -> dict[str, str]:
    """A URL per step, each naming an empty database beside ``base_url`` (migrated when
    bench/run.py gives a migrated template to copy)."""
    template = os.environ.get("BENCH_TEMPLATE_URL")
    return {
        step: databases.fresh(databases.with_suffix(base_url, step), template=template)
        for step in ("import", "floor")
    }


def run_child(step: str, url: str, corpus: Path, workdir: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "FACTCHECK_VAR_DIR": str(workdir / "var")}
    if not os.environ.get("BENCH_TEMPLATE_URL"):
        migrate = [sys.executable, str(REPO / "manage.py"), "migrate", "--verbosity", "0"]
        subprocess.run(migrate, env=env, check=True)
    done = subprocess.run(
        [sys.executable, __file__, "--child", step, str(corpus)],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--keep", action="store_true", help="keep the two databases")
    parser.add_argument("--json", action="store_true", help="print bench/run.py's JSON line")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ARTICLES} articles")
    parser.add_argument("--child", choices=["import", "floor"], help=argparse.SUPPRESS)
    parser.add_argument("corpus", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_setup()
        print(json.dumps((child_import if args.child == "import" else child_floor)(args.corpus)))
        return

    out = sys.stderr if args.json else sys.stdout
    n = QUICK_ARTICLES if args.quick else args.articles
    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    corpus = workdir / "articles.jsonl"
    size = write_corpus(corpus, n)
    base = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    urls = fresh_databases(base)
    load_before = os.getloadavg()[0]
    try:
        imported = run_child("import", urls["import"], corpus, workdir)
        floor = run_child("floor", urls["floor"], corpus, workdir)
    finally:
        if not args.keep:
            for url in urls.values():
                databases.drop(url)
            shutil.rmtree(workdir, ignore_errors=True)
    db = databases.vendor(base)
    mb = size / 2**20
    print(f"database: {db}; {n:,} articles, {mb:.1f} MB, {floor['claims']:,} claims", file=out)
    print(imported["summary"], file=out)
    load_after = os.getloadavg()[0]
    print(f"load average before/after: {load_before:.1f} / {load_after:.1f}", file=out)
    for step, figures in (("import", imported), ("floor", floor)):
        print(
            f"{step} CPU: {figures['own_cpu_seconds']:.2f} s in Python, "
            f"{figures['server_cpu_seconds']:.2f} s in the database server, "
            f"{figures['seconds']:.2f} s wall",
            file=out,
        )
    rows = [
        # name, import, floor, unit
        ("import articles/s", n / imported["seconds"], n / floor["seconds"], "articles/s"),
        (
            "import articles/CPU s",
            n / imported["cpu_seconds"],
            n / floor["cpu_seconds"],
            "articles/s",
        ),
        ("import MB/s", mb / imported["seconds"], mb / floor["seconds"], "MB/s"),
        ("import peak RSS", imported["peak_rss_mb"], None, "MB"),
        # Apart, because on two cores they overlap (the server stores claims as the
        # importer splits them, through two connections): an idle machine's wall time
        # lies between half their sum and their sum (plus any I/O wait).
        ("import CPU s, Python", imported["own_cpu_seconds"], None, "s"),
        ("import CPU s, server", imported["server_cpu_seconds"], floor["server_cpu_seconds"], "s"),
    ]
    print(f"{'':<24} {'import':>10} {'floor':>10} {'ratio':>7}", file=out)
    for name, value, base_value, _ in rows:
        ratio = f"{value / base_value:>7.2f}" if base_value else ""
        shown = f"{base_value:>10,.1f}" if base_value else " " * 10
        print(f"{name:<24} {value:>10,.1f} {shown} {ratio}", file=out)
    # The 500 articles/s is PostgreSQL's; SQLite's figures are shown without one.
    target = TARGET_ARTICLES_PER_S if db == "postgresql" else None
    metrics = [
        report.Metric(
            f"{name}, {n:,} articles",
            round(value, 2),
            unit,
            floor=None if base_value is None else round(base_value, 2),
            # The target is the import's throughput, in wall time; per CPU second
            # (the importer's and the server's together) is shown beside it, untargeted.
            target=target if name == "import articles/s" else None,
            higher_is_better=unit not in ("MB", "s"),
        )
        for name, value, base_value, unit in rows
    ]
    if args.json:
        report.emit("import", db, metrics)


if __name__ == "__main__":
    main()
