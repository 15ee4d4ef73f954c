"""Changelists that stay fast at a million rows.

The admin counts twice on every changelist: the rows matching the filters (for the page
links) and the whole table (for "N results (M total)"). On PostgreSQL either count reads
every row: a second or more at a million claims. ``LargeTableAdmin`` turns the second off
(Django's own ``show_full_result_count``) and pages with ``CheapCountPaginator``, which
takes PostgreSQL's own estimate: the table's row count kept by ANALYZE
(``pg_class.reltuples``) when nothing is filtered, else the planner's estimate of the
filtered query. A list the planner puts in the thousands or fewer is counted exactly up to
``EXACT_UP_TO`` rows. Small results (an article's claims, a reviewer's annotations on one
article) stay exact; a long list shows about how long it is.
"""

import json
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections

EXACT_UP_TO = 1_000
# Past this many rows by the planner's estimate the list is not counted at all: a list the
# planner puts at ten times the exact limit is long, even when the estimate is off by a
# few times (an estimate is wrong most on correlated conditions, which these lists rarely
# combine).
ESTIMATE_TRUSTED_FROM = 10 * EXACT_UP_TO


class CheapCountPaginator(Paginator):
    def __init__(self, *args, counted=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The same rows as the list's, written to be counted (``count_from``), or None.
        self.counted = counted

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if connections[queryset.db].vendor != "postgresql":
            # SQLite counts a million rows in a few milliseconds, from an index.
            return (queryset if self.counted is None else self.counted).count()
        estimate = estimated_count(queryset)
        if estimate > ESTIMATE_TRUSTED_FROM:
            # Far past exact: counting even the first thousand rows of a search that
            # matches one claim in twenty tests 20,000 claims' text (0.7 s).
            return estimate
        # Only the rows' keys: the list's own columns (counts of annotations…) cost per row.
        bounded = queryset.order_by().values("pk")[: EXACT_UP_TO + 1].count()
        if bounded <= EXACT_UP_TO:
            return bounded
        return max(estimate, bounded)


def estimated_count(queryset) -> int:
    """PostgreSQL's estimate of the rows ``queryset`` holds, without reading them."""
    connection = connections[queryset.db]
    with connection.cursor() as cursor:
        if not queryset.query.where and not queryset.query.distinct:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [queryset.model._meta.db_table],
            )
            return cursor.fetchone()[0]
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
        if isinstance(plan, str):  # psycopg decodes json columns; EXPLAIN's may come as text
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])


def count_from(request, queryset) -> None:
    """Have this request's list (a changelist, or an autocomplete's) counted from
    ``queryset``: the same rows as the list's, written so that the database counts them
    fastest, where the list is written to be read in its order (SQLite's claim search)."""
    request.factcheck_counted = (queryset.model, queryset)


class LargeTableAdmin:
    """For ModelAdmins over tables that grow with the corpus (claims, annotations…)."""

    show_full_result_count = False
    paginator = CheapCountPaginator

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        model, counted = getattr(request, "factcheck_counted", (None, None))
        if model is not queryset.model:  # set for another list of the same request
            counted = None
        return self.paginator(queryset, per_page, orphans, allow_empty_first_page, counted=counted)
