"""Absolute URLs into this app, for the linked-data exports (W3C annotations, ClaimReview).

They start with FACTCHECK_SITE_URL when it is set, so that an annotation's ``id`` is the
same in the command's export, the API's export and the annotation's own page, whichever host
name a request came through. Unset, the API makes them ``at()`` the origin the request came
to, so an app run on 127.0.0.1:8123 does not call itself localhost:8000; the command, which
has no request, makes them at its ``--site-url`` (by default ``DEFAULT_SITE_URL``).
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.urls import reverse

DEFAULT_SITE_URL = "http://localhost:8000"  # where ``manage.py runserver`` listens

# The site an export is being made for: a context variable, so that the writers keep their
# one signature and need not be told.
_site: ContextVar[str | None] = ContextVar("site_url", default=None)


def site_url() -> str:
    """Where this app is reached: the site given to ``at()``, else FACTCHECK_SITE_URL, else
    ``DEFAULT_SITE_URL``."""
    return _site.get() or settings.FACTCHECK_SITE_URL or DEFAULT_SITE_URL


@contextmanager
def at(site: str | None):
    """Addresses made inside start with ``site`` (None: as outside)."""
    token = _site.set(site.rstrip("/") if site else _site.get())
    try:
        yield
    finally:
        _site.reset(token)


def read_at(site: str | None, chunks: Iterable) -> Iterator:
    """``chunks`` as they are read, each made ``at(site)``: a streamed export is written
    after the view has returned, a chunk at a time, outside any ``with`` of the view."""
    iterator = iter(chunks)
    while True:
        with at(site):
            chunk = next(iterator, StopIteration)
        if chunk is StopIteration:
            return
        yield chunk


def absolute(path: str) -> str:
    return site_url() + path


def annotation_url(annotation_id: int) -> str:
    return absolute(reverse("annotation-detail", args=[annotation_id]))


def article_url(article_id: int) -> str:
    return absolute(reverse("article-detail", args=[article_id]))


def claim_url(claim_id: int) -> str:
    return absolute(reverse("claim-detail", args=[claim_id]))


def export_url(format_name: str, labels: str) -> str:
    return absolute(reverse("export-claims") + f"?format={format_name}&labels={labels}")
