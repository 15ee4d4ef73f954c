"""Worlds built once per test module, every test still starting from the same rows.

``world_per_module(build)`` makes a module-scoped fixture that opens a transaction, calls
``build()`` in it, and rolls it back after the module's last test. Each test's own
transaction (pytest-django's ``db``) is a savepoint inside it, rolled back after the test:
the isolation of Django's ``TestCase.setUpTestData``. A world that takes a second to build
is then built once per module, not once per test (under xdist, once per run of the
module's tests that a worker gets in a row: usually once or twice).

Not for modules with transactional tests (``transaction=True``, ``live_server``): those
commit and flush, which a surrounding transaction would swallow. Tests must not keep
changes in the returned objects' Python attributes: the objects are shared; their rows
are restored for every test.
"""

from collections.abc import Callable
from typing import TypeVar

import pytest
from django.db import transaction

World = TypeVar("World")


def world_per_module(build: Callable[[], World]):
    @pytest.fixture(scope="module")
    def world_of_the_module(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            world = build()
            # Between tests the database stays blocked: each test reaches it through its own
            # ``db`` fixture, inside this transaction.
            with django_db_blocker.block():
                yield world
            transaction.set_rollback(True)

    return world_of_the_module
