"""A data migration run on a database of its own, in a child process.

Migrating the suite's own test database backwards and forwards needs a transactional test,
whose restore of the migrated rows then collided, on some workers, with content types the
other tests had left under other ids. Here a child process migrates an empty database up
to the migration before the one tested, lets the test store what the old schema held,
applies the migration and lets the test read the result: no state shared with any test.

    result = migrated_through(("claims", "0016_x"), "tests.test_y:store", "tests.test_y:read",
                              database_url=empty_database)

``store(old_apps) -> stored`` and ``read(new_apps, stored) -> result`` are module-level
functions of the test module; both values must be JSON.
"""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def migrated_through(migration: tuple[str, str], store: str, read: str, *, database_url: str):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "SECRET_KEY": env.get("SECRET_KEY") or "tests-only-" + "k" * 50,
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.migration_runner", *migration, store, read],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _function(dotted: str):
    module, name = dotted.split(":")
    return getattr(importlib.import_module(module), name)


def main(app: str, name: str, store: str, read: str) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    target = (app, name)
    executor = MigrationExecutor(connection)
    before = sorted(executor.loader.graph.node_map[target].parents)[0].key
    executor.migrate([before])
    stored = _function(store)(executor.loader.project_state([before]).apps)
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    print(json.dumps(_function(read)(executor.loader.project_state([target]).apps, stored)))


if __name__ == "__main__":
    main(*sys.argv[1:])
