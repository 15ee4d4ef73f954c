"""API and admin under load on the benchmark corpus (issue 9).

    .venv/bin/python bench/api_load.py [--claims 1000000] [--clients 20] [--requests 25]
                                       [--only api|admin] [--pages NAME] [--json] [--quick]

The corpus of ``--claims`` claims (``bench/corpus.py``, next to ``BENCH_CORPUS_URL``;
default SQLite files in var/bench/) is built or reused, then copied into a database beside
DATABASE_URL's (bench/run.py's scratch one) or beside the corpus, dropped afterwards, because
the admin measurement adds an article of 300 claims the corpus must not keep. Then:

- the API: starts gunicorn with ``make serve``'s config (``factcheck/gunicorn.conf.py``,
  ``DB_CONN_MAX_AGE=600`` as docs/deploying.md advises), and ``--clients`` threads each send
  ``--requests`` requests with reviewers' and an editor's tokens, one after the other, for
  the claim list's first page (100 claims with their annotations), a cursor page 90% deep,
  and the floor: the smallest authenticated request there is (one error type), under the
  same load. p50/p99 and requests/s each; a deep page by number (offset) once, to compare.
- the admin: renders each changelist, and the pages of one article of 300 claims, in this
  process through Django's test client as an editor and as a reviewer, five times each:
  the median wall time, CPU time (this process's and, on PostgreSQL, its backend's, read
  from /proc: what a page costs whatever else the machine runs), the queries' own time, and
  the queries. ``--pages NAME``: only the pages whose name contains NAME.

Prints a table (on stderr with ``--json``, which prints bench/run.py's JSON line last).
``--quick``: the quick corpus, 4 clients, 3 requests each.
"""

import argparse
import datetime
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench import corpus, databases, report  # noqa: E402

P99_TARGET_MS = 100
# The requests issue 9's p99 target is for: the claim list's pages as the API links them
# (the first, and cursor pages after it), loaded and paced. Not the floor, and not a deep
# page asked for by number: one client, three times, to show what the cursor saves (the
# issue asks for "cursor (keyset) pagination where offsets get slow").
UNDER_TARGET = ("first page", "cursor page")
PACE_SECONDS = 1.0
ADMIN_ROW = "{page:34} {as:9} {ms:8.1f} {cpu_ms:8.1f} {db_ms:8.1f} {queries:8}"
ADMIN_TARGET_MS = 1000
DEFAULT_CORPUS = f"sqlite:///{BASE_DIR / 'var' / 'bench' / 'corpus.sqlite3'}"


def manage(env, *args) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stderr}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tokens() -> dict[str, list[str]]:
    """API tokens of the corpus's editors and of its reviewers who tagged something."""
    from django.contrib.auth.models import User
    from django.db.models import Exists, OuterRef
    from rest_framework.authtoken.models import Token

    from claims.models import Annotation

    roles = {
        "editor": User.objects.filter(groups__name="editor", username__startswith="bench-"),
        "reviewer": User.objects.filter(
            Exists(Annotation.objects.filter(reviewer=OuterRef("pk"))), groups__name="reviewer"
        ),
    }
    return {
        role: [Token.objects.get_or_create(user=user)[0].key for user in users[:3]]
        for role, users in roles.items()
    }


def deep_cursor(fraction: float) -> str:
    """A cursor link's token that starts ``fraction`` of the way through the claim list."""
    from claims.api.pagination import Position
    from claims.models import Article, Claim

    bounds = Article.objects.order_by("pk").values_list("pk", flat=True)
    first, last = bounds.first(), bounds.last()
    claim = (
        Claim.objects.filter(article_id__gte=first + int((last - first) * fraction))
        .order_by("article_id", "order")
        .first()
    )
    return Position.of(claim, forward=True).encode()


def quantiles(timings: list[float]) -> dict:
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    return {"p50": cuts[49] * 1000, "p99": cuts[98] * 1000}


def fetch(url: str, key: str) -> float:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {key}"})
    began = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        assert response.status == 200, response.status
    return time.perf_counter() - began


