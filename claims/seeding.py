"""Loading ``seeds/``: the seed article and its gold annotations, kept as data.

Running it twice changes nothing the second time: articles are found by their text,
annotations by (claim, reviewer, span, error type), verdicts by (claim, reviewer).
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from claims import services
from claims.models import Annotation, Claim, ErrorType, Source


@dataclass
class SeedSummary:
    articles: int = 0
    annotations: int = 0
    verdicts: int = 0


def seed_reviewer(username: str):
    """Seed reviewers exist to own seed work; they cannot log in (no usable password)."""
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name="reviewer"))
    return user


def claim_holding(article, quote: str) -> tuple[Claim, int]:
    """The claim holding ``quote``, which must occur exactly once in the article."""
    at = article.text.find(quote)
    if at == -1 or article.text.find(quote, at + 1) != -1:
        raise ValueError(f"“{quote}” must occur exactly once in “{article.title}”.")
    claim = article.claims.get(start__lte=at, end__gte=at + len(quote))
    return claim, at


@transaction.atomic
def load_seeds(directory: Path) -> SeedSummary:
    gold = json.loads((directory / "gold.json").read_text(encoding="utf-8"))
    summary = SeedSummary()
    sources = {}
    for key, fields in gold["sources"].items():
        sources[key], _ = Source.objects.get_or_create(url=fields["url"], defaults=fields)
    for entry in gold["articles"]:
        path = directory / entry["file"]
        text = path.read_bytes().decode("utf-8")
        result = services.article_import(
            title=text.lstrip().split("\n", 1)[0],
            text=text,
            outlet=entry.get("outlet", ""),
            byline=entry.get("byline", ""),
            language=entry.get("language", "en"),
        )
        article = result.article
        summary.articles += result.created
        for item in entry.get("annotations", []):
            claim, at = claim_holding(article, item["quote"])
            reviewer = seed_reviewer(item["reviewer"])
            error_type = ErrorType.objects.get(slug=item["error_type"])
            span = {"start": at, "end": at + len(item["quote"])}
            if Annotation.objects.filter(
                claim=claim, reviewer=reviewer, error_type=error_type, **span
            ).exists():
                continue
            services.annotation_create(
                claim=claim,
                reviewer=reviewer,
                error_type=error_type,
                **span,
                correction=item.get("correction", ""),
                note=item.get("note", ""),
                severity=item.get("severity", "major"),
                sources=[sources[key] for key in item.get("sources", [])],
            )
            summary.annotations += 1
        for item in entry.get("verdicts", []):
            claim, _ = claim_holding(article, item["claim_containing"])
            reviewer = seed_reviewer(item["reviewer"])
            if not claim.verdicts.filter(reviewer=reviewer).exists():
                services.verdict_set(
                    claim=claim, reviewer=reviewer, label=item["label"], note=item.get("note", "")
                )
                summary.verdicts += 1
    return summary
