"""The benchmark's databases, by URL: create, drop, name one per corpus size. No Django.

SQLite URLs name a file (``sqlite:////abs/path.sqlite3``); PostgreSQL URLs a database on a
server (``postgres://postgres@127.0.0.1:5432/factcheck_bench``), created through the server's
``postgres`` maintenance database with psycopg.
"""

import shutil
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}


class Unreachable(Exception):
    """The PostgreSQL server does not answer: the message says which and why."""


def vendor(url: str) -> str:
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return "sqlite"
    if scheme in POSTGRES_SCHEMES:
        return "postgresql"
    raise ValueError(f"{url!r}: the benchmark runs on sqlite:/// or postgres:// URLs only")


def _sqlite_path(url: str) -> Path:
    # sqlite:////abs/file and sqlite:///abs/file both name /abs/file here.
    return Path("/" + urlsplit(url).path.lstrip("/"))


def _postgres_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def with_suffix(url: str, suffix: str) -> str:
    """The URL of a sibling database: ``…/bench.sqlite3`` → ``…/bench-<suffix>.sqlite3``,
    ``…/factcheck_bench`` → ``…/factcheck_bench_<suffix>``."""
    if vendor(url) == "sqlite":
        path = _sqlite_path(url)
        return f"sqlite:///{path.with_name(f'{path.stem}-{suffix}{path.suffix}')}"
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{_postgres_name(url)}_{suffix}"))


def _maintenance(url: str) -> psycopg.Connection:
    parts = urlsplit(url)
    server = urlunsplit(parts._replace(path="/postgres", query=""))
    try:
        return psycopg.connect(server, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        where = parts.hostname or "the local socket"
        raise Unreachable(
            f"PostgreSQL at {where}:{parts.port or 5432} does not answer ({error}). Start it, "
            "or point BENCH_POSTGRES_URL at one, or run `bench/run.py --only sqlite`."
        ) from error


def check_reachable(url: str) -> None:
    if vendor(url) == "postgresql":
        _maintenance(url).close()


def exists(url: str) -> bool:
    if vendor(url) == "sqlite":
        return _sqlite_path(url).exists()
    with _maintenance(url) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [_postgres_name(url)]
        ).fetchone()
    return found is not None


def create(url: str) -> None:
    """Create the database if it does not exist (an SQLite file is created on first use)."""
    if vendor(url) == "sqlite":
        _sqlite_path(url).parent.mkdir(parents=True, exist_ok=True)
        return
    if not exists(url):
        with _maintenance(url) as connection:
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(_postgres_name(url)))
            )


def drop(url: str) -> None:
    if vendor(url) == "sqlite":
        path = _sqlite_path(url)
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        return
    with _maintenance(url) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(_postgres_name(url))
            )
        )


def fresh(url: str, *, template: str | None = None) -> str:
    """An empty database at ``url`` (dropped first if it existed), or a copy of ``template``
    (a database already migrated, which spares every script its own ``migrate``)."""
    drop(url)
    if template is None:
        create(url)
    elif vendor(url) == "sqlite":
        # A fresh clone has no var/bench/ yet: the first corpus is copied into it.
        _sqlite_path(url).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_sqlite_path(template), _sqlite_path(url))
    else:
        with _maintenance(url) as connection:
            connection.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(_postgres_name(url)), sql.Identifier(_postgres_name(template))
                )
            )
    return url


def server_version(url: str) -> str:
    with _maintenance(url) as connection:
        return connection.execute("SHOW server_version").fetchone()[0]