def load(
    base: str, path: str, keys: list[str], clients: int, requests: int, every: float = 0
) -> dict:
    """``clients`` threads, each sending ``requests`` requests one after the other, a new
    one as soon as the last is answered (``every=0``: the server saturated) or at most one
    each ``every`` seconds (people reading the pages they load)."""

    def client(n: int) -> list[float]:
        timings = []
        for _ in range(requests):
            took = fetch(base + path, keys[n % len(keys)])
            timings.append(took)
            time.sleep(max(0.0, every - took))
        return timings

    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        timings = [t for each in pool.map(client, range(clients)) for t in each]
    elapsed = time.perf_counter() - began
    return {**quantiles(timings), "rps": len(timings) / elapsed, "n": len(timings)}


def cpu_seconds(pids, *, reaped_of: int | None = None) -> float:
    """User + system CPU of these processes so far (Linux /proc; 0 for one that ended),
    plus that of the children ``reaped_of`` has waited for (gunicorn's replaced workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if pid == reaped_of:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime
    return total / ticks


def server_cpu(server: subprocess.Popen) -> float:
    """gunicorn's master, its workers, and the workers it has replaced."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return cpu_seconds([server.pid, *map(int, children)], reaped_of=server.pid)


def backend_pids(url: str) -> list[int]:
    """The PostgreSQL backends serving the copy (none on SQLite: it runs in the workers)."""
    if databases.vendor(url) != "postgresql":
        return []
    with databases._maintenance(url) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s",
            [databases._postgres_name(url)],
        ).fetchall()
    return [pid for (pid,) in rows]


def with_cpu(measure, server, url) -> dict:
    """``measure()``'s figures plus the CPU each request cost the server, the database and
    this load generator: what two cores can serve at most, whatever else ran meanwhile."""
    backends = backend_pids(url)
    before = server_cpu(server), cpu_seconds(backends), time.process_time()
    figures = measure()
    # Backends opened meanwhile count whole; one closed meanwhile (its worker replaced)
    # is missed, so the database's figure is a slight underestimate.
    backends = sorted(set(backends) | set(backend_pids(url)))
    after = server_cpu(server), cpu_seconds(backends), time.process_time()
    n = figures["n"]
    server_ms, database_ms, client_ms = (
        (b - a) * 1000 / n for a, b in zip(before, after, strict=True)
    )
    return {
        **figures,
        "server_cpu_ms": server_ms,
        "database_cpu_ms": database_ms,
        "client_cpu_ms": client_ms,
    }


