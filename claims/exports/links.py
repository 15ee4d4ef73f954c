"""Absolute URLs into this app, for the linked-data exports (W3C annotations, ClaimReview).

Built from FACTCHECK_SITE_URL, never from a request's host, so that an annotation's ``id``
is the same in the command's export, the API's export and the annotation's own page.
"""

from django.conf import settings
from django.urls import reverse


def absolute(path: str) -> str:
    return settings.FACTCHECK_SITE_URL + path


def annotation_url(annotation_id: int) -> str:
    return absolute(reverse("annotation-detail", args=[annotation_id]))


def article_url(article_id: int) -> str:
    return absolute(reverse("article-detail", args=[article_id]))


def claim_url(claim_id: int) -> str:
    return absolute(reverse("claim-detail", args=[claim_id]))


def export_url(format_name: str, labels: str) -> str:
    return absolute(reverse("export-claims") + f"?format={format_name}&labels={labels}")
