"""How lists are cut into pages.

Most lists are short enough to count (articles, sources, error types…): ``Pagination``,
page numbers with a ``count``. The claim list is not: at a million claims a ``COUNT(*)`` is
a scan of the whole table on every request, and ``?page=5000`` makes the database read and
throw away the 250,000 claims before it. ``ClaimPagination`` pages by keyset instead: a
page starts after the last claim of the previous one (``article_id``, ``order``: unique,
and the order of an index), so every page costs the same, however deep.
"""

import re

from django.db.models import BooleanField, F, Func, Value
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_schema_operation_parameters(self, view):
        # DRF documents both as bare integers; page 0 is a 404, and sizes are capped.
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters


Q_ORDER = '"order"'  # a reserved word in SQL


class KeyComparison(Func):
    """``(article_id, order) > (a, o)``: the keyset condition as one row comparison. Both
    databases read it straight off the unique (article_id, order) index, in that order;
    the same condition spelled with ``Q`` (``article_id > a OR (article_id = a AND
    order > o)``) cost a third of the cursor page's Python to build and PostgreSQL a sort."""

    output_field = BooleanField()

    def __init__(self, operator: str, article: int, order: int):
        super().__init__(F("article_id"), F("order"), Value(article), Value(order))
        self.operator = operator

    def as_sql(self, compiler, connection, **extra):
        (article, order, *key), params = zip(
            *(compiler.compile(each) for each in self.get_source_expressions()), strict=True
        )
        sql = f"({article}, {order}) {self.operator} ({key[0]}, {key[1]})"
        return sql, [param for each in params for param in each]


class Position:
    """Where a keyset page starts: after (``n``, next) or before (``p``, previous) one
    claim's key, written into links as ``n.<article id>.<order>``. Clients send it back as
    given; the schema's pattern says exactly which cursors exist."""

    PATTERN = r"^[np]\.[0-9]{1,18}\.[0-9]{1,18}$"

    def __init__(self, *, forward: bool, article: int, order: int):
        self.forward, self.article, self.order = forward, article, order

    def encode(self) -> str:
        return f"{'n' if self.forward else 'p'}.{self.article}.{self.order}"

    @classmethod
    def decode(cls, token: str) -> "Position":
        if not re.fullmatch(cls.PATTERN, token, re.ASCII):
            raise ValidationError(
                {"cursor": ["This is not a cursor this API gave; follow a next or previous link."]}
            )
        direction, article, order = token.split(".")
        return cls(forward=direction == "n", article=int(article), order=int(order))

    def after(self, queryset):
        """The claims after this key."""
        key = KeyComparison(">", self.article, self.order)
        return queryset.filter(key).order_by("article_id", "order")

    def before(self, queryset):
        key = KeyComparison("<", self.article, self.order)
        return queryset.filter(key).order_by("-article_id", "-order")

    @classmethod
    def of(cls, claim, *, forward: bool) -> "Position":
        return cls(forward=forward, article=claim.article_id, order=claim.order)