def measure_api(env, keys, *, clients: int, requests: int, cursor: str, deep_page: int) -> dict:
    port = free_port()
    env = {**env, "HOST": "127.0.0.1", "PORT": str(port), "LOG_LEVEL": "warning"}
    env.setdefault("DB_CONN_MAX_AGE", "600")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "factcheck/gunicorn.conf.py"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    everyone = keys["editor"] + keys["reviewer"]
    paths = {
        "floor": "/api/v1/error-types/?page_size=1",
        "first page": "/api/v1/claims/?page_size=100",
        "cursor page, 90% deep": f"/api/v1/claims/?page_size=100&cursor={cursor}",
    }
    try:
        for _ in range(300):
            try:
                fetch(base + paths["floor"], everyone[0])
                break
            except OSError:
                time.sleep(0.1)
        for path in paths.values():  # every worker connected and warm
            load(base, path, everyone, clients, 2)
        results = {}
        for name, path in paths.items():
            results[name] = with_cpu(
                lambda path=path: load(base, path, everyone, clients, requests),
                server,
                env["DATABASE_URL"],
            )
            if name != "floor":
                paced = load(base, path, everyone, clients, requests, every=PACE_SECONDS)
                results[f"{name}, 1 per client per {PACE_SECONDS:g} s"] = paced
        offset = f"/api/v1/claims/?page_size=100&page={deep_page}"
        results["page number, 90% deep (offset)"] = load(base, offset, everyone, 1, 3)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def admin_pages(deep_page: int) -> list[tuple[str, str]]:
    """Every admin page a reviewer or an editor opens at scale: the changelists, filtered,
    searched, sorted by a column header, paged deep, by date; history pages; the 300-claim
    article's pages; the pickers an annotation form searches."""
    from django.urls import reverse

    from claims.models import Annotation, Article, Claim, ErrorType

    big = Article.objects.filter(title="bench: 300 claims").values_list("pk", flat=True).first()
    some = Article.objects.order_by("pk").values_list("pk", flat=True)[10]
    claim = Claim.objects.filter(article_id=some).order_by("order").values_list("pk", flat=True)[1]
    annotation = Annotation.objects.order_by("pk").values_list("pk", flat=True).first()
    latest = (
        Article.objects.filter(published_on__isnull=False)
        .order_by("-pk")
        .values_list("published_on", flat=True)
        .first()
    ) or datetime.date.today()

    def changelist(model: str) -> str:
        return reverse(f"admin:claims_{model}_changelist")

    pages = [
        (name, changelist(name))
        for name in [
            "claim",
            "annotation",
            "verdict",
            "article",
            "assignment",
            "adjudication",
            "source",
            "errortype",
        ]
    ]
    slug = ErrorType.objects.order_by("position").values_list("slug", flat=True)[1]
    claims = changelist("claim")
    autocomplete = reverse("admin:autocomplete")
    pages += [
        ("claim ?kind=quote", f"{claims}?kind=quote"),
        (f"claim ?error_type={slug}", f"{claims}?error_type={slug}"),
        ("claim ?article=", f"{claims}?article__id__exact={some}"),
        (f"claim, page {deep_page}", f"{claims}?p={deep_page}"),
        ("claim ?q=minister", f"{claims}?q=minister"),
        ("claim ?q=no such words", f"{claims}?q=zzyzx+quuxly"),
        ("annotation ?q=minister", f"{changelist('annotation')}?q=minister"),
        ("article ?q=minister", f"{changelist('article')}?q=minister"),
        # ?o= counts the list's columns, the action checkbox among them: an editor's list has
        # one (the assignment actions), a reviewer's none. So -3 sorts an editor's list by
        # date published, descending, a reviewer's by language; 1 by title and by outlet.
        ("article ?o=-3 (published | language)", f"{changelist('article')}?o=-3"),
        ("article ?o=1 (title | outlet)", f"{changelist('article')}?o=1"),
        ("article ?published_on (7 days)", f"{changelist('article')}?published_on__gte={latest}"),
        (
            "article ?imported_at (7 days)",
            f"{changelist('article')}?{urlencode({'imported_at__gte': f'{latest} 00:00+00:00'})}",
        ),
        ("assignment ?q=bench", f"{changelist('assignment')}?q=bench"),
        ("source ?q=report", f"{changelist('source')}?q=report"),
        ("claim history", reverse("admin:claims_claim_history", args=[claim])),
        ("annotation history", reverse("admin:claims_annotation_history", args=[annotation])),
        ("article history", reverse("admin:claims_article_history", args=[some])),
        ("claim change", reverse("admin:claims_claim_change", args=[claim])),
        (
            "claim picker ?term=minister",
            f"{autocomplete}?app_label=claims&model_name=annotation&field_name=claim&term=minister",
        ),
        ("article (300 claims) change", reverse("admin:claims_article_change", args=[big])),
        ("article (300 claims) annotate", reverse("admin:claims_article_annotate", args=[big])),
    ]
    return pages


def article_of_300_claims() -> None:
    """One long article, tagged by the corpus's reviewers on every claim (as bench/workspace)."""
    from claims import services
    from claims.models import Annotation, Article, Assignment, ErrorType, Verdict

    if Article.objects.filter(title="bench: 300 claims").exists():
        return
    text = "\n\n".join(f"Minister {n} said the bank raised rates by {n}." for n in range(299))
    article = services.article_import(title="bench: 300 claims", text=text).article
    reviewers = list(
        Annotation.objects.values_list("reviewer", flat=True).distinct().order_by("reviewer")
    )[:2]
    error_type = ErrorType.objects.get(slug="wrong-number")
    claims = list(article.claims.all())
    Assignment.objects.bulk_create(
        Assignment(article=article, reviewer_id=r, state="submitted") for r in reviewers
    )
    Annotation.objects.bulk_create(
        Annotation(
            claim=c,
            reviewer_id=r,
            start=c.start + offset,
            end=c.start + offset + 8,
            quote=text[c.start + offset : c.start + offset + 8],
            error_type=error_type,
        )
        for c in claims
        for r in reviewers
        for offset in (0, 4)
    )
    Verdict.objects.bulk_create(
        Verdict(claim=c, reviewer_id=r, label="inaccurate") for c in claims for r in reviewers
    )


def backend_cpu_seconds(connection) -> float:
    """CPU time (user + system) the database has spent on this connection so far: its
    PostgreSQL backend's, read from /proc (the server runs on this machine); SQLite runs in
    this process, whose own CPU time counts it already."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def render_measured(client, url: str, connection) -> dict:
    """One render: its wall time, the CPU time of this process and of the database backend
    together (what it costs, whatever else the machine is running), and its queries with
    their own time (the database's wall time, as this process waited for each)."""
    from django.test.utils import CaptureQueriesContext

    backend = backend_cpu_seconds(connection)
    with CaptureQueriesContext(connection) as queries:
        cpu, began = time.process_time(), time.perf_counter()
        response = client.get(url)
        wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    assert response.status_code == 200, (url, response.status_code)
    backend = backend_cpu_seconds(connection) - backend
    return {
        "ms": wall * 1000,
        "cpu_ms": (cpu + backend) * 1000,
        "db_ms": sum(float(q["time"]) for q in queries) * 1000,
        "queries": len(queries),
    }


def measure_admin(progress, deep_page: int, *, only: str | None = None) -> list[dict]:
    """Each admin page rendered five times as an editor and as a reviewer: the median of
    each figure (``only``: the pages whose name contains it)."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    article_of_300_claims()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the 300 claims just added, as autovacuum would
    rows = []
    editor = User.objects.filter(groups__name="editor", username__startswith="bench-").first()
    reviewer = User.objects.filter(groups__name="reviewer", annotations__isnull=False).first()
    for role, user in [("editor", editor), ("reviewer", reviewer)]:
        client = Client()
        client.force_login(user)
        for name, url in admin_pages(deep_page):
            if only and only not in name:
                continue
            renders = [render_measured(client, url, connection) for _ in range(5)]
            row = {"page": name, "as": role}
            for key in ("ms", "cpu_ms", "db_ms"):
                row[key] = statistics.median(r[key] for r in renders)
            row["queries"] = max(r["queries"] for r in renders)
            rows.append(row)
            progress(rows[-1])
    return rows


def copy_of_the_corpus(claims: int) -> str:
    """Build or reuse the corpus and copy it into a database this run may write and drop: a
    sibling of DATABASE_URL's (bench/run.py's scratch one), never that database itself, so
    that a DATABASE_URL left pointing at real data is not replaced."""
    base = os.environ.get("BENCH_CORPUS_URL", DEFAULT_CORPUS)
    source, _ = corpus.built_in_child(base, claims)
    beside = os.environ.get("DATABASE_URL") or source
    return databases.fresh(databases.with_suffix(beside, "api_load"), template=source)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=corpus.FULL)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="per client and page")
    parser.add_argument("--json", action="store_true", help="print bench/run.py's JSON line")
    parser.add_argument("--quick", action="store_true", help="quick corpus, 4 clients, 3 each")
    parser.add_argument("--only", choices=["api", "admin"], help="measure only one of them")
    parser.add_argument("--pages", help="only the admin pages whose name contains this")
    options = parser.parse_args()
    if options.quick:
        options.claims, options.clients, options.requests = corpus.QUICK, 4, 3
    out = sys.stderr if options.json else sys.stdout

    began = time.perf_counter()
    url = copy_of_the_corpus(options.claims)
    built = time.perf_counter() - began
    try:
        measured = measure(options, url, out)
    finally:
        databases.drop(url)
    claims, api, _ = measured
    print(f"{claims:,} claims (corpus copied in {built:.0f} s)", file=out)
    print(
        f"{'API request':34} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'n':>6}"
        f" {'CPU ms/request: server':>23} {'database':>9} {'client':>7}",
        file=out,
    )
    for name, figures in api.items():
        cpu = ""
        if "server_cpu_ms" in figures:
            cpu = (
                f" {figures['server_cpu_ms']:23.1f} {figures['database_cpu_ms']:9.1f}"
                f" {figures['client_cpu_ms']:7.1f}"
            )
        print(
            f"{name:34} {figures['p50']:8.1f} {figures['p99']:8.1f} "
            f"{figures['rps']:8.1f} {figures['n']:6}{cpu}",
            file=out,
        )
    if options.json:
        report.emit("api_load", databases.vendor(url), metrics_of(*measured))


def measure(options, url: str, out) -> tuple[int, dict, list]:
    # run.py's FACTCHECK_VAR_DIR holds collected static files already; alone, collect them.
    var = os.environ.get("FACTCHECK_VAR_DIR") or tempfile.mkdtemp()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "FACTCHECK_VAR_DIR": var,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
    }
    # The corpus was built by the migrations of its day: the copy gets today's (an index
    # added since, such as the admin's search indexes, must be there to be measured).
    manage(env, "migrate", "--noinput")
    if not os.environ.get("FACTCHECK_VAR_DIR"):
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from claims.models import Claim

    # Planner statistics, as autovacuum keeps them on a live database (a corpus built before
    # bench/corpus.py gathered them has none): without them PostgreSQL seq-scans a million
    # claims for a page of a hundred, and the changelist has no row estimate to show.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    claims = Claim.objects.count()
    api, admin = {}, []
    if options.only != "admin":
        api = measure_api(
            env,
            tokens(),
            clients=options.clients,
            requests=options.requests,
            cursor=deep_cursor(0.9),
            deep_page=int(claims * 0.9 / 100),
        )
    if options.only != "api":
        setup_test_environment()
        print(
            f"{'admin page':34} {'as':9} {'ms':>8} {'CPU ms':>8} {'DB ms':>8} {'queries':>8}",
            file=out,
            flush=True,
        )
        admin = measure_admin(
            progress=lambda row: print(ADMIN_ROW.format(**row), file=out, flush=True),
            # 100 claims a page: page 100 of the full corpus, the last pages of a small one
            deep_page=max(1, min(100, claims // 100)),
            only=options.pages,
        )
    return claims, api, admin


def metrics_of(claims: int, api: dict, admin: list) -> list[report.Metric]:
    metrics = []
    for name, figures in api.items():
        for key in ("p50", "p99"):
            targeted = key == "p99" and name.startswith(UNDER_TARGET)
            metrics.append(
                report.Metric(
                    f"api {name} {key}",
                    round(figures[key], 1),
                    "ms",
                    floor=None if name == "floor" else round(api["floor"][key], 1),
                    target=P99_TARGET_MS if targeted else None,
                    higher_is_better=False,
                )
            )
        if "server_cpu_ms" in figures:
            for part in ("server", "database", "client"):
                metrics.append(
                    report.Metric(
                        f"api {name} CPU per request, {part}",
                        round(figures[f"{part}_cpu_ms"], 2),
                        "ms",
                        higher_is_better=False,
                    )
                )
        metrics.append(
            report.Metric(
                f"api {name} throughput",
                round(figures["rps"], 1),
                "requests/s",
                floor=None if name == "floor" else round(api["floor"]["rps"], 1),
            )
        )
    for row in admin:
        page = f"admin {row['page']} as {row['as']}"
        metrics += [
            report.Metric(
                page, round(row["ms"], 1), "ms", target=ADMIN_TARGET_MS, higher_is_better=False
            ),
            report.Metric(
                f"{page}, CPU",
                round(row["cpu_ms"], 1),
                "ms",
                target=ADMIN_TARGET_MS,
                higher_is_better=False,
            ),
            report.Metric(f"{page}, queries", row["queries"], "queries", higher_is_better=False),
        ]
    return metrics


if __name__ == "__main__":
    main()