class ClaimPagination(BasePagination):
    """Keyset pages of claims in (article, order), with ``next`` and ``previous`` links and
    no ``count``. ``?page=`` still works for clients that count pages (it reads past the
    claims before the page, so deep pages are slower); its links stay page numbers."""

    cursor_query_param = "cursor"
    page_query_param = "page"
    page_size_query_param = "page_size"
    page_size = 50
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        return self.page(list(self.window(queryset, request)))

    def window(self, queryset, request):
        """The claims a page is cut from, in the order it reads them: the page's claims
        and one more, which says whether there is another page. ``page()`` finishes the
        page from them; ``claim_pages`` reads them inside its own statement."""
        self.read(request)
        if self.number is not None:
            start = (self.number - 1) * self.size
            return queryset.order_by("article_id", "order")[start : start + self.size + 1]
        if self.position is None:
            window = queryset.order_by("article_id", "order")
        else:
            forward = self.position.forward
            window = (self.position.after if forward else self.position.before)(queryset)
        return window[: self.size + 1]

    def read(self, request) -> None:
        """Where the page starts and how long it is, from the request."""
        self.request = request
        self.size = self.page_size_for(request)
        self.next = self.previous = None
        # Empty is absent, as DRF's own paginations take it.
        cursor = request.query_params.get(self.cursor_query_param) or None
        page = request.query_params.get(self.page_query_param) or None
        # A cursor wins over a page number: the links this API gives carry only one.
        self.number = self.position = None
        if page is not None and cursor is None:
            self.number = self.page_number(page)
        elif cursor is not None:
            self.position = Position.decode(cursor)

    def written_window(self, table: str, columns: str) -> tuple[str, list]:
        """``window()`` over every claim, written out as SQL (after ``read()``): the same
        claims in the same order, for a statement that reads them itself, without the cost
        of building and compiling the queryset (a fifth of a cursor page's Python)."""
        # The limit and offset are written in, as Django writes them: a prepared statement
        # planned once for "LIMIT $1" is planned for a tenth of the table, and PostgreSQL
        # then spent a third more on each page.
        select, limit = f"SELECT {columns} FROM {table}", f"LIMIT {int(self.size) + 1}"
        reading = f"ORDER BY article_id, {Q_ORDER} {limit}"
        if self.number is not None:
            return f"{select} {reading} OFFSET {(int(self.number) - 1) * int(self.size)}", []
        if self.position is None:
            return f"{select} {reading}", []
        key = [self.position.article, self.position.order]
        if self.position.forward:
            return f"{select} WHERE (article_id, {Q_ORDER}) > (%s, %s) {reading}", key
        backwards = f"ORDER BY article_id DESC, {Q_ORDER} DESC {limit}"
        return f"{select} WHERE (article_id, {Q_ORDER}) < (%s, %s) {backwards}", key

    @property
    def backwards(self) -> bool:
        """Whether the window reads from the cursor backwards (newest key first)."""
        return self.position is not None and not self.position.forward

    def page(self, rows) -> list:
        """The page from the window's rows (anything with ``article_id`` and ``order``, in
        the window's order): its first ``size``, in reading order, and the links."""
        more = len(rows) > self.size
        rows = list(rows[: self.size])
        if self.backwards:
            rows.reverse()  # read backwards from the cursor; shown in reading order
        self.link(more, rows[0] if rows else None, rows[-1] if rows else None)
        return rows

    def link(self, more: bool, first, last) -> None:
        """The links of a page that runs from claim ``first`` to ``last`` in reading order
        (both None: an empty page); ``more``: the window held a claim past the page."""
        if self.number is not None:
            return self.number_links(more, empty=first is None)
        if self.backwards:
            more_before, more_after = more, True
        else:
            more_before, more_after = self.position is not None, more
        if first is not None and more_after:
            self.next = self.cursor_link(Position.of(last, forward=True))
        if first is not None and more_before:
            self.previous = self.cursor_link(Position.of(first, forward=False))

    def page_size_for(self, request) -> int:
        given = request.query_params.get(self.page_size_query_param)
        try:
            size = int(given)
        except (TypeError, ValueError):
            return self.page_size
        return min(size, self.max_page_size) if size > 0 else self.page_size

    def page_number(self, page: str) -> int:
        if not (page.isascii() and page.isdigit()) or int(page) < 1:
            raise NotFound("Invalid page: give a page number from 1.")
        if (int(page) - 1) * self.size >= 2**62:
            raise NotFound("Invalid page: there are not that many claims.")
        return int(page)

    def number_links(self, more: bool, *, empty: bool) -> None:
        if empty and self.number > 1:
            raise NotFound("Invalid page: there are not that many claims.")
        url = self.request.build_absolute_uri()
        if more:
            self.next = replace_query_param(url, self.page_query_param, self.number + 1)
        if self.number > 1:
            self.previous = replace_query_param(url, self.page_query_param, self.number - 1)

    def cursor_link(self, position: Position) -> str:
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, position.encode())

    def get_paginated_response(self, data):
        return Response({"next": self.next, "previous": self.previous, "results": data})

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page, or null on the last."},
                "previous": {**link, "description": "The page before, or null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts, as given in a next or previous link.",
                "schema": {"type": "string", "pattern": Position.PATTERN},
            },
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number, read when no cursor is given "
                "(deep pages are slower).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": "Claims per page.",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
